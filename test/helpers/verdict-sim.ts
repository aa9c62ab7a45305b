// Seeded paired runs (paired-runs.ts) turned into the verdict path's input
// (harness/stats/paired-compare.ts): failed jobs carry a failure time (half
// the time the job would have taken — a failure part-way through), so they are
// censored there rather than dropped, and a planted slowdown scales failure
// times too (the candidate is the baseline's process ×k, so the true ratio of
// any quantile of time to success is exactly k).
import type { Random } from '../../harness/common/random.ts';
import type { PairedJobs } from '../../harness/stats/paired-compare.ts';
import { DEFAULT_MODEL, simulateRun, type PlantedEffect, type RunModel } from './paired-runs.ts';

export interface SimOptions extends PlantedEffect {
  /** The candidate times out its slowest `timeoutShare` of jobs: censored at that quantile of its own latencies. */
  timeoutShare?: number;
  model?: RunModel;
}

export function simulatePaired(n: number, r: Random, opts: SimOptions = {}): PairedJobs {
  const run = simulateRun(n, r, opts, opts.model);
  const jobs: PairedJobs = {
    okA: Uint8Array.from(run.okA),
    okB: Uint8Array.from(run.okB),
    latA: new Float64Array(n),
    latB: new Float64Array(n),
    costA: Float64Array.from(run.costA),
    costB: Float64Array.from(run.costB),
  };
  for (let i = 0; i < n; i++) {
    // A failed job's would-be latency is not drawn (Infinity); its job size is
    // the cost's scale (cost = size × 0.001 × noise), so fail at half a nominal run of that size.
    const nominalA = (run.costA[i]! / 0.001) * 0.5;
    const nominalB = (run.costB[i]! / 0.001 / (opts.cost ?? 1)) * 0.5 * (opts.latency ?? 1);
    jobs.latA[i] = run.okA[i] ? run.latencyA[i]! : nominalA;
    jobs.latB[i] = run.okB[i] ? run.latencyB[i]! : nominalB;
  }
  if (opts.timeoutShare) {
    const done = [...jobs.latB].filter((_, i) => jobs.okB[i]).sort((a, b) => a - b);
    const cut = done[Math.floor(done.length * (1 - opts.timeoutShare))]!;
    for (let i = 0; i < n; i++) {
      if (jobs.okB[i] && jobs.latB[i]! >= cut) {
        jobs.okB[i] = 0;
        jobs.latB[i] = cut;
      }
    }
  }
  return jobs;
}

export { DEFAULT_MODEL };
