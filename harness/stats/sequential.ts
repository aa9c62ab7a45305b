// Always-valid inference for paired comparisons that are looked at while the
// data arrive: a confidence sequence covers the true effect at every look at
// once, so stopping as soon as it excludes zero keeps the false-positive rate.
//
// Method. Jobs are cut, in arrival order, into blocks of `blockJobs`
// consecutive jobs; each block gives one number (a block statistic of the
// per-job pairs, e.g. the log ratio of the block's p90 latencies on the two
// targets). A churn episode or a backlog ties neighbouring jobs together, but
// statistics of blocks much longer than that memory are close to independent,
// so the block statistics are treated as an independent sequence, and as
// normal (each is an average or a quantile of many jobs). Their mean gets a
// mixture confidence sequence: the normal mixture of Robbins (1970) behind
// the mixture SPRT of Johari, Pekelis & Walsh ("Always valid inference",
// 2017/2022; Optimizely's stats engine) and Howard, Ramdas, McAuliffe &
// Sekhon (2021), in its scale-invariant form for an unknown variance (Lai
// 1976; Wang & Ramdas 2023, see tMixtureHalfWidth), which is exact at every
// look for normal observations, where plugging the running variance into the
// known-variance boundary (Waudby-Smith et al. 2024's asymptotic confidence
// sequence) holds only as the blocks grow many (measured: 5.75 % false
// positives instead of ≤ 5 % with 10–60 blocks of dependent jobs). The
// mixture's width is tuned to be tightest after `tOpt` blocks (the closed
// form through Lambert's W₋₁ of Waudby-Smith et al.). A look counts only
// blocks whose every job has an outcome on both targets, so fast jobs
// finishing first cannot bias a block. Several primary comparisons share the
// error rate by Bonferroni (α/k each), which holds over all looks.

import { meanOf } from './bootstrap.ts';

/** Lambert's W on its lower branch, W₋₁(x) for x in [−1/e, 0): the w ≤ −1 with w·eʷ = x. */
export function lambertWm1(x: number): number {
  if (!(x >= -1 / Math.E && x < 0)) return NaN;
  if (x === -1 / Math.E) return -1;
  // Start from the asymptotic expansion (or the branch point's series), then Halley steps.
  let w: number;
  if (x < -0.25) {
    const p = -Math.sqrt(2 * (Math.E * x + 1));
    w = -1 + p - (p * p) / 3 + (11 / 72) * p * p * p;
  } else {
    const l1 = Math.log(-x);
    const l2 = Math.log(-l1);
    w = l1 - l2 + l2 / l1;
  }
  for (let i = 0; i < 50; i++) {
    const ew = Math.exp(w);
    const f = w * ew - x;
    const step = f / (ew * (w + 1) - ((w + 2) * f) / (2 * w + 2));
    w -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(w)) break;
  }
  return w;
}

/**
 * The mixture parameter ρ² that minimises the unit-variance boundary at
 * `tOpt` observations (Waudby-Smith et al. 2024, §2; Howard et al. 2021,
 * eq. (3.11) in the same form): ρ² = (−W₋₁(−α²/e) − 1) / tOpt.
 */
export function mixtureRho2(tOpt: number, alpha: number): number {
  if (!(tOpt > 0)) throw new RangeError(`tOpt must be positive, got ${tOpt}`);
  return (-lambertWm1((-alpha * alpha) / Math.E) - 1) / tOpt;
}

/**
 * Half-width of the two-sided (1 − α) normal-mixture confidence sequence for
 * the mean of t unit-variance observations:
 * √( 2(tρ² + 1) / (t²ρ²) · log(√(tρ² + 1) / α) ).
 */
export function mixtureMargin(t: number, rho2: number, alpha: number): number {
  if (t <= 0) return Infinity;
  const v = t * rho2 + 1;
  return Math.sqrt(((2 * v) / (t * t * rho2)) * Math.log(Math.sqrt(v) / alpha));
}

export interface SequenceBound {
  /** Observations (blocks) so far. */
  t: number;
  mean: number;
  /** Sample standard deviation of the observations (n − 1). */
  sd: number;
  lo: number;
  hi: number;
}

/**
 * Half-width of the scale-invariant Gaussian-mixture confidence sequence for
 * the mean of t i.i.d. normal observations with unknown variance, whose sum
 * of squared deviations from their mean is `ss`. The statistic
 *   M_t(μ) = (1 + c²t)^(−1/2) · (1 − S²/((t + c⁻²)·V))^(−t/2),
 * S = Σ(xᵢ − μ), V = Σ(xᵢ − μ)², is a test martingale for "the mean is μ"
 * (a normal mixture N(μ, c²σ²) over the mean and the right-Haar mixture over
 * σ, i.e. Lai's 1976 construction with the flat mixture swapped for a
 * Gaussian one: Wang & Ramdas, "Anytime-valid t-tests and confidence
 * sequences for Gaussian means with unknown variance", arXiv:2310.03722), so
 * {μ : M_t(μ) < 1/α} covers μ at every t at once with probability ≥ 1 − α.
 * Solved for μ: |x̄ − μ| < √(A·ss / (t(t − A))), A = (1 − κ)(t + c⁻²),
 * κ = (α² / (1 + c²t))^(1/t); the whole line while t ≤ A. For large t it is
 * the normal-mixture margin with σ estimated, but it needs no burn-in: it is
 * exact for Gaussian observations at every t, like Student's t.
 */
export function tMixtureHalfWidth(t: number, ss: number, c2: number, alpha: number): number {
  if (t < 2) return Infinity;
  const kappa = Math.pow((alpha * alpha) / (1 + c2 * t), 1 / t);
  const a = (1 - kappa) * (t + 1 / c2);
  return t > a ? Math.sqrt((a * ss) / (t * (t - a))) : Infinity;
}

/** The confidence sequence for the mean of `values` at their current length (see tMixtureHalfWidth), tightest near `tOpt`. */
export function confidenceSequence(values: ArrayLike<number>, opts: { alpha: number; tOpt: number; sdFloor?: number }): SequenceBound {
  const t = values.length;
  let mean = 0;
  let ss = 0;
  // Welford: one pass, no cancellation when the mean is large against the spread.
  for (let i = 0; i < t; i++) {
    const x = values[i]!;
    const d = x - mean;
    mean += d / (i + 1);
    ss += d * (x - mean);
  }
  const floor = opts.sdFloor ?? 0;
  if (t > 1 && ss < (t - 1) * floor * floor) ss = (t - 1) * floor * floor;
  const sd = t > 1 ? Math.sqrt(ss / (t - 1)) : NaN;
  const half = tMixtureHalfWidth(t, ss, mixtureRho2(opts.tOpt, opts.alpha), opts.alpha);
  return { t, mean: t ? mean : NaN, sd, lo: mean - half, hi: mean + half };
}

/**
 * Where a confidence sequence stands against zero and a margin of practical
 * significance: `higher`/`lower` once it excludes zero (the sign is known),
 * `within-margin` once it lies inside the margin (any difference is too small
 * to matter), otherwise `undecided`.
 */
export type SequentialDecision = 'higher' | 'lower' | 'within-margin' | 'undecided';

export function decide(bound: Pick<SequenceBound, 'lo' | 'hi'>, margin: readonly [number, number]): SequentialDecision {
  if (bound.lo > 0) return 'higher';
  if (bound.hi < 0) return 'lower';
  if (bound.lo > margin[0] && bound.hi < margin[1]) return 'within-margin';
  return 'undecided';
}

/**
 * A block statistic: one number from the paired per-job values of one block
 * (same jobs, same order on both targets); `ok` marks the jobs that
 * succeeded, for statistics of time to success (failures censored).
 */
export type BlockStatistic = (a: Float64Array, b: Float64Array, ok?: { a: Uint8Array; b: Uint8Array }) => number;

/**
 * The Kaplan–Meier q-quantile of times whose failures (ok 0) are
 * right-censored at their failure time: the first event time where the
 * estimated distribution reaches q. When failures leave the curve short of
 * q, the quantile lies beyond every time seen, and the largest time is the
 * bound returned (finite, and at least as slow as anything observed).
 */
export function kaplanMeierQuantile(times: Float64Array, ok: Uint8Array, q: number): number {
  const n = times.length;
  if (!n) return NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => times[i]! - times[j]! || ok[j]! - ok[i]!);
  let atRisk = n;
  let s = 1;
  for (const i of order) {
    if (ok[i]) {
      s *= 1 - 1 / atRisk;
      if (1 - s >= q - 1e-12) return times[i]!;
    }
    atRisk--;
  }
  return times[order[n - 1]!]!;
}

export const blockStatistics = {
  /**
   * log(Q_q(b) / Q_q(a)) of the block's Kaplan–Meier quantiles of time to
   * success, failures censored at their failure time: the report's estimand
   * (paired-compare.ts), so the watcher and the report judge the same
   * quantity. Failures counted at a cap made it another one: on a real run the
   * watcher's p90 log ratio was −0.69 [−1.18, −0.20] where the report's
   * censored p90 ratio was 1.13 [0.62, 1.84]. Without `ok` every job counts as
   * completed.
   */
  logCensoredQuantileRatio:
    (q: number): BlockStatistic =>
    (a, b, ok) =>
      Math.log(kaplanMeierQuantile(b, ok?.b ?? new Uint8Array(b.length).fill(1), q) / kaplanMeierQuantile(a, ok?.a ?? new Uint8Array(a.length).fill(1), q)),
  /** log(mean(b) / mean(a)): cost per job. */
  logMeanRatio: ((a, b) => Math.log(meanOf(b) / meanOf(a))) as BlockStatistic,
  /** mean(b) − mean(a): success rate in points when values are 0/1. */
  meanDifference: ((a, b) => meanOf(b) - meanOf(a)) as BlockStatistic,
};

/** The fewest jobs a block needs for a q-quantile statistic to rest on ≥ 10 jobs above it (issue 14's minimum-sample rule). */
export function minBlockJobs(q: number | undefined): number {
  return q === undefined ? 2 : Math.ceil(10 / (1 - q) - 1e-9);
}

export interface SequentialMetric {
  name: string;
  statistic: BlockStatistic;
  /** The practical-significance margin on the statistic's scale, e.g. [log 0.95, log 1.05]. */
  margin: readonly [number, number];
  /**
   * Values are 0/1 (success) and the statistic is a difference of means.
   * Blocks without a single discordant pair all give 0, and a sample
   * variance of 0 would make the sequence a point; the block variance is
   * floored at what one more discordant pair would give, ((d + 1)/(n + 2))/m
   * for d discordant pairs in n jobs and blocks of m (a plus-one correction
   * in the spirit of Agresti & Coull), so "no difference" needs evidence.
   */
  binary?: boolean;
}

export interface SequentialOptions {
  /** Family-wise error rate over every look and every metric (1 − the scenario's confidence). */
  alpha: number;
  /** Jobs per block, in arrival order. */
  blockJobs: number;
  /** Blocks after which the sequence is tightest; a quarter of the planned run's blocks stops early on large effects. */
  tOptBlocks: number;
  /** No decision before this many complete blocks: a guard for block statistics that are far from normal at first. */
  minBlocks: number;
}

export interface MetricState {
  name: string;
  bound: SequenceBound;
  decision: SequentialDecision;
}

export interface SequentialState {
  blocks: number;
  /** Every metric has a decision other than `undecided`. */
  decided: boolean;
  metrics: MetricState[];
}

/**
 * A running sequential comparison: complete blocks go in (per metric, the
 * block's paired per-job values), `state()` is one look. Pure apart from the
 * block statistics it keeps.
 */
export class SequentialComparison {
  private readonly stats: number[][];
  /** Per binary metric: discordant pairs and jobs so far (for the variance floor). */
  private readonly discordant: number[];
  private readonly jobs: number[];

  constructor(
    readonly metrics: readonly SequentialMetric[],
    readonly opts: SequentialOptions,
  ) {
    if (!metrics.length) throw new RangeError('a sequential comparison needs at least one metric');
    if (!(opts.alpha > 0 && opts.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${opts.alpha}`);
    if (!(opts.blockJobs >= 1)) throw new RangeError(`blockJobs must be ≥ 1, got ${opts.blockJobs}`);
    this.stats = metrics.map(() => []);
    this.discordant = metrics.map(() => 0);
    this.jobs = metrics.map(() => 0);
  }

  get blocks(): number {
    return this.stats[0]!.length;
  }

  /** One complete block: `pairs[i]` holds metric i's values for the block's jobs on targets a and b. */
  addBlock(pairs: readonly { a: Float64Array; b: Float64Array; ok?: { a: Uint8Array; b: Uint8Array } }[]): void {
    if (pairs.length !== this.metrics.length) throw new RangeError(`expected ${this.metrics.length} metrics, got ${pairs.length}`);
    pairs.forEach((p, i) => {
      const v = this.metrics[i]!.statistic(p.a, p.b, p.ok);
      // A block whose statistic is undefined (0/0, log 0) carries no information; it is dropped for that metric only.
      if (!Number.isFinite(v)) return;
      this.stats[i]!.push(v);
      if (this.metrics[i]!.binary) {
        for (let j = 0; j < p.a.length; j++) if (p.a[j] !== p.b[j]) this.discordant[i]!++;
        this.jobs[i]! += p.a.length;
      }
    });
  }

  /** The block statistics so far, per metric (for reports and tests). */
  series(i: number): readonly number[] {
    return this.stats[i]!;
  }

  state(): SequentialState {
    const alpha = this.opts.alpha / this.metrics.length;
    const metrics = this.metrics.map((m, i) => {
      const sdFloor = m.binary ? Math.sqrt((this.discordant[i]! + 1) / (this.jobs[i]! + 2) / this.opts.blockJobs) : 0;
      const bound = confidenceSequence(this.stats[i]!, { alpha, tOpt: this.opts.tOptBlocks, sdFloor });
      const decision = bound.t >= this.opts.minBlocks ? decide(bound, m.margin) : 'undecided';
      return { name: m.name, bound, decision };
    });
    return { blocks: this.blocks, decided: metrics.every((m) => m.decision !== 'undecided'), metrics };
  }
}
