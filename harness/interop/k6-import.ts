// `mirrorbench k6 import`: k6's JSON output (one JSON object per line:
// "Metric" declarations and "Point" samples) read back into job results, so a
// k6 run made elsewhere with an exported script appears in the same reports.
// Only samples of the mirrorbench Trend are used; a malformed line is an error
// naming the file and line.
import { TraceFormatError } from '../common/errors.ts';
import { dateOfUs, type JobResultRow, type RunRow } from '../events/schema.ts';
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

export function k6Rows(runId: string, samples: readonly K6Sample[], importedAtUs: number): { results: JobResultRow[]; run: RunRow } {
  const results = samples.map((s): JobResultRow => {
    const endUs = timeUs(s.time);
    const realUs = Math.round(s.value * 1000);
    const speed = Number(s.tags.speed ?? 1) || 1;
    const intended = endUs - realUs;
    return {
      run_id: runId, target: s.tags.target!, target_kind: s.tags.target_kind ?? 'k6', job_id: s.tags.job_id!, customer: s.tags.customer ?? '', profile: s.tags.profile ?? '',
      task_type: s.tags.task_type ?? '', gpu_class: '', gpu_count: 1, work_seconds: 0, submitted_at_us: 0, intended_at_us: intended, sent_at_us: intended,
      first_event_at_us: 0, started_at_us: 0, finished_at_us: endUs, lateness_us: 0, queue_us: 0, exec_us: 0, total_us: Math.round(realUs * speed),
      status: s.tags.status === 'completed' ? 'completed' : 'failed', error_class: s.tags.status === 'completed' ? '' : (s.tags.error_class ?? 'failed'),
      attempts: 1, providers_tried: 0, provider_losses: 0, offers: 0, provider_id: '', price_per_hour: 0, billed_gpu_seconds: 0, cost_native: 0, currency: '', cost_usd: 0,
      image_bytes: 0, input_bytes: 0, output_bytes: 0, events: 0, intended_date: dateOfUs(intended),
    };
  });
  const starts = results.map((r) => r.intended_at_us);
  const ends = results.map((r) => r.finished_at_us);
  const startedAt = starts.length ? Math.min(...starts) : importedAtUs;
  const targets = [...new Set(results.map((r) => r.target))].sort();
  const jobs = new Set(results.map((r) => r.job_id)).size;
  const run: RunRow = {
    run_id: runId, scenario: samples[0]?.tags.scenario_name ?? 'k6-import', seed: 0, trace_path: 'k6', trace_checksum: '', speed: Number(samples[0]?.tags.speed ?? 1) || 1,
    targets, code_version: 'k6', started_at_us: startedAt, ended_at_us: ends.length ? Math.max(...ends) : importedAtUs, status: 'completed',
    jobs_planned: jobs, jobs_sent: jobs, trace_start_us: 0, config_json: JSON.stringify({ source: 'k6 import' }), updated_at_us: importedAtUs, started_date: dateOfUs(startedAt),
  };
  return { results, run };
}
