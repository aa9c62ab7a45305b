// Loads a scenario from a *.scenario.ts module (default export) or YAML and
// validates it; every problem is reported with its field path.
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ScenarioError } from '../harness/common/errors.ts';
import { ScenarioSchema, type Scenario } from './define.ts';

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function validateScenario(raw: unknown, file: string): Scenario {
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(file, issuesOf(parsed.error));
  return parsed.data;
}

export async function loadScenario(file: string): Promise<Scenario> {
  const path = resolve(file);
  let raw: unknown;
  try {
    if (['.yaml', '.yml'].includes(extname(path))) {
      raw = parseYaml(await readFile(path, 'utf8'));
    } else if (['.ts', '.mts', '.js', '.mjs'].includes(extname(path))) {
      const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
      raw = mod.default;
    } else {
      throw new ScenarioError(file, [{ path: '', message: 'expected a .scenario.ts, .js or .yaml file' }]);
    }
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    throw new ScenarioError(file, [{ path: '', message: `cannot load: ${err instanceof Error ? err.message : String(err)}` }]);
  }
  return validateScenario(raw, file);
}
