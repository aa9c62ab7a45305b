// Jobs paired across baseline and candidate (every job ran on both), and the
// fixed hash-chosen subsets the paired statistics use, shared by the
// comparison, latency-shift, breakdown and routing sections.
import { mixedHash32 } from '../../harness/common/random.ts';
import type { PairedJobs } from '../../harness/stats/paired-compare.ts';
import type { PairRow, RunQueries } from '../queries.ts';
import type { SectionInput } from './section.ts';

/** Above this many jobs, per-job rows are sampled by a hash of job_id. */
export const MAX_PAIRS = 200_000;
/** Bootstrap over at most about this many pairs: intervals stay stable and cheap on million-job runs. */
export const BOOT_PAIRS = 5_000;

/** A job on the baseline (a) and the candidate (b); rows are job_results pairs unless a section pairs its own. */
export interface JobPair<R = PairRow> {
  a: R;
  b: R;
}

type Pairable = { job_id: string; target: string; submitted_at_us?: number | string };

export const pairModulo = (jobs: number) => Math.max(1, Math.ceil(jobs / MAX_PAIRS));

/** The per-job rows of both targets; none without a candidate. */
export function loadPairRows(q: RunQueries, input: SectionInput): Promise<PairRow[]> {
  return input.candidate ? q.pairs(pairModulo(input.jobs)) : Promise.resolve([]);
}

/** Jobs with a row on both the baseline (a) and the candidate (b), in submission order (the block bootstrap's series). */
export function pairsOf<R extends Pairable = PairRow>(rows: readonly R[], baseline: string, candidate: string | null): JobPair<R>[] {
  const byJob = new Map<string, { a?: R; b?: R }>();
  for (const r of rows) {
    const e = byJob.get(r.job_id) ?? {};
    if (r.target === baseline) e.a = r;
    else if (r.target === candidate) e.b = r;
    byJob.set(r.job_id, e);
  }
  return [...byJob.values()]
    .filter((e): e is JobPair<R> => e.a !== undefined && e.b !== undefined)
    .sort((x, y) => Number(x.a.submitted_at_us ?? 0) - Number(y.a.submitted_at_us ?? 0) || (x.a.job_id < y.a.job_id ? -1 : x.a.job_id > y.a.job_id ? 1 : 0));
}

export const bothCompleted = (pairs: readonly JobPair[]) => pairs.filter((p) => p.a.status === 'completed' && p.b.status === 'completed');

/** The fixed bootstrap subset: every pair up to BOOT_PAIRS, else those whose job_id hash falls in one bucket. */
export function bootstrapSubset<R extends Pairable>(pairs: readonly JobPair<R>[]): readonly JobPair<R>[] {
  return pairs.length > BOOT_PAIRS ? pairs.filter((p) => mixedHash32(p.a.job_id) % Math.ceil(pairs.length / BOOT_PAIRS) === 0) : pairs;
}

/**
 * The verdict path's input: every paired job, failed ones included — a
 * failure's total_us is its time to failure, where its time to success is
 * censored (dropping failures compared only the survivors).
 */
export function pairedJobs(pairs: readonly JobPair[]): PairedJobs {
  const ok = (r: JobPair['a']) => (r.status === 'completed' ? 1 : 0);
  return {
    okA: Uint8Array.from(pairs, (p) => ok(p.a)),
    okB: Uint8Array.from(pairs, (p) => ok(p.b)),
    latA: Float64Array.from(pairs, (p) => Number(p.a.total_us) / 1e6),
    latB: Float64Array.from(pairs, (p) => Number(p.b.total_us) / 1e6),
    costA: Float64Array.from(pairs, (p) => Number(p.a.cost_usd)),
    costB: Float64Array.from(pairs, (p) => Number(p.b.cost_usd)),
  };
}
