// Shared plumbing of the public-trace importers: streaming CSV records with
// their line numbers, and typed cell access whose errors name file, line and
// column.
import { TraceFormatError } from '../../common/errors.ts';
import type { JobRecordInput } from '../job.ts';
import { csvCells } from '../readers/csv.ts';
import type { RawRecord } from '../records.ts';

export interface Row {
  file: string;
  line: number;
  cells: Record<string, string>;
}

export async function* csvRows(file: string, required: readonly string[]): AsyncGenerator<Row> {
  let checked = false;
  for await (const { line, cells } of csvCells(file, { trim: true })) {
    if (!checked) {
      checked = true;
      const missing = required.filter((c) => !(c in cells));
      if (missing.length) throw new TraceFormatError(file, 1, missing[0]!, `column missing from the header; expected ${required.join(', ')}`);
    }
    yield { file, line, cells };
  }
}

/**
 * One raw record per CSV row: `map` gives the job (or undefined to leave the
 * row out); a cell it cannot read becomes an error record for that line, so
 * the bad-line policy applies to imports as to canonical traces.
 */
export async function* rowRecords(rows: AsyncIterable<Row>, map: (row: Row) => JobRecordInput | undefined): AsyncGenerator<RawRecord> {
  for await (const row of rows) {
    let raw: JobRecordInput | undefined;
    try {
      raw = map(row);
    } catch (err) {
      if (!(err instanceof TraceFormatError)) throw err;
      yield { line: row.line, error: err };
      continue;
    }
    if (raw) yield { line: row.line, raw };
  }
}

export function num(row: Row, column: string, opts: { optional?: boolean; min?: number } = {}): number | undefined {
  const text = row.cells[column] ?? '';
  if (text === '') {
    if (opts.optional) return undefined;
    throw new TraceFormatError(row.file, row.line, column, 'expected a number, found an empty cell');
  }
  const n = Number(text);
  if (!Number.isFinite(n)) throw new TraceFormatError(row.file, row.line, column, `expected a number, found "${text}"`);
  if (opts.min !== undefined && n < opts.min) throw new TraceFormatError(row.file, row.line, column, `expected a number ≥ ${opts.min}, found ${n}`);
  return n;
}

export function req(row: Row, column: string): number {
  return num(row, column)!;
}

export function text(row: Row, column: string): string {
  return row.cells[column] ?? '';
}

export function seq(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}
