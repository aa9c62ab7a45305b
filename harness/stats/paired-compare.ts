// Candidate vs baseline over the same jobs: one estimand per line, each with
// the test and the interval that belong to it, and a verdict that keeps its
// error rate when jobs are correlated in time (the report's comparisons and
// breakdown, and the simulation tests that check them, all go through here).
//
//   p50/p90/p99 latency  ratio of quantiles of time to success, failures
//                        right-censored at their failure time (Kaplan–Meier
//                        Harrell–Davis, quantile.ts); paired circular-block
//                        bootstrap (spread flat-top corrected by a second
//                        bootstrap at twice the block, averaged with an
//                        ARMA(1,1) model's where the log ratios' memory
//                        reaches past that window; p99: block and
//                        correction from the jobs beyond the quantile),
//                        percentile interval of the log ratio and the
//                        bootstrap p that inverts it
//   cost per job         ratio of mean costs; the same bootstrap, BCa interval
//                        of the log ratio and the p that inverts it
//   success rate         difference of success rates; McNemar test and Tango
//                        score interval, widened by the discordances' design
//                        effect (overlapping batch means, t critical value)
//
// Verdicts: Holm across the headline lines, then a significant difference
// whose estimate lies within the practical margin is "~ (within margin)".
import type { Random } from '../common/random.ts';
import { armaLongRunVariance, circularAutocovariances, circularBlockCounts, circularBlockVariance, optimalBlockLength } from './block-bootstrap.ts';
import { holm } from './compare.ts';
import { normalCdf, normalQuantile } from './normal.ts';
import { tCdf, tQuantile } from './student-t.ts';
import { discordanceDesignEffect, pairedDifference } from './paired-score.ts';
import { CensoredQuantiles } from './quantile.ts';

export type Verdict = 'better' | 'worse' | '~' | '~ (within margin)' | 'insufficient data';
export type Direction = 'lower-is-better' | 'higher-is-better';

/** Jobs in submission order, each on both targets (a: baseline, b: candidate). */
export interface PairedJobs {
  okA: Uint8Array;
  okB: Uint8Array;
  /** Time to success, or to failure when not ok (seconds). */
  latA: Float64Array;
  latB: Float64Array;
  costA: Float64Array;
  costB: Float64Array;
}

export interface CompareOptions {
  confidence: number;
  resamples: number;
  random: Random;
  /** Practical-significance margin: a ratio within 1 ± margin is not a difference worth a verdict (success differences: significance alone). */
  margin: number;
  /** A quantile q needs (1 − q) × jobs completed on both ≥ this. */
  minTail?: number;
  /** The success line needs this many jobs completed on one target only (MIN_DISCORDANT; the planner's pilot, which wants a standard error and no verdict, passes 0). */
  minDiscordant?: number;
  quantiles?: readonly number[];
  /** Overrides the data-driven block length (simulation studies of the rule itself). */
  blockLength?: (politisWhite: number, designEffect: number, n: number) => number;
  /** Lines to leave out (the breakdown only wants p50). */
  only?: readonly ('latency' | 'cost' | 'success')[];
}

export interface PairedLine {
  metric: string;
  unit: string;
  /** What the line estimates, in words. */
  estimand: string;
  /** How its interval and p are computed. */
  method: string;
  scale: 'ratio' | 'difference';
  direction: Direction;
  /** Each target's own figure (quantile, mean cost, success rate). */
  baseline: number;
  candidate: number;
  estimate: number;
  interval: [number, number];
  pValue: number;
  /** p after Holm across the lines compared together; equal to pValue for a line alone. */
  pHolm: number;
  verdict: Verdict;
  /** Paired jobs. */
  n: number;
  /** Circular-block length of the bootstrap (1: jobs independent); null where no bootstrap. */
  blockLength: number | null;
  /**
   * Degrees of freedom of the t critical value where they do not follow from
   * blockLength (the success line widened by batch means); absent: a normal
   * critical value, or the bootstrap's from blockLength. The planner reads it.
   */
  df?: number;
  /** Bootstrap replicates used and dropped as non-finite; null where no bootstrap. */
  replicates: { used: number; dropped: number } | null;
  /** Why there is no verdict, when there is none. */
  reason?: string;
}

export const DEFAULT_QUANTILES = [0.5, 0.9, 0.99] as const;
export const MIN_TAIL = 10;
/**
 * Jobs completed on one target only (b + c) the success line needs for a
 * verdict. Given b + c = m, McNemar's statistic under "no difference" is
 * (2b − m)/√m with b ~ Binomial(m, ½), so its level is a sum of binomial
 * terms (exact enumeration, scipy.stats.binom): at m ≤ 3 it can never reach
 * 1.96; at m = 4 only a 4–0 split can (|z| = 2), which no difference gives in
 * 2/16 = 12.5 % of runs (the exact test's p for it is 0.125); from m = 5 on the
 * level stays within 1.6–7.8 % (m = 7: 1.56 %, m = 21: 7.84 %) and averages
 * 4.2–5.3 % over a Poisson count of mean 3 to 50. So below 5 the line is
 * "insufficient data", not "~" (nothing could have been seen) nor a 12.5 %
 * call. Measured (README "Verdict error rates"): 10, the quantiles' rule
 * carried over, took the A/A rates no nearer 5 % and cost up to two thirds of
 * the power where failures are few.
 */
export const MIN_DISCORDANT = 5;
/** The reason a quantile line gives when not even two jobs completed on both targets (gates name it). */
export const NO_PAIRS = 'fewer than two jobs completed on both targets';

const quantileName = (q: number) => `p${Math.round(q * 100)}`;

/** Type-7 quantile of sorted values. */
function sortedQuantile(s: Float64Array, p: number): number {
  if (!s.length || !Number.isFinite(p)) return NaN;
  const h = (s.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  // Equal neighbours (±∞ among them) need no interpolation, and ∞ − ∞ would make it NaN.
  return lo + 1 < s.length && h > lo && s[lo + 1] !== s[lo] ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

interface Replicates {
  sorted: Float64Array;
  dropped: number;
}

/** Replicates sorted, ±∞ kept (a side of the interval the resample could not bound), NaN dropped and counted. */
function collect(values: Float64Array): Replicates {
  const kept = values.filter((v) => !Number.isNaN(v));
  return { sorted: kept.sort(), dropped: values.length - kept.length };
}

/** Share of replicates below x, ties counted half. */
function below(r: Replicates, x: number): number {
  let lt = 0;
  let eq = 0;
  for (const v of r.sorted) {
    if (v < x) lt++;
    else if (v === x) eq++;
  }
  return (lt + eq / 2) / r.sorted.length;
}

/**
 * Percentile (a = z0 = 0) or BCa interval of replicates on the log scale, and
 * the two-sided p of "log ratio = 0" that inverts the same interval. Bounds are
 * NaN when more replicates were dropped than one tail holds.
 *
 * Expanded (Hesterberg 2015): the bootstrap's spread is that of a z interval;
 * the levels are moved out to stretch · t(df) (spreadOf: the flat-top
 * correction of the block bootstrap's spread and its degrees of freedom).
 * Unexpanded, the p50 ratio gave 20 % false positives at n = 50, cost 11 %.
 */
function bootInterval(r: Replicates, confidence: number, z0: number, a: number, spread: Spread): { lo: number; hi: number; p: number } {
  const alpha = 1 - confidence;
  const total = r.sorted.length + r.dropped;
  const { stretch, df } = spread;
  if (r.sorted.length < 2 || !(df >= 1) || r.dropped > (alpha / 2) * total) return { lo: NaN, hi: NaN, p: NaN };
  const expand = (z: number) => Math.sign(z) * stretch * tQuantile(normalCdf(Math.abs(z)), df);
  const adj = (z: number) => z0 + (z0 + z) / (1 - a * (z0 + z));
  // Normal scores of the replicates between the edges come from their ranks;
  // beyond the last few replicates the count says nothing more than "far", so
  // there the scale runs on linearly with the replicates' spread. Both the
  // bounds and the p read this one scale: after the t expansion a level can lie
  // beyond every replicate, and the interval was then cut at the extreme
  // replicate while the p went on (A/A φ = 0.95: the interval excluded 1 in
  // 11 % of runs, p < 0.05 in 4.5 %).
  const m = r.sorted.length;
  const edge = Math.min(0.5, 10 / m);
  const zEdge = normalQuantile(edge);
  const qLo = sortedQuantile(r.sorted, edge);
  const qHi = sortedQuantile(r.sorted, 1 - edge);
  const s = halfRange(r);
  const valueAt = (z: number): number => {
    if (!Number.isFinite(z)) return z;
    if (z < zEdge) return s > 0 ? qLo + (z - zEdge) * s : qLo;
    if (z > -zEdge) return s > 0 ? qHi + (z + zEdge) * s : qHi;
    return sortedQuantile(r.sorted, normalCdf(z));
  };
  const scoreOf = (x: number): number => {
    if (x < qLo) return s > 0 ? zEdge + (x - qLo) / s : -Infinity;
    if (x > qHi) return s > 0 ? -zEdge + (x - qHi) / s : Infinity;
    return normalQuantile(Math.min(1 - edge, Math.max(edge, below(r, x))));
  };
  const lo = valueAt(adj(expand(normalQuantile(alpha / 2))));
  const hi = valueAt(adj(expand(normalQuantile(1 - alpha / 2))));
  const u = scoreOf(0) - z0;
  // BCa's map u ↦ u / (1 + a·u) runs to ±∞ as 1 + a·u reaches 0: beyond it, 0 is further out than any level.
  const w = 1 + a * u > 0 ? u / (1 + a * u) - z0 : u < 0 ? -Infinity : Infinity;
  return { lo, hi, p: Math.min(1, 2 * (1 - tCdf(Math.abs(w) / stretch, df))) };
}

function decide(line: PairedLine, alpha: number, margin: number): Verdict {
  if (line.verdict === 'insufficient data') return line.verdict;
  const [lo, hi] = line.interval;
  if (![lo, hi, line.pHolm, line.estimate].every(Number.isFinite)) return '~';
  const nul = line.scale === 'ratio' ? 1 : 0;
  if (!(line.pHolm < alpha) || (lo <= nul && hi >= nul)) return '~';
  // The margin is relative and applies to ratios. A success rate moving from 100 % to 97 % is 3 % relative
  // but thirty times the failures: success differences are judged on significance alone.
  if (line.scale === 'ratio' && Math.abs(line.estimate - 1) <= margin) return '~ (within margin)';
  const up = line.estimate > nul;
  return (line.direction === 'lower-is-better') === up ? 'worse' : 'better';
}

/** How far a bootstrap's levels are moved out: its spread × `stretch`, then t with `df` degrees of freedom. */
interface Spread {
  stretch: number;
  df: number;
}

/** Normal-scaled spread of replicates (half the 15.9–84.1 % range: robust to the heavy tails of small resamples, finite with a few ±∞). */
function halfRange(r: Replicates): number {
  const lo = sortedQuantile(r.sorted, normalCdf(-1));
  const hi = sortedQuantile(r.sorted, normalCdf(1));
  return (hi - lo) / 2;
}

/**
 * The correction of a circular-block bootstrap's spread, from a second
 * bootstrap with blocks twice as long. A block bootstrap of block length b
 * estimates a statistic's variance with the Bartlett kernel of width b over
 * the autocovariances, around the sample mean: it falls short by Σ (|k|/b) γ(k)
 * and by b times the variance of the mean. For a persistent series both are
 * large (AR(1) φ = 0.95 at n = 300: the spread ran at 0.71–0.74 of the true
 * one, and the A/A p50 line rejected in 16 % of runs). With the same
 * bootstrap at b₂ = 2b, (b₂V₂ − bV)/(b₂ − b) is the trapezoidal flat-top
 * kernel of Politis & Romano (1995) — weight 1 up to lag b, tapering to 0 at
 * b₂ — whose bias vanishes for short-memory series, and dividing by
 * 1 − (b + b₂)/n undoes the centring, as n/(n − b) does for overlapping batch
 * means (Meketon & Schmeiser 1984). Returned as the ratio of that variance to
 * the single bootstrap's (null where there is no second bootstrap or no room
 * for it). The degrees of freedom are the flat-top estimate's: 2 / its
 * relative variance, (2/n) Σ w² with Σ w² = 8b/3, i.e. 3n/(8b) — against
 * 1.5 n/b for Bartlett's.
 */
function flatTopRatio(single: Replicates, double: Replicates | null, n: number, b: number, b2: number): number | null {
  if (!double || !flatTopApplies(n, b)) return null;
  const v = halfRange(single) ** 2;
  const v2 = halfRange(double) ** 2;
  if (!(v > 0) || !Number.isFinite(v2)) return null;
  return Math.max(0, (b2 * v2 - b * v) / (b2 - b)) / (1 - (b + b2) / n) / v;
}

/** The single bootstrap's own spread: its centring undone (n/(n − b)), t with n/b − 1 degrees of freedom. */
const plainSpread = (n: number, b: number): Spread => ({ stretch: Math.sqrt(n / (n - b)), df: n / b - 1 });

/** The flat-top correction (flatTopRatio) of the cost line, never narrower than the single bootstrap's √(n/(n − b)). */
function spreadOf(single: Replicates, double: Replicates | null, n: number, b: number, b2: number): Spread {
  const plain = plainSpread(n, b);
  const ratio = flatTopRatio(single, double, n, b, b2);
  if (ratio === null) return plain;
  return { stretch: Math.max(plain.stretch, Math.sqrt(ratio)), df: bootstrapDegreesOfFreedom(n, b) };
}

/**
 * The body quantiles' (p50, p90) correction. Where the flat-top's window is
 * long enough for the series' memory, as spreadOf. Where it is not — the
 * ARMA(1,1) fit of the per-job log ratios (armaLongRunVariance) puts more
 * than TRUNCATION_SHARE of their long-run variance beyond the window
 * (parametricRatio) — the ratio of true to bootstrap variance is the mean of
 * two estimates of it: the flat-top's (nonparametric, from the statistic's
 * own bootstraps; it cannot see the lags beyond 2b) and the model's (the
 * fitted long-run variance of the log ratios over the variance the same block
 * bootstrap gives their mean, which extrapolates the decay of the first lags
 * past the window). The quantiles move with the congestion that moves the
 * log ratios, so the ratio carries over from the series to them as the block
 * length does. There the floor √(n/(n − b)) is not applied: the model's
 * estimate does its work — for a series with no persistence it is the
 * series' variance over its Bartlett sum, n/(n − b) in expectation — while the
 * maximum of two noisy estimates is biased upward (for short memory and
 * t(3n/(8b)), a test of a mean held 2.9 % at b = 10 and 1.9 % at b = 20 with
 * the floor; 5.5 % and 7.3 % without it). Why: at φ = 0.95, n = 300 the
 * true design effect of the log ratios is 23.4, but the block comes out under
 * 20 jobs in 15 % of runs, and those runs rejected in 20–37 % of A/A runs —
 * half of the p50 line's false positives; lengthening every block instead
 * pushed the φ = 0.8 coverage over 97 %. The gate keeps φ = 0.8 (blocks of
 * ~14, memory ~6) as it was in nearly every run. Measured (README "Verdict
 * error rates"; the bench's seeds, replications 0–4,999, 500 resamples): A/A
 * φ = 0.95, n = 300, p50 6.5 → 4.8 %, p90 5.8 → 4.2 %, family-wise under Holm
 * 5.7 → 4.8 %; planted ×1.2 at φ = 0.8, n = 300, coverage p50 96.7 → 96.8 %,
 * p90 96.8 → 96.8 %. Same degrees of freedom as spreadOf.
 */
function bodySpread(single: Replicates, double: Replicates | null, n: number, b: number, b2: number, parametric: number): Spread {
  if (!(parametric > 0) || !Number.isFinite(parametric)) return spreadOf(single, double, n, b, b2);
  const ratio = flatTopRatio(single, double, n, b, b2);
  const nonparametric = ratio ?? n / (n - b);
  return { stretch: Math.sqrt((nonparametric + parametric) / 2), df: ratio === null ? plainSpread(n, b).df : bootstrapDegreesOfFreedom(n, b) };
}

/**
 * Share of the long-run variance beyond the flat-top window (lag b with
 * weight 1, tapering to 0 at 2b) at which bodySpread brings in the model.
 */
export const TRUNCATION_SHARE = 0.05;

/**
 * bodySpread's parametric estimate for blocks of b: the ARMA(1,1) long-run
 * variance of the series over the variance a circular-block bootstrap of b
 * gives its mean (circularBlockVariance), or NaN where the fit shows no
 * persistence or puts at most TRUNCATION_SHARE of the long-run variance
 * beyond the window: 2A [Σ_{b<k<2b} (k/b − 1) ρ^k + ρ^{2b}/(1 − ρ)].
 */
export function parametricRatio(series: Float64Array, b: number): number {
  const fit = armaLongRunVariance(series);
  if (!fit.persistent) return NaN;
  const r = fit.rho;
  let missed = 0;
  for (let k = b + 1; k < 2 * b; k++) missed += (k / b - 1) * Math.pow(r, k);
  missed += Math.pow(r, 2 * b) / (1 - r);
  missed *= 2 * fit.amplitude;
  if (!(missed > TRUNCATION_SHARE * fit.longRunVariance)) return NaN;
  const v = circularBlockVariance(circularAutocovariances(series, b), b);
  return v > 0 ? fit.longRunVariance / v : NaN;
}

/** Room for the second bootstrap: blocks of 2b, and both lengths together within half the run (the centring correction 1 − 3b/n stays ≥ ½). */
const flatTopApplies = (n: number, b: number) => 6 * b <= n;

/** Degrees of freedom of a bootstrap line's critical value over n jobs in blocks of b (the planner sizes runs with it). */
export function bootstrapDegreesOfFreedom(n: number, b: number): number {
  return flatTopApplies(n, b) ? Math.max(1, (3 * n) / (8 * b)) : n / b - 1;
}

/**
 * Blocks at least this many times the series' design effect (its integrated
 * autocorrelation time, from a flat-top long-run variance over up to n/4 lags):
 * Politis–White's length minimises the error of a variance estimate, which
 * for a persistent series (congestion with a memory of tens of jobs) is a
 * block too short to hold a test's level. Measured in test/unit/stats/verdict-sim.test.ts.
 */
export const BLOCK_PER_DESIGN_EFFECT = 2;

function chooseBlock(series: Float64Array, opts: CompareOptions): number {
  const n = series.length;
  const bl = optimalBlockLength(series);
  const wide = optimalBlockLength(series, { maxLag: Math.max(Math.ceil(Math.sqrt(n)) + 5, Math.floor(n / 4)) });
  const deff = wide.variance > 0 ? Math.max(1, wide.longRunVariance / wide.variance) : 1;
  const rule = opts.blockLength ?? ((pw: number, d: number) => Math.max(pw, BLOCK_PER_DESIGN_EFFECT * d));
  return Math.max(1, Math.min(Math.floor(n / 2), Math.ceil(rule(bl.circular, deff, n))));
}

/** The second bootstrap's block length: twice the first when there is room (else none: the same length). */
const doubleBlock = (b: number, n: number) => (flatTopApplies(n, b) ? 2 * b : b);

/**
 * Log ratios candidate / baseline of one resample's quantiles into `out[j][r]`.
 * A quantile undefined in a resample (its Kaplan–Meier curve stops short of the
 * quantile's Harrell–Davis window: failures or timeouts drawn together in a
 * few blocks) lies beyond the last completion, so that replicate's ratio is +∞
 * for the candidate, −∞ for the baseline, NaN for both. Dropping them kept
 * only the resamples where the candidate was quicker: the "1.2× slower, times
 * out its slowest 3 %" case then covered 1.2 in 85 % of runs.
 */
function logQuantileRatios(a: Float64Array, b: Float64Array, out: Float64Array[], r: number): void {
  for (let j = 0; j < out.length; j++) {
    const va = Number.isNaN(a[j]!) ? Infinity : a[j]!;
    const vb = Number.isNaN(b[j]!) ? Infinity : b[j]!;
    out[j]![r] = va === Infinity && vb === Infinity ? NaN : Math.log(vb / va);
  }
}

/**
 * From this quantile up a line takes its block length from its own influence
 * series instead of the per-job log ratios. A quantile's influence function is
 * proportional to 1{x ≤ q} − p (Bahadur 1966), so under dependence its
 * variance is the long-run variance of that indicator series (the moving-block
 * bootstrap of a quantile of a weakly dependent series rests on it: Sun &
 * Lahiri 2006), and Politis & White (2004) on that series gives the block. The
 * body's lines (p50, p90) keep the log ratios' block: the congestion that
 * moves every job moves them too, their intervals were measured in band with
 * it, and they were not measured with their own indicator series. p99 is
 * moved by the 1 % of jobs beyond it. Where those are independent from
 * job to job (job sizes), a block of the log ratios' length (33 jobs at
 * φ = 0.8, n = 2,000) gave a flat-top estimate with 3n/(8b) = 23 degrees of
 * freedom and an interval 1.15× the true spread (A/A: 2.1 % instead of 5 %);
 * where they cluster (a backlog fills the slowest jobs from one stretch) the
 * indicator series says so and the block is long. Measured: README "Verdict
 * error rates".
 */
export const TAIL_QUANTILE = 0.95;

/**
 * Influence series of log(q_b / q_a) per job, up to each target's density at
 * its quantile: 1{a ≤ q_a} − 1{b ≤ q_b} (on the log scale the two densities
 * are alike when the candidate is a rescaled baseline; the bootstrap, not this
 * series, sets the scale). A failed job counts at its failure time.
 */
function quantileInfluence(jobs: PairedJobs, qa: number, qb: number): Float64Array {
  const out = new Float64Array(jobs.latA.length);
  for (let i = 0; i < out.length; i++) out[i] = (jobs.latA[i]! <= qa ? 1 : 0) - (jobs.latB[i]! <= qb ? 1 : 0);
  return out;
}

/**
 * The flat-top correction of spreadOf for a tail quantile, computed from its
 * influence series instead of a second bootstrap. For a mean, a circular-block
 * bootstrap of block length L has exactly the variance Σ_{|k|<L} (1 − |k|/L)
 * γ̃(k) over the circular autocovariances about the sample mean (Politis &
 * Romano 1992), so the ratio of the two bootstraps' variances that spreadOf
 * estimates from replicates is here a sum over 2b lags, without their Monte
 * Carlo noise. From two sets of 500 replicates of a p99 ratio the floor at
 * √(n/(n − b)) turned that noise into width where the tail needed none (blocks
 * of 33: stretch 1.075 on average, at the floor in 47 % of runs; at the
 * indicator series' block, A/A intervals 1.06× the true spread against 1.02×
 * in closed form: test/unit/stats/tail-block.test.ts's seeds). Same floor,
 * same degrees of freedom (3n/(8b)).
 */
function influenceSpread(psi: Float64Array, b: number): Spread {
  const n = psi.length;
  const plain = plainSpread(n, b);
  if (!flatTopApplies(n, b)) return plain;
  const acv = circularAutocovariances(psi, 2 * b);
  const v = circularBlockVariance(acv, b);
  if (!(v > 0)) return plain;
  const flatTop = Math.max(0, 2 * circularBlockVariance(acv, 2 * b) - v) / (1 - (3 * b) / n);
  return { stretch: Math.max(plain.stretch, Math.sqrt(flatTop / v)), df: bootstrapDegreesOfFreedom(n, b) };
}

const logSeries = (x: Float64Array) => x.map((v) => Math.log(Math.max(v, 1e-9)));

function meanOf(x: Float64Array, counts?: Int32Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const c = counts ? counts[i]! : 1;
    s += c * x[i]!;
    n += c;
  }
  return n ? s / n : NaN;
}

/** Every line, with Holm across them (pass the result to `withHolm` again to re-adjust over another family). */
export function comparePaired(jobs: PairedJobs, opts: CompareOptions): PairedLine[] {
  const n = jobs.okA.length;
  const qs = opts.quantiles ?? DEFAULT_QUANTILES;
  const minTail = opts.minTail ?? MIN_TAIL;
  const minDiscordant = opts.minDiscordant ?? MIN_DISCORDANT;
  const only = new Set(opts.only ?? ['latency', 'cost', 'success']);
  const alpha = 1 - opts.confidence;
  const lines: PairedLine[] = [];
  let completedA = 0;
  let completedB = 0;
  let completedBoth = 0;
  for (let i = 0; i < n; i++) {
    completedA += jobs.okA[i]!;
    completedB += jobs.okB[i]!;
    if (jobs.okA[i] && jobs.okB[i]) completedBoth++;
  }
  const censoredA = n ? 1 - completedA / n : 1;
  const censoredB = n ? 1 - completedB / n : 1;
  const counts = new Int32Array(n);

  if (only.has('latency')) {
    const qa = new CensoredQuantiles(jobs.latA, jobs.okA, qs);
    const qb = new CensoredQuantiles(jobs.latB, jobs.okB, qs);
    const estA = qa.evaluate();
    const estB = qb.evaluate();
    const usable = qs.map((q) => {
      if (completedBoth < 2) return NO_PAIRS;
      if (completedBoth * (1 - q) < minTail) return `needs (1 − q) × jobs completed on both ≥ ${minTail}: ${completedBoth} completed`;
      if (Math.max(censoredA, censoredB) > 1 - q) return `more than ${((1 - q) * 100).toFixed(0)} % of jobs failed on a target: the quantile is censored`;
      return undefined;
    });
    // The dependence that matters is the one the pairing does not cancel: a
    // job's own size is shared by both targets, each target's congestion is not.
    const logA = logSeries(jobs.latA);
    const logB = logSeries(jobs.latB);
    const logRatio = logB.map((v, i) => v - logA[i]!);
    const bodyBlock = chooseBlock(logRatio, opts);
    const bodyParametric = parametricRatio(logRatio, bodyBlock);
    const reps = qs.map(() => new Float64Array(opts.resamples));
    const reps2 = qs.map(() => new Float64Array(0));
    const blocks = qs.map(() => bodyBlock);
    // The body's quantiles share one pair of bootstraps on the streams they always had (their figures are
    // unchanged); each tail quantile runs one bootstrap of its own at its own block.
    const body = qs.map((q, j) => j).filter((j) => qs[j]! < TAIL_QUANTILE && usable[j] === undefined);
    const runBootstraps = (idx: number[], block: number, stream: string, second: boolean) => {
      const sub = idx.map((j) => qs[j]!);
      const sa = new CensoredQuantiles(jobs.latA, jobs.okA, sub);
      const sb = new CensoredQuantiles(jobs.latB, jobs.okB, sub);
      const out = idx.map((j) => reps[j]!);
      const random = opts.random.fork(stream);
      for (let r = 0; r < opts.resamples; r++) {
        circularBlockCounts(n, block, random, counts);
        logQuantileRatios(sa.evaluate(counts), sb.evaluate(counts), out, r);
      }
      const block2 = doubleBlock(block, n);
      if (second && block2 > block) {
        for (const j of idx) reps2[j] = new Float64Array(opts.resamples);
        const out2 = idx.map((j) => reps2[j]!);
        const random2 = opts.random.fork(`${stream}-double`);
        for (let r = 0; r < opts.resamples; r++) {
          circularBlockCounts(n, block2, random2, counts);
          logQuantileRatios(sa.evaluate(counts), sb.evaluate(counts), out2, r);
        }
      }
    };
    if (body.length) runBootstraps(body, bodyBlock, 'latency', true);
    const tailSpread = new Map<number, Spread>();
    qs.forEach((q, j) => {
      if (q < TAIL_QUANTILE || usable[j] !== undefined) return;
      const psi = quantileInfluence(jobs, estA[j]!, estB[j]!);
      blocks[j] = chooseBlock(psi, opts);
      tailSpread.set(j, influenceSpread(psi, blocks[j]!));
      runBootstraps([j], blocks[j]!, `latency-${quantileName(q)}`, false);
    });
    qs.forEach((q, j) => {
      const reason = usable[j];
      const estimate = estB[j]! / estA[j]!;
      const tail = q >= TAIL_QUANTILE;
      const base = {
        metric: `${quantileName(q)} latency`, unit: 's', scale: 'ratio' as const, direction: 'lower-is-better' as const,
        estimand: `ratio of ${quantileName(q)} time to success, failures censored at their failure time`,
        method: tail
          ? 'Kaplan–Meier Harrell–Davis quantiles; paired circular-block bootstrap, blocks and flat-top-corrected spread from the series of jobs beyond the quantile, percentile interval of the log ratio and its inverted p'
          : 'Kaplan–Meier Harrell–Davis quantiles; paired circular-block bootstrap, flat-top-corrected spread (second bootstrap at twice the block; averaged with an ARMA(1,1) long-run variance of the per-job log ratios where their memory reaches past the window), percentile interval of the log ratio and its inverted p',
        baseline: estA[j]!, candidate: estB[j]!, estimate, n, pHolm: NaN,
      };
      if (reason) {
        lines.push({ ...base, interval: [NaN, NaN], pValue: NaN, verdict: 'insufficient data', blockLength: null, replicates: null, reason });
        return;
      }
      const block = blocks[j]!;
      const block2 = doubleBlock(block, n);
      const rep = collect(reps[j]!);
      const spread = tailSpread.get(j) ?? bodySpread(rep, block2 > block ? collect(reps2[j]!) : null, n, block, block2, bodyParametric);
      const iv = bootInterval(rep, opts.confidence, 0, 0, spread);
      lines.push({ ...base, interval: [Math.exp(iv.lo), Math.exp(iv.hi)], pValue: iv.p, verdict: '~', blockLength: block, replicates: { used: rep.sorted.length, dropped: rep.dropped } });
    });
  }

  if (only.has('cost')) {
    const mA = meanOf(jobs.costA);
    const mB = meanOf(jobs.costB);
    const estimate = mB / mA;
    // Influence of each job on log(mB / mA): BCa's acceleration, and the series the block length is chosen on.
    const infl = new Float64Array(n);
    for (let i = 0; i < n; i++) infl[i] = jobs.costB[i]! / mB - jobs.costA[i]! / mA;
    const block = chooseBlock(infl, opts);
    const base = {
      metric: 'cost per job', unit: 'USD', scale: 'ratio' as const, direction: 'lower-is-better' as const,
      estimand: 'ratio of mean cost per job (every job, failed ones included)',
      method: 'paired circular-block bootstrap, flat-top-corrected spread (second bootstrap at twice the block), BCa interval of the log ratio and its inverted p',
      baseline: mA, candidate: mB, estimate, n, pHolm: NaN,
    };
    if (n < 2 || !(mA > 0) || !(mB > 0)) {
      lines.push({ ...base, interval: [NaN, NaN], pValue: NaN, verdict: 'insufficient data', blockLength: null, replicates: null, reason: 'no cost on a target' });
    } else {
      const random = opts.random.fork('cost');
      const reps = new Float64Array(opts.resamples);
      for (let r = 0; r < opts.resamples; r++) {
        circularBlockCounts(n, block, random, counts);
        reps[r] = Math.log(meanOf(jobs.costB, counts) / meanOf(jobs.costA, counts));
      }
      const block2 = doubleBlock(block, n);
      let rep2: Replicates | null = null;
      if (block2 > block) {
        const random2 = opts.random.fork('cost-double');
        const reps2 = new Float64Array(opts.resamples);
        for (let r = 0; r < opts.resamples; r++) {
          circularBlockCounts(n, block2, random2, counts);
          reps2[r] = Math.log(meanOf(jobs.costB, counts) / meanOf(jobs.costA, counts));
        }
        rep2 = collect(reps2);
      }
      const rep = collect(reps);
      const est = Math.log(estimate);
      const z0 = rep.sorted.length ? normalQuantile(Math.min(1 - 0.5 / rep.sorted.length, Math.max(0.5 / rep.sorted.length, below(rep, est)))) : 0;
      // Acceleration from the per-job influence values (the jackknife's, to first order). Summed over
      // blocks instead, a run cut into 6 blocks gave |a| ≈ 0.3 from noise, and BCa then cannot reach
      // beyond the 99.9th replicate percentile whatever the data.
      let s2 = 0;
      let s3 = 0;
      for (const u of infl) {
        s2 += u * u;
        s3 += u * u * u;
      }
      const accel = s2 > 0 ? s3 / (6 * Math.pow(s2, 1.5)) : 0;
      const iv = bootInterval(rep, opts.confidence, z0, accel, spreadOf(rep, rep2, n, block, block2));
      lines.push({ ...base, interval: [Math.exp(iv.lo), Math.exp(iv.hi)], pValue: iv.p, verdict: '~', blockLength: block, replicates: { used: rep.sorted.length, dropped: rep.dropped } });
    }
  }

  if (only.has('success')) {
    let candidateOnly = 0;
    let baselineOnly = 0;
    const disc = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      disc[i] = jobs.okB[i]! - jobs.okA[i]!;
      if (disc[i]! > 0) candidateOnly++;
      else if (disc[i]! < 0) baselineOnly++;
    }
    // Failures clustered in time (an outage, a congested stretch) make the discordances vary more than McNemar assumes.
    const { designEffect, df } = discordanceDesignEffect(disc);
    const d = pairedDifference({ candidateOnly, baselineOnly, n }, opts.confidence, designEffect, df);
    const discordant = candidateOnly + baselineOnly;
    // The interval and p stay on the line (the decision matrix judges the interval against its own rule); only the verdict is withheld.
    const reason = n < minTail
      ? `fewer than ${minTail} paired jobs`
      : discordant < minDiscordant
        ? `${discordant} of ${n} jobs completed on one target only, fewer than ${minDiscordant}: too few for McNemar's test to call a difference at its level (the interval still bounds it)`
        : undefined;
    lines.push({
      metric: 'success rate', unit: '', scale: 'difference', direction: 'higher-is-better',
      estimand: 'difference of success rates (candidate − baseline), same jobs',
      method: `McNemar test and Tango score interval${designEffect > 1 ? `, widened by the design effect ${designEffect.toFixed(2)} of failures clustered in time (batch means, t with ${df.toFixed(0)} df)` : ''}`,
      baseline: n ? completedA / n : NaN, candidate: n ? completedB / n : NaN, estimate: d.estimate, interval: [d.lo, d.hi], pValue: d.p, pHolm: NaN,
      verdict: reason ? 'insufficient data' : '~', n, blockLength: null, ...(Number.isFinite(df) ? { df } : {}), replicates: null, ...(reason ? { reason } : {}),
    });
  }
  return withHolm(lines, alpha, opts.margin);
}

/** Holm-adjusts the lines that have a test (not "insufficient data") as one family, then decides each verdict. */
export function withHolm(lines: readonly PairedLine[], alpha: number, margin: number): PairedLine[] {
  const tested = lines.map((l, i) => [l, i] as const).filter(([l]) => l.verdict !== 'insufficient data' && Number.isFinite(l.pValue));
  const adj = holm(tested.map(([l]) => l.pValue));
  const pHolm = new Map(tested.map(([, i], k) => [i, adj[k]!]));
  return lines.map((l, i) => {
    const out = { ...l, pHolm: pHolm.get(i) ?? NaN };
    return { ...out, verdict: decide(out, alpha, margin) };
  });
}
