// Seeded paired runs (paired-runs.ts) turned into the verdict path's input
// (harness/stats/paired-compare.ts): failed jobs carry a failure time (half
// the time the job would have taken — a failure part-way through), so they are
// censored there rather than dropped, and a planted slowdown scales failure
// times too (the candidate is the baseline's process ×k, so the true ratio of
// any quantile of time to success is exactly k).
import { seededRandom, type Random } from '../../harness/common/random.ts';
import { comparePaired, type PairedJobs } from '../../harness/stats/paired-compare.ts';
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


export interface MetricFigures {
  /** Runs where the line was tested (not "insufficient data"). */
  tested: number;
  /** Unadjusted: p < α and the interval excludes "no change". */
  significant: number;
  /** The interval covers the planted truth. */
  covered: number;
  /** Runs that read better / worse after Holm and the margin. */
  better: number;
  worse: number;
  insufficient: number;
  /** Block lengths summed over the runs, and replicates dropped as non-finite. */
  blockSum: number;
  dropped: number;
}

/** Counts over a range of replications: tallies of disjoint ranges add up (the bench spreads them over processes). */
export interface Tally {
  reps: number;
  /** Runs where some headline line read better or worse. */
  family: number;
  metrics: Record<string, MetricFigures>;
}

export interface Measurement {
  n: number;
  reps: number;
  resamples: number;
  metrics: Record<string, MetricFigures & { significantRate: number; coverage: number; blockMean: number }>;
  /** Share of runs where some headline line read better or worse (Holm across the lines, margin 0). */
  familyWise: number;
}

export interface MeasureOptions {
  n: number;
  reps: number;
  resamples: number;
  seed: number;
  sim?: SimOptions;
  confidence?: number;
  /** Lines to compute (comparePaired's `only`; all when omitted): success-only studies need no bootstrap. */
  only?: readonly ('latency' | 'cost' | 'success')[];
}

/**
 * Replicates the verdict path (comparePaired, as the report runs it, margin 0
 * so that only the error rates are measured) over replications `from` ≤ k <
 * `to` of a seeded study: replication k's run and resamples depend on (seed, k)
 * only, so any split of the range gives the same counts.
 */
export function tallyVerdicts(opts: Omit<MeasureOptions, 'reps'>, from: number, to: number): Tally {
  const confidence = opts.confidence ?? 0.95;
  const truth = (metric: string) => (metric.includes('latency') ? (opts.sim?.latency ?? 1) : metric === 'cost per job' ? (opts.sim?.cost ?? 1) : 0);
  const metrics: Record<string, MetricFigures> = {};
  let family = 0;
  for (let k = from; k < to; k++) {
    const r = seededRandom(opts.seed * 1_000_003 + k);
    const lines = comparePaired(simulatePaired(opts.n, r.fork('run'), opts.sim), { confidence, resamples: opts.resamples, random: r.fork('boot'), margin: 0, ...(opts.only ? { only: opts.only } : {}) });
    let any = false;
    for (const l of lines) {
      const m = (metrics[l.metric] ??= { tested: 0, significant: 0, covered: 0, better: 0, worse: 0, insufficient: 0, blockSum: 0, dropped: 0 });
      if (l.verdict === 'insufficient data') {
        m.insufficient++;
        continue;
      }
      m.tested++;
      const nul = l.scale === 'ratio' ? 1 : 0;
      const [lo, hi] = l.interval;
      if (l.pValue < 1 - confidence && (lo > nul || hi < nul)) m.significant++;
      const t = truth(l.metric);
      if (lo <= t && t <= hi) m.covered++;
      if (l.verdict === 'better') m.better++;
      if (l.verdict === 'worse') m.worse++;
      if (l.verdict === 'better' || l.verdict === 'worse') any = true;
      m.blockSum += l.blockLength ?? 0;
      m.dropped += l.replicates?.dropped ?? 0;
    }
    if (any) family++;
  }
  return { reps: to - from, family, metrics };
}

/** Rates from tallies of disjoint replication ranges of one study. */
export function summarizeTallies(opts: Pick<MeasureOptions, 'n' | 'resamples'>, tallies: readonly Tally[]): Measurement {
  const reps = tallies.reduce((a, t) => a + t.reps, 0);
  const sum: Record<string, MetricFigures> = {};
  for (const t of tallies) {
    for (const [k, m] of Object.entries(t.metrics)) {
      const s = (sum[k] ??= { tested: 0, significant: 0, covered: 0, better: 0, worse: 0, insufficient: 0, blockSum: 0, dropped: 0 });
      for (const f of Object.keys(s) as (keyof MetricFigures)[]) s[f] += m[f];
    }
  }
  const metrics: Measurement['metrics'] = {};
  for (const [k, m] of Object.entries(sum)) {
    metrics[k] = { ...m, significantRate: m.tested ? m.significant / m.tested : NaN, coverage: m.tested ? m.covered / m.tested : NaN, blockMean: reps ? m.blockSum / reps : NaN };
  }
  return { n: opts.n, reps, resamples: opts.resamples, metrics, familyWise: reps ? tallies.reduce((a, t) => a + t.family, 0) / reps : NaN };
}

/** The whole study in this process. */
export function measureVerdicts(opts: MeasureOptions): Measurement {
  return summarizeTallies(opts, [tallyVerdicts(opts, 0, opts.reps)]);
}

/** The dependence the simulation tests use besides the default's: congestion with a memory of ~9 jobs instead of ~39. */
export const MODERATE: RunModel = { ...DEFAULT_MODEL, phi: 0.8 };
/** Rare failures, so that p99 of time to success is defined (at most 1 % may fail). */
export const RARE_FAILURES: RunModel = { ...DEFAULT_MODEL, phi: 0.8, failRate: 0.003 };
