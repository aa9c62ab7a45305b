// Canonical CSV traces: a header of job field names, one job per row. Empty
// cells take the field's default; numbers are converted; `labels` holds JSON
// or `k=v;k=v`.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DEFAULTS } from '../../common/defaults.ts';
import { TraceFormatError } from '../../common/errors.ts';
import { JobRecordSchema } from '../job.ts';
import type { RawRecord } from '../records.ts';
import { readCheckedText } from './lines.ts';

const NUMERIC = new Set(['gpu_count', 'vram_gb', 'image_bytes', 'input_bytes', 'output_bytes', 'work_seconds', 'price_paid_usd', 'deadline_seconds', 'prompt_tokens', 'output_tokens']);
const KNOWN = new Set(Object.keys(JobRecordSchema.shape));

export function parseLabels(text: string): Record<string, string> | string {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t) as Record<string, string>;
    } catch {
      return text;
    }
  }
  const out: Record<string, string> = {};
  for (const part of t.split(';')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return text;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** A CSV cell record → the raw object the job schema validates. */
export function csvRecordToRaw(rec: Record<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (v === '' || v === undefined) continue;
    if (k === 'labels') raw.labels = parseLabels(v);
    else if (NUMERIC.has(k)) raw[k] = Number.isNaN(Number(v)) ? v : Number(v);
    else if (k === 'submitted_at' && /^\d+$/.test(v)) raw[k] = Number(v);
    else raw[k] = v;
  }
  return raw;
}

/**
 * CSV records of a file with their line numbers, read from checked UTF-8 text
 * (BOM dropped). A row the parser cannot split stops the read: past it, the
 * parser cannot tell where the next row starts.
 */
export async function* csvCells(path: string, opts: { trim?: boolean } = {}): AsyncGenerator<{ line: number; cells: Record<string, string> }> {
  const text = Readable.from(readCheckedText(path));
  const parser = text.pipe(
    parse({ columns: true, relax_column_count: false, info: true, skip_empty_lines: true, trim: opts.trim ?? false, max_record_size: DEFAULTS.trace.maxLineBytes }),
  );
  // pipe() does not pass errors on: a bad line or a missing file ends the parse with that error.
  text.once('error', (err) => parser.destroy(err));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { line: info.lines, cells: record };
    }
  } catch (err) {
    if (err instanceof TraceFormatError) throw err;
    const e = err as { lines?: number; message: string };
    throw new TraceFormatError(path, e.lines ?? 0, '(row)', `malformed CSV: ${e.message}`);
  } finally {
    text.destroy();
    parser.destroy();
  }
}

export async function* csvRecords(path: string): AsyncGenerator<RawRecord> {
  let headerChecked = false;
  for await (const { line, cells } of csvCells(path)) {
    if (!headerChecked) {
      headerChecked = true;
      const unknown = Object.keys(cells).filter((c) => !KNOWN.has(c));
      if (unknown.length) throw new TraceFormatError(path, 1, unknown[0]!, `unknown column; expected columns among ${[...KNOWN].join(', ')}`);
    }
    yield { line, raw: csvRecordToRaw(cells) };
  }
}
