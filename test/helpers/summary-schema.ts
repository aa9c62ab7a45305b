// summary.json against its JSON Schema (reports/summary.schema.json), read
// from the committed file so the schema the repo publishes is the one checked.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const SCHEMA_PATH = resolve(import.meta.dirname, '../../reports/summary.schema.json');
const validator = z.fromJSONSchema(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Parameters<typeof z.fromJSONSchema>[0]);

/** The schema's complaints about `summary` (parsed JSON), as "path: message"; none when it is valid. */
export function summarySchemaErrors(summary: unknown): string[] {
  const r = validator.safeParse(summary);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
