// Command-line flags derived from a zod object schema, so that a
// configuration defined once as a schema (e.g. the Golem bridge's settings)
// needs no second list of flags: one flag a field, `--kebab-case` of its name,
// its description as help, its default shown; the values go back through the
// schema, which alone validates them.
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../common/errors.ts';
import { nonNegativeNumber } from './parse.ts';

interface Field {
  key: string;
  flag: string;
  kind: string;
  description: string;
  defaultValue: unknown;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function fieldsOf(schema: z.ZodObject): Field[] {
  return Object.entries(schema.shape).map(([key, field]) => {
    let inner = field as z.ZodType;
    let defaultValue: unknown;
    for (;;) {
      const def = inner._zod.def as { type: string; innerType?: z.ZodType; defaultValue?: unknown };
      if (def.type === 'default') defaultValue = def.defaultValue;
      if ((def.type === 'default' || def.type === 'optional') && def.innerType) inner = def.innerType;
      else break;
    }
    return { key, flag: `--${kebab(key)}`, kind: inner._zod.def.type, description: (field as z.ZodType).description ?? key, defaultValue };
  });
}

/** One option per field of `schema` on `cmd`; a number flag must read as a number, everything else is the schema's to check. */
export function addSchemaOptions(cmd: Command, schema: z.ZodObject): Command {
  for (const f of fieldsOf(schema)) {
    const help = f.defaultValue === undefined || f.kind === 'boolean' ? f.description : `${f.description} (default: ${Array.isArray(f.defaultValue) ? f.defaultValue.join(' ') : String(f.defaultValue)})`;
    if (f.kind === 'boolean') cmd.option(f.flag, help);
    else if (f.kind === 'number') cmd.option(`${f.flag} <n>`, help, nonNegativeNumber);
    else if (f.kind === 'array') cmd.option(`${f.flag} <value...>`, help);
    else cmd.option(`${f.flag} <value>`, help);
  }
  return cmd;
}

/** The schema's fields among commander's parsed flags (only those given), checked by the schema; a refusal names the flag. */
export function schemaValuesFrom<S extends z.ZodObject>(schema: S, flags: Record<string, unknown>): z.input<S> {
  const fields = fieldsOf(schema);
  const given = Object.fromEntries(fields.filter((f) => flags[f.key] !== undefined).map((f) => [f.key, flags[f.key]]));
  const r = schema.safeParse(given);
  if (!r.success) {
    const flagOf = new Map(fields.map((f) => [f.key, f.flag]));
    throw new UsageError(r.error.issues.map((i) => `${flagOf.get(String(i.path[0])) ?? (i.path.join('.') || 'options')}: ${i.message}`).join('; '));
  }
  return given as z.input<S>;
}
