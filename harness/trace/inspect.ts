// A trace at a glance: span, arrival rate, mix and work-time quantiles.
// `summarize` is a pure accumulator; `inspectTrace` is the file edge.
import { quantileSorted } from 'simple-statistics';
import { formatTimestampUs, type Job } from './job.ts';
import { readTrace } from './readers/index.ts';

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
  topCustomers: { customer: string; jobs: number }[];
  customers: number;
  workSeconds: { p50: number; p90: number; p99: number; max: number; totalGpuHours: number };
}

export class TraceSummarizer {
  private n = 0;
  private firstUs: number | undefined;
  private lastUs = 0;
  private readonly hours = new Map<number, number>();
  private readonly tasks = new Map<string, number>();
  private readonly profiles = new Map<string, number>();
  private readonly gpus = new Map<string, number>();
  private readonly customers = new Map<string, number>();
  private readonly work: number[] = [];
  private gpuSeconds = 0;

  add(job: Job): void {
    this.n++;
    this.firstUs ??= job.submitted_at;
    this.lastUs = job.submitted_at;
    const bump = (m: Map<string | number, number>, k: string | number) => m.set(k, (m.get(k) ?? 0) + 1);
    bump(this.hours as Map<string | number, number>, Math.floor(job.submitted_at / 3.6e9));
    bump(this.tasks as Map<string | number, number>, job.task_type);
    bump(this.profiles as Map<string | number, number>, job.profile);
    bump(this.gpus as Map<string | number, number>, job.gpu_class);
    bump(this.customers as Map<string | number, number>, job.customer);
    this.work.push(job.work_seconds);
    this.gpuSeconds += job.work_seconds * job.gpu_count;
  }

  result(): TraceSummary {
    const sorted = Float64Array.from(this.work).sort();
    const q = (p: number) => (sorted.length ? quantileSorted(Array.from(sorted), p) : 0);
    const span = this.firstUs === undefined ? 0 : (this.lastUs - this.firstUs) / 1e6;
    return {
      jobs: this.n,
      first: this.firstUs === undefined ? null : formatTimestampUs(this.firstUs),
      last: this.firstUs === undefined ? null : formatTimestampUs(this.lastUs),
      spanSeconds: span,
      meanArrivalsPerSecond: span > 0 ? this.n / span : 0,
      peakHourJobs: Math.max(0, ...this.hours.values()),
      byTaskType: Object.fromEntries(this.tasks),
      byProfile: Object.fromEntries(this.profiles),
      byGpuClass: Object.fromEntries(this.gpus),
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

export async function inspectTrace(path: string): Promise<TraceSummary> {
  const s = new TraceSummarizer();
  for await (const job of readTrace(path)) s.add(job);
  return s.result();
}

export function formatTraceSummary(s: TraceSummary): string {
  const mix = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v} (${((100 * v) / Math.max(1, s.jobs)).toFixed(1)}%)`)
      .join(', ');
  return [
    `jobs        ${s.jobs}`,
    `span        ${s.first} → ${s.last} (${(s.spanSeconds / 3600).toFixed(2)} h)`,
    `arrivals    ${s.meanArrivalsPerSecond.toFixed(3)}/s mean, ${s.peakHourJobs} in the busiest hour`,
    `task types  ${mix(s.byTaskType)}`,
    `profiles    ${mix(s.byProfile)}`,
    `gpu classes ${mix(s.byGpuClass)}`,
    `customers   ${s.customers}; top: ${s.topCustomers.slice(0, 5).map((c) => `${c.customer} ${c.jobs}`).join(', ')}`,
    `work (s)    p50 ${s.workSeconds.p50.toFixed(1)}, p90 ${s.workSeconds.p90.toFixed(1)}, p99 ${s.workSeconds.p99.toFixed(1)}, max ${s.workSeconds.max.toFixed(1)}; ${s.workSeconds.totalGpuHours.toFixed(1)} GPU-hours`,
  ].join('\n');
}
