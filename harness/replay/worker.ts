// One replay worker's record (run_workers): which shard it sent, whether it
// finished, and how late it was — at the common start and per release. n
// workers of a sharded run each write their own row, so a run is complete only
// when every one of them says so (store/runs.ts runStatusOf).
import { dateOfUs, type RunWorkerRow } from '../events/schema.ts';

export interface WorkerIdentity {
  runId: string;
  /** This worker's shard; a single-worker run is shard 0 of 1. */
  shard: { index: number; count: number };
  /** Where the worker ran (pod or host name), for the operator reading the report. */
  host: string;
  /** The common start instant given to every worker (epoch µs); 0 when none. */
  startAtUs: number;
  /** How many times this worker was resumed before (0 on a first run). */
  resumes: number;
}

/**
 * Release lateness of one worker's jobs in memory that does not grow with the
 * run: counts in buckets 2 % wide (log scale from 1 µs), so p99 is known to
 * within 2 % and a million releases cost a few kB.
 */
export class LatenessHistogram {
  private static readonly GROWTH = Math.log(1.02);
  private readonly counts: number[] = [];
  private n = 0;
  private maxUs = 0;

  add(lateUs: number): void {
    const us = Math.max(0, lateUs);
    const b = us < 1 ? 0 : 1 + Math.floor(Math.log(us) / LatenessHistogram.GROWTH);
    this.counts[b] = (this.counts[b] ?? 0) + 1;
    this.n++;
    if (us > this.maxUs) this.maxUs = us;
  }

  get count(): number {
    return this.n;
  }

  get max(): number {
    return this.maxUs;
  }

  /** The upper edge of the bucket holding quantile q (0 when empty), never above the maximum seen. */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.ceil(q * this.n);
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b] ?? 0;
      if (seen >= rank) return b === 0 ? 0 : Math.min(this.maxUs, Math.round(Math.exp(b * LatenessHistogram.GROWTH)));
    }
    return this.maxUs;
  }
}

export function workerRow(
  w: WorkerIdentity,
  at: { status: string; startedAtUs: number; endedAtUs: number; startLatenessUs: number; jobsSent: number; lateness: LatenessHistogram; updatedAtUs: number },
): RunWorkerRow {
  return {
    run_id: w.runId,
    shard_index: w.shard.index,
    shard_count: w.shard.count,
    status: at.status,
    host: w.host,
    start_at_us: w.startAtUs,
    started_at_us: at.startedAtUs,
    ended_at_us: at.endedAtUs,
    start_lateness_us: Math.max(0, Math.round(at.startLatenessUs)),
    jobs_sent: at.jobsSent,
    lateness_p99_us: Math.round(at.lateness.quantile(0.99)),
    lateness_max_us: Math.round(at.lateness.max),
    resumes: w.resumes,
    updated_at_us: at.updatedAtUs,
    started_date: dateOfUs(at.startedAtUs),
  };
}
