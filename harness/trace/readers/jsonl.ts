// Canonical JSONL traces: one job object per line.
import { TraceFormatError } from '../../common/errors.ts';
import type { RawRecord } from '../records.ts';
import { readLines } from './lines.ts';

export async function* jsonlRecords(path: string): AsyncGenerator<RawRecord> {
  for await (const l of readLines(path)) {
    if (l.error) {
      yield l;
      continue;
    }
    if (!l.text.trim()) continue;
    try {
      yield { line: l.line, raw: JSON.parse(l.text) as unknown };
    } catch (err) {
      yield { line: l.line, error: new TraceFormatError(path, l.line, '(line)', `expected a JSON object, found invalid JSON (${(err as Error).message})`) };
    }
  }
}
