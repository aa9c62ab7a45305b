// Jobs paired across baseline and candidate (every job ran on both), and the
// fixed hash-chosen subsets the paired statistics use, shared by the
// comparison, latency-shift, breakdown and routing sections.
import { hash32 } from '../../harness/common/random.ts';
import type { PairRow, RunQueries } from '../queries.ts';
import type { SectionInput } from './section.ts';

/** Above this many jobs, per-job rows are sampled by a hash of job_id. */
export const MAX_PAIRS = 200_000;
/** Bootstrap over at most about this many pairs: intervals stay stable and cheap on million-job runs. */
export const BOOT_PAIRS = 5_000;

export interface JobPair {
  a: PairRow;
  b: PairRow;
}

export const pairModulo = (jobs: number) => Math.max(1, Math.ceil(jobs / MAX_PAIRS));

/** The per-job rows of both targets; none without a candidate. */
export function loadPairRows(q: RunQueries, input: SectionInput): Promise<PairRow[]> {
  return input.candidate ? q.pairs(pairModulo(input.jobs)) : Promise.resolve([]);
}

/** Jobs with a row on both the baseline (a) and the candidate (b). */
export function pairsOf(rows: readonly PairRow[], baseline: string, candidate: string | null): JobPair[] {
  const byJob = new Map<string, { a?: PairRow; b?: PairRow }>();
  for (const r of rows) {
    const e = byJob.get(r.job_id) ?? {};
    if (r.target === baseline) e.a = r;
    else if (r.target === candidate) e.b = r;
    byJob.set(r.job_id, e);
  }
  return [...byJob.values()].filter((e): e is JobPair => e.a !== undefined && e.b !== undefined);
}

export const bothCompleted = (pairs: readonly JobPair[]) => pairs.filter((p) => p.a.status === 'completed' && p.b.status === 'completed');

/** The fixed bootstrap subset: every pair up to BOOT_PAIRS, else those whose job_id hash falls in one bucket. */
export function bootstrapSubset(pairs: readonly JobPair[]): readonly JobPair[] {
  return pairs.length > BOOT_PAIRS ? pairs.filter((p) => hash32(p.a.job_id) % Math.ceil(pairs.length / BOOT_PAIRS) === 0) : pairs;
}
