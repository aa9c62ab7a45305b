// Loads a scenario from a *.scenario.ts module (default export) or YAML and
// validates it; every problem is reported with its field path.
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ScenarioError } from '../harness/common/errors.ts';
import { ScenarioSchema, type Scenario } from './define.ts';

/** Where a YAML scenario's fields are: the line of each node. */
interface YamlSource {
  doc: Document;
  lines: LineCounter;
}

/** The line of the deepest field on `path` that the file has: its key (a missing field points at its parent's key). */
function lineOf(source: YamlSource, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = source.doc.contents;
  let at: number | undefined = isNode(node) && node.range ? node.range[0] : undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair) break;
      if (isNode(pair.key) && pair.key.range) at = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (!isNode(node)) break;
      if (node.range) at = node.range[0];
    } else {
      break;
    }
  }
  return at === undefined ? undefined : source.lines.linePos(at).line;
}

export function issuesOf(error: z.ZodError, source?: YamlSource): { path: string; message: string; line?: number }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, ...(source ? { line: lineOf(source, i.path) } : {}) }));
}

export function validateScenario(raw: unknown, file: string, source?: YamlSource): Scenario {
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(file, issuesOf(parsed.error, source));
  return parsed.data;
}

export async function loadScenario(file: string): Promise<Scenario> {
  const path = resolve(file);
  let raw: unknown;
  let source: YamlSource | undefined;
  try {
    if (['.yaml', '.yml'].includes(extname(path))) {
      const lines = new LineCounter();
      const doc = parseDocument(await readFile(path, 'utf8'), { lineCounter: lines });
      const [bad] = doc.errors;
      if (bad) throw new ScenarioError(file, [{ path: '', message: `not valid YAML: ${bad.message.split('\n')[0]}`, line: bad.linePos?.[0].line }]);
      raw = doc.toJS();
      source = { doc, lines };
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
  return validateScenario(raw, file, source);
}
