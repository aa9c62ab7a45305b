// Canonical CSV traces: a header of job field names, one job per row. Empty
// cells take the field's default; numbers are converted; `labels` holds JSON
// or `k=v;k=v`.
import { parse } from 'csv-parse';
import { TraceFormatError } from '../../common/errors.ts';
import { JobRecordSchema, type Job } from '../job.ts';
import { validateRecord } from '../validate.ts';
import { openText } from './lines.ts';
import type { BadLinePolicy } from './policy.ts';

const NUMERIC = new Set(['gpu_count', 'vram_gb', 'image_bytes', 'input_bytes', 'output_bytes', 'work_seconds', 'price_paid_usd', 'deadline_seconds']);
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

export async function* readCsv(path: string, policy: BadLinePolicy): AsyncGenerator<Job> {
  const parser = openText(path).pipe(parse({ columns: true, bom: true, relax_column_count: false, info: true, skip_empty_lines: true }));
  let headerChecked = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (!headerChecked) {
        headerChecked = true;
        const unknown = Object.keys(record).filter((c) => !KNOWN.has(c));
        if (unknown.length) throw new TraceFormatError(path, 1, unknown[0]!, `unknown column; expected columns among ${[...KNOWN].join(', ')}`);
      }
      try {
        yield validateRecord(path, info.lines, csvRecordToRaw(record));
      } catch (err) {
        if (err instanceof TraceFormatError && policy.badLines === 'skip') policy.onSkip?.(err);
        else throw err;
      }
    }
  } catch (err) {
    if (err instanceof TraceFormatError) throw err;
    const e = err as { lines?: number; message: string };
    throw new TraceFormatError(path, e.lines ?? 0, '(row)', `malformed CSV: ${e.message}`);
  }
}
