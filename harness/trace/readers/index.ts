// Reading and writing traces: format chosen by extension, streaming both ways.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { ConfigError, type TraceFormatError } from '../../common/errors.ts';
import { formatTimestampUs, type Job } from '../job.ts';
import { readArrow } from './arrow.ts';
import { readCsv } from './csv.ts';
import { readJsonl } from './jsonl.ts';
import { readParquet } from './parquet.ts';

export type TraceFormat = 'jsonl' | 'csv' | 'arrow' | 'parquet';

export interface ReadTraceOptions {
  format?: TraceFormat;
  badLines?: 'fail' | 'skip';
  onSkip?: (err: TraceFormatError) => void;
}

export function formatOf(path: string): TraceFormat {
  const p = path.replace(/\.gz$/, '').toLowerCase();
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return 'jsonl';
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.arrow') || p.endsWith('.arrows') || p.endsWith('.feather')) return 'arrow';
  if (p.endsWith('.parquet')) return 'parquet';
  throw new ConfigError(`${path}: cannot tell the trace format from the extension; expected .jsonl, .ndjson, .csv, .arrow (optionally .gz) or .parquet`);
}

export function readTrace(path: string, opts: ReadTraceOptions = {}): AsyncGenerator<Job> {
  const policy = { badLines: opts.badLines ?? 'fail', onSkip: opts.onSkip } as const;
  switch (opts.format ?? formatOf(path)) {
    case 'jsonl':
      return readJsonl(path, policy);
    case 'csv':
      return readCsv(path, policy);
    case 'arrow':
      return readArrow(path, policy);
    case 'parquet':
      return readParquet(path, policy);
  }
}

/** The canonical JSONL line of a job (`submitted_at` as ISO-8601 with microseconds). */
export function jobToJsonLine(job: Job): string {
  return JSON.stringify({ ...job, submitted_at: formatTimestampUs(job.submitted_at) });
}

export async function writeJsonl(path: string, jobs: Iterable<Job> | AsyncIterable<Job>): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let n = 0;
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
  return n;
}

export async function traceChecksum(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
