// Where ../shared/traces lives, if it does: tests on the real public traces
// run when it is there and are skipped with a printed reason when not.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_TRACES = resolve(import.meta.dirname, '../../../shared/traces');
export const HAVE_SHARED_TRACES = existsSync(SHARED_TRACES);
if (!HAVE_SHARED_TRACES) console.warn(`skipping tests on public traces: ${SHARED_TRACES} does not exist`);

export function sharedTrace(rel: string): string {
  return resolve(SHARED_TRACES, rel);
}
