// Which jobs of a trace a run sends: time window, sampling and sharding.
// Pure and keyed on job_id (not on position), so the same job is picked by
// every worker, every rerun and every resume.
import { hash32 } from '../common/random.ts';
import type { Job } from '../trace/job.ts';

export interface Selection {
  /** Skip this many trace seconds from the trace's first arrival. */
  offsetSeconds?: number;
  /** Keep only this many trace seconds after the offset. */
  durationSeconds?: number;
  /** Keep this fraction of jobs, by a seeded hash of job_id (0 < f ≤ 1). */
  sampleFraction?: number;
  sampleSeed?: number;
  /**
   * Sample the fraction within each customer profile × task type stratum
   * exactly (systematic sampling in trace order from a seeded phase), so small
   * strata keep their share instead of a binomial one. Deterministic for a
   * given trace, so every shard worker and every resume picks the same jobs.
   */
  stratified?: boolean;
  /** Worker `index` of `count` keeps the jobs whose hash falls in its shard. */
  shard?: { index: number; count: number };
  taskTypes?: readonly string[];
  profiles?: readonly string[];
}

/** Uniform in [0, 1) from a job id and a seed. */
export function unitHash(jobId: string, seed: number): number {
  return hash32(`${seed}:${jobId}`) / 4294967296;
}

export function makeJobFilter(sel: Selection): (job: Job) => boolean {
  const fraction = sel.stratified ? 1 : (sel.sampleFraction ?? 1);
  const seed = sel.sampleSeed ?? 0;
  const strata = sel.stratified && (sel.sampleFraction ?? 1) < 1 ? stratifiedSampler(sel.sampleFraction!, seed) : undefined;
  const tasks = sel.taskTypes && sel.taskTypes.length ? new Set(sel.taskTypes) : undefined;
  const profiles = sel.profiles && sel.profiles.length ? new Set(sel.profiles) : undefined;
  return (job) => {
    if (tasks && !tasks.has(job.task_type)) return false;
    if (profiles && !profiles.has(job.profile)) return false;
    if (fraction < 1 && unitHash(job.job_id, seed) >= fraction) return false;
    if (strata && !strata(job)) return false;
    if (sel.shard && !inShard(job.job_id, sel.shard)) return false;
    return true;
  };
}

/** Whether worker `shard.index` of `shard.count` sends this job (by a hash of its id, so the workers never overlap). */
export function inShard(jobId: string, shard: { index: number; count: number }): boolean {
  return shard.count <= 1 || hash32(`shard:${jobId}`) % shard.count === shard.index;
}

/**
 * The trace time every worker of a sharded run maps to the common start: the
 * first job the selection keeps before sharding, so worker i's jobs go out
 * when a single worker would have sent them (undefined: nothing selected).
 */
export async function selectionOrigin(jobs: AsyncIterable<Job> | Iterable<Job>, sel: Selection): Promise<number | undefined> {
  for await (const job of selectJobs(jobs, { ...sel, shard: undefined })) return job.submitted_at;
  return undefined;
}

/** Keeps the k-th job of its stratum when ⌊(k+1)·f + φ⌋ > ⌊k·f + φ⌋: exactly ⌊n·f⌋ or ⌈n·f⌉ of n. */
function stratifiedSampler(fraction: number, seed: number): (job: Job) => boolean {
  const seen = new Map<string, number>();
  return (job) => {
    const key = `${job.profile}\u0000${job.task_type}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const phase = unitHash(key, seed);
    return Math.floor((k + 1) * fraction + phase) > Math.floor(k * fraction + phase);
  };
}

/** What the selection does with the next job of a time-ordered stream: send it, pass over it, or stop (past the window). */
export type Pick = 'keep' | 'skip' | 'stop';

/**
 * The time window and filter as a function called on each job in trace
 * order (it keeps state: the first job's time, stratum counts). The
 * scheduler calls it in its own loop (ScheduleOptions.select), so a run pays
 * no async generator of its own per job; selectJobs wraps it as a stream.
 */
export function jobSelector(sel: Selection): (job: Job) => Pick {
  const keep = makeJobFilter(sel);
  let firstUs: number | undefined;
  const fromUs = (sel.offsetSeconds ?? 0) * 1e6;
  const untilUs = sel.durationSeconds !== undefined ? fromUs + sel.durationSeconds * 1e6 : Infinity;
  return (job) => {
    firstUs ??= job.submitted_at;
    const rel = job.submitted_at - firstUs;
    if (rel < fromUs) return 'skip';
    if (rel >= untilUs) return 'stop';
    return keep(job) ? 'keep' : 'skip';
  };
}

/** Applies the time window and filter to a time-ordered job stream. */
export async function* selectJobs(jobs: AsyncIterable<Job> | Iterable<Job>, sel: Selection): AsyncGenerator<Job> {
  const pick = jobSelector(sel);
  for await (const job of jobs) {
    const p = pick(job);
    if (p === 'stop') break;
    if (p === 'keep') yield job;
  }
}
