// Shared plumbing of the public-trace importers: streaming CSV records with
// their line numbers, and typed cell access whose errors name file, line and
// column.
import { parse } from 'csv-parse';
import { TraceFormatError } from '../../common/errors.ts';
import { openText } from '../readers/lines.ts';

export interface Row {
  file: string;
  line: number;
  cells: Record<string, string>;
}

export async function* csvRows(file: string, required: readonly string[]): AsyncGenerator<Row> {
  const parser = openText(file).pipe(parse({ columns: true, bom: true, info: true, skip_empty_lines: true, trim: true }));
  let checked = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (!checked) {
        checked = true;
        const missing = required.filter((c) => !(c in record));
        if (missing.length) throw new TraceFormatError(file, 1, missing[0]!, `column missing from the header; expected ${required.join(', ')}`);
      }
      yield { file, line: info.lines, cells: record };
    }
  } catch (err) {
    if (err instanceof TraceFormatError) throw err;
    const e = err as { lines?: number; message: string };
    throw new TraceFormatError(file, e.lines ?? 0, '(row)', `malformed CSV: ${e.message}`);
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
