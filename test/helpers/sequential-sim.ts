// Drives a SequentialComparison over a simulated paired run the way the
// replay does: jobs in arrival order, complete blocks only, a look every
// `checkEvery` jobs; stops at the first look where every metric is decided.
import { blockStatistics, SequentialComparison, type SequentialMetric, type SequentialOptions, type SequentialState } from '../../harness/stats/sequential.ts';
import type { PairedRun } from './paired-runs.ts';

export type MetricName = 'p90' | 'cost' | 'success';

export function sequentialMetrics(names: readonly MetricName[], margin = 0.05): SequentialMetric[] {
  const ratio = [Math.log(1 - margin), Math.log(1 + margin)] as const;
  const all: Record<MetricName, SequentialMetric> = {
    p90: { name: 'p90', statistic: blockStatistics.logCensoredQuantileRatio(0.9), margin: ratio },
    cost: { name: 'cost', statistic: blockStatistics.logMeanRatio, margin: ratio },
    success: { name: 'success', statistic: blockStatistics.meanDifference, margin: [-0.01, 0.01], binary: true },
  };
  return names.map((n) => all[n]);
}

interface Columns {
  a: Float64Array;
  b: Float64Array;
  ok?: { a: Uint8Array; b: Uint8Array };
}

/**
 * A failed job's time to success never came (+∞ in the run); the p90
 * statistic censors it at its failure time, taken as half a nominal run of
 * the job's size (cost = size × 0.001 × noise), as test/helpers/verdict-sim.ts does.
 */
const failureTimes = (lat: Float64Array, cost: Float64Array) => Float64Array.from(lat, (x, i) => (Number.isFinite(x) ? x : (cost[i]! / 0.001) * 0.5));

function columns(run: PairedRun, name: MetricName): Columns {
  if (name === 'p90') return { a: failureTimes(run.latencyA, run.costA), b: failureTimes(run.latencyB, run.costB), ok: { a: Uint8Array.from(run.okA), b: Uint8Array.from(run.okB) } };
  if (name === 'cost') return { a: run.costA, b: run.costB };
  return { a: run.okA, b: run.okB };
}

export interface SequentialOutcome {
  /** Jobs seen at the stopping look (run.n when it never stopped). */
  stoppedAt: number;
  stopped: boolean;
  looks: number;
  /** State at the stopping look (or the last look). */
  state: SequentialState;
  /** Some metric excluded zero at some look (a false positive in an A/A). */
  everExcludedZero: boolean;
}

/** `keepLooking`: never stop, so every look is a chance to exclude zero (the conservative way to count A/A false positives). */
export function runSequential(run: PairedRun, names: readonly MetricName[], opts: SequentialOptions, checkEvery: number, extra: { margin?: number; keepLooking?: boolean } = {}): SequentialOutcome {
  const margin = extra.margin ?? 0.05;
  const seq = new SequentialComparison(sequentialMetrics(names, margin), opts);
  const cols = names.map((n) => columns(run, n));
  let looks = 0;
  let excluded = false;
  let state = seq.state();
  for (let seen = checkEvery; seen <= run.n; seen += checkEvery) {
    while ((seq.blocks + 1) * opts.blockJobs <= seen) {
      const from = seq.blocks * opts.blockJobs;
      const cut = <T extends Float64Array | Uint8Array>(x: T) => x.subarray(from, from + opts.blockJobs) as T;
      seq.addBlock(cols.map((c) => ({ a: cut(c.a), b: cut(c.b), ...(c.ok ? { ok: { a: cut(c.ok.a), b: cut(c.ok.b) } } : {}) })));
    }
    looks++;
    state = seq.state();
    if (state.metrics.some((m) => m.decision === 'higher' || m.decision === 'lower')) excluded = true;
    if (state.decided && !extra.keepLooking) return { stoppedAt: seen, stopped: true, looks, state, everExcludedZero: excluded };
  }
  return { stoppedAt: run.n, stopped: false, looks, state, everExcludedZero: excluded };
}
