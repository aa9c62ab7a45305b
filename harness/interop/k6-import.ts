// `mirrorbench k6 import`: k6's JSON output (one JSON object per line:
// "Metric" declarations and "Point" samples) read back into job results, so a
// k6 run made elsewhere with an exported script appears in the same reports.
// Only samples of the mirrorbench Trend are used; a malformed line is an error
// naming the file and line.
import { TraceFormatError } from '../common/errors.ts';
import { dateOfUs, type JobResultRow, type RunRow } from '../events/schema.ts';
import { readLines } from '../trace/readers/lines.ts';
import type { Store } from '../store/store.ts';
import { K6_METRIC } from './k6-export.ts';

export interface K6Sample {
  time: string;
  value: number;
  tags: Record<string, string>;
}

/** Parses one line of k6 JSON output; undefined for lines that are not samples of our metric. */
export function parseK6Line(file: string, line: number, text: string): K6Sample | undefined {
  if (!text.trim()) return undefined;
  let o: { type?: string; metric?: string; data?: { time?: string; value?: number; tags?: Record<string, string> } };
  try {
    o = JSON.parse(text) as typeof o;
  } catch {
    throw new TraceFormatError(file, line, '(line)', 'expected a JSON object of k6 output');
  }
  if (o.type !== 'Point' || o.metric !== K6_METRIC) return undefined;
  const d = o.data;
  if (!d || typeof d.value !== 'number' || !Number.isFinite(d.value)) throw new TraceFormatError(file, line, 'data.value', 'expected a number of milliseconds');
  if (!d.time || Number.isNaN(Date.parse(d.time))) throw new TraceFormatError(file, line, 'data.time', 'expected an RFC 3339 time');
  const tags = d.tags ?? {};
  for (const k of ['target', 'job_id', 'status']) if (!tags[k]) throw new TraceFormatError(file, line, `data.tags.${k}`, 'missing; was the script made by `mirrorbench k6 export`?');
  return { time: d.time, value: d.value, tags };
}

/** k6 times are RFC 3339 with up to nanoseconds; Date keeps milliseconds, so the fraction is read by hand. */
function timeUs(time: string): number {
  const m = /\.(\d+)/.exec(time);
  const frac = m ? Number(m[1]!.slice(0, 6).padEnd(6, '0')) : 0;
  return Math.floor(Date.parse(time.replace(/\.\d+/, '')) / 1000) * 1_000_000 + frac;
}

/**
 * Builds job results one sample at a time and the run from what it has seen,
 * in constant memory per sample (never spreading every sample into one call:
 * Math.min(...values) overflowed the stack above ~65k jobs).
 */
export class K6RunBuilder {
  private minStartUs = Infinity;
  private maxEndUs = -Infinity;
  private readonly targets = new Set<string>();
  private readonly jobs = new Set<string>();
  private first: K6Sample | undefined;
  samples = 0;

  constructor(
    private readonly runId: string,
    private readonly importedAtUs: number,
  ) {}

  add(s: K6Sample): JobResultRow {
    const endUs = timeUs(s.time);
    const realUs = Math.round(s.value * 1000);
    const speed = Number(s.tags.speed ?? 1) || 1;
    const intended = endUs - realUs;
    this.first ??= s;
    this.samples++;
    this.minStartUs = Math.min(this.minStartUs, intended);
    this.maxEndUs = Math.max(this.maxEndUs, endUs);
    this.targets.add(s.tags.target!);
    this.jobs.add(s.tags.job_id!);
    return {
      run_id: this.runId, target: s.tags.target!, target_kind: s.tags.target_kind ?? 'k6', job_id: s.tags.job_id!, customer: s.tags.customer ?? '', profile: s.tags.profile ?? '',
      task_type: s.tags.task_type ?? '', gpu_class: '', gpu_count: 1, work_seconds: 0, submitted_at_us: 0, intended_at_us: intended, sent_at_us: intended,
      first_event_at_us: 0, started_at_us: 0, finished_at_us: endUs, lateness_us: 0, queue_us: 0, exec_us: 0, total_us: Math.round(realUs * speed),
      status: s.tags.status === 'completed' ? 'completed' : 'failed', error_class: s.tags.status === 'completed' ? '' : (s.tags.error_class ?? 'failed'),
      attempts: 1, providers_tried: 0, provider_losses: 0, offers: 0, provider_id: '', price_per_hour: 0, billed_gpu_seconds: 0, cost_native: 0, currency: '', cost_usd: 0,
      image_bytes: 0, input_bytes: 0, output_bytes: 0, events: 0, intended_date: dateOfUs(intended),
    };
  }

  run(): RunRow {
    const any = this.samples > 0;
    const startedAt = any ? this.minStartUs : this.importedAtUs;
    const jobs = this.jobs.size;
    return {
      run_id: this.runId, scenario: this.first?.tags.scenario_name ?? 'k6-import', seed: 0, trace_path: 'k6', trace_checksum: '', speed: Number(this.first?.tags.speed ?? 1) || 1,
      targets: [...this.targets].sort(), code_version: 'k6', started_at_us: startedAt, ended_at_us: any ? this.maxEndUs : this.importedAtUs, status: 'completed',
      jobs_planned: jobs, jobs_sent: jobs, trace_start_us: 0, config_json: JSON.stringify({ source: 'k6 import' }), updated_at_us: this.importedAtUs, started_date: dateOfUs(startedAt),
    };
  }
}

export function k6Rows(runId: string, samples: readonly K6Sample[], importedAtUs: number): { results: JobResultRow[]; run: RunRow } {
  const b = new K6RunBuilder(runId, importedAtUs);
  const results = samples.map((s) => b.add(s));
  return { results, run: b.run() };
}

async function* k6Samples(file: string): AsyncGenerator<K6Sample> {
  for await (const l of readLines(file)) {
    if (l.error) throw l.error;
    const s = parseK6Line(file, l.line, l.text);
    if (s) yield s;
  }
}

/**
 * Streams a k6 JSON output file into the store as a run, in constant memory
 * per sample: a first pass checks every line (so a bad line at the end leaves
 * nothing stored), a second writes the results in batches and the run row
 * last. Refuses a file with no samples of the mirrorbench metric.
 */
export async function importK6File(file: string, store: Store, opts: { runId?: (firstSample: K6Sample) => string; importedAtUs: number; batchRows?: number }): Promise<{ runId: string; results: number }> {
  let first: K6Sample | undefined;
  for await (const s of k6Samples(file)) first ??= s;
  if (!first) throw TraceFormatError.ofFile(file, `no samples of ${K6_METRIC}; was it made with a script from \`mirrorbench k6 export\`?`);
  const runId = opts.runId?.(first) ?? `k6-${first.tags.scenario_name ?? 'import'}`;
  const builder = new K6RunBuilder(runId, opts.importedAtUs);
  const size = opts.batchRows ?? 10_000;
  let batch: JobResultRow[] = [];
  for await (const s of k6Samples(file)) {
    batch.push(builder.add(s));
    if (batch.length >= size) {
      await store.insert('job_results', batch);
      batch = [];
    }
  }
  if (batch.length) await store.insert('job_results', batch);
  await store.insert('runs', [builder.run()]);
  return { runId, results: builder.samples };
}
