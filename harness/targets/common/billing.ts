// What a deployment is billed and where the money goes, shared by both
// simulators. Both services bill capacity (a running instance, a held rental)
// whether it works or not; a simulator plans jobs in arrival order, so the
// capacity billed since the previous arrival is known when a job arrives and
// is charged to it as idle time: every billed second lands on some job, and
// the report can split a target's cost into useful work, idle capacity and
// work lost to churn.
import type { TimedEvent } from './sim-server.ts';

export type CostPart = 'useful' | 'idle' | 'lost';
export const COST_PARTS: readonly CostPart[] = ['useful', 'idle', 'lost'];

/** Native amount and GPU-seconds per part. */
export type Split = Record<CostPart, { amount: number; gpuSeconds: number }>;

export function emptySplit(): Split {
  return { useful: { amount: 0, gpuSeconds: 0 }, idle: { amount: 0, gpuSeconds: 0 }, lost: { amount: 0, gpuSeconds: 0 } };
}

export function addTo(into: Split, part: CostPart, amount: number, gpuSeconds: number): void {
  into[part].amount += amount;
  into[part].gpuSeconds += gpuSeconds;
}

export function splitTotal(s: Split): { amount: number; gpuSeconds: number } {
  return { amount: s.useful.amount + s.idle.amount + s.lost.amount, gpuSeconds: s.useful.gpuSeconds + s.idle.gpuSeconds + s.lost.gpuSeconds };
}

/** The terminal event of a job's timeline (COMPLETED, FAILED or CANCELLED). */
export function outcomeOf(events: readonly TimedEvent[]): TimedEvent | undefined {
  return events.find((e) => e.event.type === 'COMPLETED' || e.event.type === 'FAILED' || e.event.type === 'CANCELLED');
}

/**
 * Counts planned jobs and the latest outcome; when the run's last job
 * (`runJobs`, told by the harness) has been planned, says so and when the
 * run ends on this target: the latest outcome of any of its jobs. From there
 * the deployment is torn down: capacity still running is billed up to then
 * (an instance or rental above the minimum only until its cool-down or idle
 * timeout stops it earlier), and that tail is charged to the last job.
 */
export class RunEnd {
  private planned = 0;
  private endUs = -Infinity;

  constructor(private readonly runJobs: () => number | undefined) {}

  /** Records a planned job; the run's end (trace µs) when it was the last one, else undefined. */
  record(t0: number, events: readonly TimedEvent[]): number | undefined {
    const o = outcomeOf(events);
    this.endUs = Math.max(this.endUs, t0 + (o?.offsetUs ?? 0));
    this.planned++;
    return this.planned === this.runJobs() ? this.endUs : undefined;
  }
}

/**
 * Adds the deployments' tail (capacity billed after the last job's own
 * share, per workload) to the last job: its outcome amount grows by it and a
 * BILLED event per workload and part says where it went, so BILLED still adds
 * up to the outcome. Returns the tail's native total (the caller settles it).
 */
export function chargeTail(events: TimedEvent[], tail: ReadonlyMap<string, Split>, currency: string, usdRate: number): number {
  const o = outcomeOf(events);
  if (!o) return 0;
  let amount = 0;
  let gpuSeconds = 0;
  for (const [workload, s] of tail) {
    const t = splitTotal(s);
    if (t.amount <= 0 && t.gpuSeconds <= 0) continue;
    amount += t.amount;
    gpuSeconds += t.gpuSeconds;
    events.push(...billedEvents(o.offsetUs, o.event.attempt ?? 1, workload, s, currency, usdRate));
  }
  const e = o.event;
  e.amount = Number(e.amount ?? 0) + amount;
  e.amountUsd = Number(e.amountUsd ?? 0) + amount * usdRate;
  e.billedGpuSeconds = Number(e.billedGpuSeconds ?? 0) + gpuSeconds;
  return amount;
}

/** A job's BILLED events (one per non-zero part): reason is the part, detail the workload. */
export function billedEvents(offsetUs: number, attempt: number, workload: string, s: Split, currency: string, usdRate: number): TimedEvent[] {
  return COST_PARTS.filter((k) => s[k].amount > 0 || s[k].gpuSeconds > 0).map((k) => ({
    offsetUs,
    event: { type: 'BILLED' as const, attempt, reason: k, detail: workload, amount: s[k].amount, amountUsd: s[k].amount * usdRate, currency, usdRate, billedGpuSeconds: s[k].gpuSeconds },
  }));
}

/**
 * Busy intervals of one instance or rental, appended in time order (jobs are
 * planned in arrival order and each starts after the previous one ended), read
 * back as the busy time inside a billing window and dropped once billed past.
 */
export class BusyLog {
  private starts: number[] = [];
  private ends: number[] = [];
  private head = 0;

  add(start: number, end: number): void {
    if (end > start) this.starts.push(start), this.ends.push(end);
  }

  /** Busy time within [from, to); intervals ending by `to` are forgotten (windows advance). */
  busyIn(from: number, to: number): number {
    let sum = 0;
    let i = this.head;
    for (; i < this.starts.length; i++) {
      const s = this.starts[i]!;
      if (s >= to) break;
      sum += Math.max(0, Math.min(this.ends[i]!, to) - Math.max(s, from));
    }
    while (this.head < this.starts.length && this.ends[this.head]! <= to) this.head++;
    if (this.head > 1024 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.ends = this.ends.slice(this.head);
      this.head = 0;
    }
    return sum;
  }
}

/** A binary min-heap of numbers: start times of queued jobs, to count how many still wait at a moment. */
export class MinHeap {
  private a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(v: number): void {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  /** Removes every value ≤ t; returns how many remain. */
  dropUpTo(t: number): number {
    const a = this.a;
    while (a.length && a[0]! <= t) {
      const last = a.pop()!;
      if (!a.length) break;
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return a.length;
  }
}
