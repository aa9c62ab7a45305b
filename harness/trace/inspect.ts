// A trace at a glance: span, arrival rate, mix, sources and work-time quantiles.
// `summarize` is a pure accumulator; `inspectTrace` is the file edge;
// `formatTraceSummary` prints it for a terminal, trace text escaped.
import { quantileSorted } from 'simple-statistics';
import { printable } from '../common/printable.ts';
import { formatTimestampUs, type Job } from './job.ts';
import { readTrace, type ReadTraceOptions } from './readers/index.ts';

export interface TraceSummary {
  jobs: number;
  first: string | null;
  last: string | null;
  spanSeconds: number;
  meanArrivalsPerSecond: number;
  peakHourJobs: number;
  byTaskType: Record<string, number>;
  byProfile: Record<string, number>;
  byGpuClass: Record<string, number>;
  /** Jobs per labels.source (the generator or the public trace a job came from); "(none)" without one. */
  bySource: Record<string, number>;
  /** How an importer chose each source's service, where it says (labels.service, labels.service_from). */
  sourceServices: Record<string, { service: string; from: string }>;
  topCustomers: { customer: string; jobs: number }[];
  customers: number;
  workSeconds: { p50: number; p90: number; p99: number; max: number; totalGpuHours: number };
}

export class TraceSummarizer {
  private n = 0;
  private minUs = Infinity;
  private maxUs = -Infinity;
  private readonly hours = new Map<number, number>();
  private readonly tasks = new Map<string, number>();
  private readonly profiles = new Map<string, number>();
  private readonly gpus = new Map<string, number>();
  private readonly sources = new Map<string, number>();
  private readonly services = new Map<string, { service: string; from: string }>();
  private readonly customers = new Map<string, number>();
  private readonly work: number[] = [];
  private gpuSeconds = 0;

  add(job: Job): void {
    this.n++;
    // The span is max − min: it must not go negative whatever order jobs come in.
    this.minUs = Math.min(this.minUs, job.submitted_at);
    this.maxUs = Math.max(this.maxUs, job.submitted_at);
    const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
    bump(this.hours, Math.floor(job.submitted_at / 3.6e9));
    bump(this.tasks, job.task_type);
    bump(this.profiles, job.profile);
    bump(this.gpus, job.gpu_class);
    bump(this.customers, job.customer);
    const source = job.labels.source ?? '(none)';
    bump(this.sources, source);
    if (job.labels.service && !this.services.has(source)) this.services.set(source, { service: job.labels.service, from: job.labels.service_from ?? '' });
    this.work.push(job.work_seconds);
    this.gpuSeconds += job.work_seconds * job.gpu_count;
  }

  result(): TraceSummary {
    const sorted = Float64Array.from(this.work).sort();
    const q = (p: number) => (sorted.length ? quantileSorted(Array.from(sorted), p) : 0);
    const any = this.n > 0;
    const span = any ? (this.maxUs - this.minUs) / 1e6 : 0;
    return {
      jobs: this.n,
      first: any ? formatTimestampUs(this.minUs) : null,
      last: any ? formatTimestampUs(this.maxUs) : null,
      spanSeconds: span,
      meanArrivalsPerSecond: span > 0 ? this.n / span : 0,
      peakHourJobs: Math.max(0, ...this.hours.values()),
      byTaskType: Object.fromEntries(this.tasks),
      byProfile: Object.fromEntries(this.profiles),
      byGpuClass: Object.fromEntries(this.gpus),
      bySource: Object.fromEntries(this.sources),
      sourceServices: Object.fromEntries(this.services),
      topCustomers: [...this.customers.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([customer, jobs]) => ({ customer, jobs })),
      customers: this.customers.size,
      workSeconds: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: sorted.length ? sorted[sorted.length - 1]! : 0, totalGpuHours: this.gpuSeconds / 3600 },
    };
  }
}

export function summarize(jobs: Iterable<Job>): TraceSummary {
  const s = new TraceSummarizer();
  for (const job of jobs) s.add(job);
  return s.result();
}

export async function inspectTrace(path: string, opts: ReadTraceOptions = {}): Promise<TraceSummary> {
  const s = new TraceSummarizer();
  for await (const job of readTrace(path, opts)) s.add(job);
  return s.result();
}

/** The summary for a terminal: every value from the trace goes through printable(). */
export function formatTraceSummary(s: TraceSummary): string {
  const mix = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${printable(k)} ${v} (${((100 * v) / Math.max(1, s.jobs)).toFixed(1)}%)`)
      .join(', ');
  const sources = Object.entries(s.bySource)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => {
      const svc = s.sourceServices[k];
      const how = svc ? ` — service ${printable(svc.service)}${svc.from ? `, from the ${printable(svc.from)}` : ''}` : '';
      return `${printable(k)} ${v} (${((100 * v) / Math.max(1, s.jobs)).toFixed(1)}%)${how}`;
    })
    .join('; ');
  return [
    `jobs        ${s.jobs}`,
    `span        ${s.first} → ${s.last} (${(s.spanSeconds / 3600).toFixed(2)} h)`,
    `arrivals    ${s.meanArrivalsPerSecond.toFixed(3)}/s mean, ${s.peakHourJobs} in the busiest hour`,
    `source      ${sources}`,
    `task types  ${mix(s.byTaskType)}`,
    `profiles    ${mix(s.byProfile)}`,
    `gpu classes ${mix(s.byGpuClass)}`,
    `customers   ${s.customers}; top: ${s.topCustomers.slice(0, 5).map((c) => `${printable(c.customer)} ${c.jobs}`).join(', ')}`,
    `work (s)    p50 ${s.workSeconds.p50.toFixed(1)}, p90 ${s.workSeconds.p90.toFixed(1)}, p99 ${s.workSeconds.p99.toFixed(1)}, max ${s.workSeconds.max.toFixed(1)}; ${s.workSeconds.totalGpuHours.toFixed(1)} GPU-hours`,
  ].join('\n');
}
