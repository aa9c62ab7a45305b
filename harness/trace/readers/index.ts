// Reading and writing traces: format chosen by extension, streaming both ways.
// Every format reader yields raw records with their line (or row) numbers;
// records.ts turns them into jobs with the same checks for all of them.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { ConfigError } from '../../common/errors.ts';
import { formatTimestampUs, type Job } from '../job.ts';
import { checkRecords, type CheckOptions, type RawRecord, type TraceRecord } from '../records.ts';
import { arrowRecords } from './arrow.ts';
import { csvRecords } from './csv.ts';
import { jsonlRecords } from './jsonl.ts';
import { parquetRecords } from './parquet.ts';
import { fileProblem } from './source.ts';

export type TraceFormat = 'jsonl' | 'csv' | 'arrow' | 'parquet';

export interface ReadTraceOptions extends Omit<CheckOptions, 'idAtLine'> {
  format?: TraceFormat;
}

export function formatOf(path: string): TraceFormat {
  const p = path.replace(/\.gz$/i, '').toLowerCase();
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return 'jsonl';
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.arrow') || p.endsWith('.arrows') || p.endsWith('.feather')) return 'arrow';
  if (p.endsWith('.parquet')) return 'parquet';
  throw new ConfigError(`${path}: cannot tell the trace format from the extension; expected .jsonl, .ndjson, .csv, .arrow (optionally .gz) or .parquet`);
}

function rawRecords(path: string, format: TraceFormat): AsyncGenerator<RawRecord> {
  switch (format) {
    case 'jsonl':
      return jsonlRecords(path);
    case 'csv':
      return csvRecords(path);
    case 'arrow':
      return arrowRecords(path);
    case 'parquet':
      return parquetRecords(path);
  }
}

/** The raw job id at a line of a record source, read again from the start. */
export function idAtLineOf(records: () => AsyncIterable<RawRecord>): (line: number) => Promise<string | undefined> {
  return async (line) => {
    for await (const r of records()) {
      if (r.line < line) continue;
      const id = r.line === line ? (r.raw as { job_id?: unknown } | undefined)?.job_id : undefined;
      return typeof id === 'string' ? id : undefined;
    }
    return undefined;
  };
}

/** Jobs of a trace file with their line (row) numbers, checked as records.ts says. */
export function readTraceRecords(path: string, opts: ReadTraceOptions = {}): AsyncGenerator<TraceRecord> {
  const format = opts.format ?? formatOf(path);
  return checkRecords(path, rawRecords(path, format), { ...opts, idAtLine: idAtLineOf(() => rawRecords(path, format)) });
}

export function readTrace(path: string, opts: ReadTraceOptions = {}): AsyncGenerator<Job> {
  return jobsOf(readTraceRecords(path, opts));
}

export async function* jobsOf(records: AsyncIterable<TraceRecord>): AsyncGenerator<Job> {
  for await (const r of records) yield r.job;
}

/** The canonical JSONL line of a job (`submitted_at` as ISO-8601 with microseconds). */
export function jobToJsonLine(job: Job): string {
  return JSON.stringify({ ...job, submitted_at: formatTimestampUs(job.submitted_at) });
}

/**
 * Writes jobs as canonical JSONL. The file appears at `path` only when
 * complete: it is written beside it under a temporary name and renamed, so a
 * generation or import that fails part-way leaves no trace for the next run
 * to take as finished (generated traces are cached by path).
 */
export async function writeJsonl(path: string, jobs: Iterable<Job> | AsyncIterable<Job>): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
  const out = createWriteStream(tmp);
  let n = 0;
  try {
    let chunk = '';
    for await (const job of jobs) {
      chunk += jobToJsonLine(job) + '\n';
      n++;
      if (chunk.length > 1 << 16) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
    await rename(tmp, path);
    return n;
  } catch (err) {
    if (!out.closed) {
      const closed = once(out, 'close').catch(() => undefined);
      out.destroy();
      await closed;
    }
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function traceChecksum(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (err) {
    throw fileProblem(path, err);
  }
  return hash.digest('hex');
}
