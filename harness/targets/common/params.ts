// Simulator parameters as data: each with its default, sweep range, unit and
// basis ([S] a public source, [A] an assumption), so a report can list what
// its numbers rest on and a sweep can vary them.
import { ConfigError } from '../../common/errors.ts';

export interface Param {
  value: number;
  unit: string;
  sweep?: readonly [number, number];
  basis: string;
}

export type ParamTable = Record<string, Param>;

export type Values<T extends ParamTable> = { [K in keyof T]: number };

/** What is wrong with parameter overrides, per name as written: unknown names and values that are not non-negative numbers. */
export function paramProblems(table: ParamTable, overrides: Record<string, unknown> = {}): { name: string; message: string }[] {
  const problems: { name: string; message: string }[] = [];
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in table)) {
      problems.push({ name: k, message: `unknown parameter "${k}"; known: ${Object.keys(table).join(', ')}` });
      continue;
    }
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) problems.push({ name: k, message: `parameter "${k}" must be a non-negative number, found ${JSON.stringify(v)}` });
  }
  return problems;
}

/** Defaults with overrides applied; an unknown name or a non-number is a ConfigError naming it. */
export function resolveParams<T extends ParamTable>(sim: string, table: T, overrides: Record<string, unknown> = {}): Values<T> {
  const [problem] = paramProblems(table, overrides);
  if (problem) throw new ConfigError(`${sim} simulator: ${problem.message}`);
  const out = Object.fromEntries(Object.entries(table).map(([k, p]) => [k, p.value])) as Values<T>;
  for (const [k, v] of Object.entries(overrides)) (out as Record<string, number>)[k] = Number(v);
  return out;
}

/** The Describe `parameters` map: "value unit [basis]", overridden values marked. */
export function describeParams(table: ParamTable, values: Record<string, number>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(table).map(([k, p]) => [k, `${values[k]} ${p.unit}${values[k] !== p.value ? ' (overridden)' : ''} ${p.basis}`.trim()]),
  );
}
