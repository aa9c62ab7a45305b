// Replicated runs combined: one run is one draw of a provider population (a
// simulator seed, a day on a real network), so a difference that one run calls
// may be that run's own draw. Each replicate's headline estimate (log scale for
// ratios) with its within-run variance, taken from that run's interval, goes
// into a random-effects model: y_i = θ + u_i + e_i, u_i ~ N(0, τ²) the
// replicate's own population effect, e_i ~ N(0, v_i) its within-run error.
// τ² by DerSimonian–Laird; the interval of θ by Hartung–Knapp–Sidik–Jonkman
// (HKSJ): the weighted residual variance around θ̂ and t with k − 1 degrees of
// freedom, which keeps its level at small k where the DL z interval does not
// (it treats τ² as known; with 3 replicates it is one of the noisiest numbers
// there is). Replicates are combined with equal weights (combineReplicates):
// the interval then rests on the spread of the k estimates alone, and the
// within-run variances, read from intervals that are somewhat conservative,
// count only in τ², in the note on over-confident runs and in the floor used
// when every estimate is the same. metafor's inverse-variance weights remain
// available to randomEffects (its reference test).
import { normalQuantile } from './normal.ts';
import { withHolm, type PairedLine } from './paired-compare.ts';
import { tCdf, tQuantile } from './student-t.ts';

export interface RandomEffects {
  /** Replicates combined. */
  k: number;
  /** θ̂: the weighted mean on the analysis scale (log ratio, or difference). */
  mean: number;
  /** HKSJ standard error of θ̂. */
  se: number;
  /** DerSimonian–Laird between-replicate variance (≥ 0). */
  tau2: number;
  /** Cochran's Q around the fixed-effect mean, and its degrees of freedom k − 1. */
  q: number;
  df: number;
  /** HKSJ interval of θ (t with k − 1 df). */
  interval: [number, number];
  /** Two-sided p of θ = 0 (t with k − 1 df). */
  p: number;
  /** Random-effects weights 1 / (v_i + τ²), normalised to sum 1. */
  weights: number[];
}

export interface RandomEffectsOptions {
  /**
   * Never let the HKSJ variance fall below the plain random-effects variance
   * 1 / Σw (Knapp & Hartung's ad hoc truncation, metafor test = "adhoc"). The
   * untruncated HKSJ can be narrower than DL's when the k replicates happen to
   * agree; truncated, it stood at 100 % coverage and no A/A call at all in
   * simulation (with t(k − 1) beside it, max(1, q*) is far too wide at small
   * k), so it is used only where the replicates agree exactly and the HKSJ
   * variance is 0 (README, "Replicates").
   */
  truncate?: boolean;
  /**
   * 'equal': every replicate weighs the same in θ̂ and in the HKSJ variance
   * (replicates of one trace have the same jobs, so their within-run variances
   * differ by noise and their own draw); τ² is still DerSimonian–Laird's.
   * Measured against inverse-variance weights (README, "Replicates").
   */
  weights?: 'inverse-variance' | 'equal';
}

/** DerSimonian–Laird τ² and the HKSJ interval of θ; `y` and `v` on the analysis scale, k ≥ 2. */
export function randomEffects(y: readonly number[], v: readonly number[], confidence: number, opts: RandomEffectsOptions = {}): RandomEffects {
  const k = y.length;
  if (k < 2 || v.length !== k) throw new RangeError(`randomEffects: needs k ≥ 2 estimates with their variances, got ${k} and ${v.length}`);
  const w0 = v.map((x) => 1 / x);
  const s0 = sum(w0);
  const fixed = sum(w0.map((w, i) => w * y[i]!)) / s0;
  const q = sum(w0.map((w, i) => w * (y[i]! - fixed) ** 2));
  const c = s0 - sum(w0.map((w) => w * w)) / s0;
  const tau2 = Math.max(0, (q - (k - 1)) / c);
  const w = opts.weights === 'equal' ? v.map(() => 1) : v.map((x) => 1 / (x + tau2));
  const s = sum(w);
  const mean = sum(w.map((wi, i) => wi * y[i]!)) / s;
  // HKSJ: the weighted residual variance around θ̂; truncated, never below θ̂'s random-effects variance Σw²(v + τ²)/(Σw)² (1/Σw for inverse-variance weights).
  const hksj = sum(w.map((wi, i) => wi * (y[i]! - mean) ** 2)) / ((k - 1) * s);
  const re = sum(w.map((wi, i) => wi * wi * (v[i]! + tau2))) / (s * s);
  const se = Math.sqrt(opts.truncate ? Math.max(re, hksj) : hksj);
  const df = k - 1;
  const crit = tQuantile(1 - (1 - confidence) / 2, df);
  const t = se > 0 ? mean / se : mean === 0 ? 0 : Math.sign(mean) * Infinity;
  return { k, mean, se, tau2, q, df, interval: [mean - crit * se, mean + crit * se], p: Math.min(1, 2 * (1 - tCdf(Math.abs(t), df))), weights: w.map((x) => x / s) };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** A line's estimate on the analysis scale: log of a ratio, a difference as it is. */
export const toAnalysisScale = (l: Pick<PairedLine, 'scale'>, x: number) => (l.scale === 'ratio' ? Math.log(x) : x);
const fromAnalysisScale = (scale: PairedLine['scale'], x: number) => (scale === 'ratio' ? Math.exp(x) : x);

/**
 * The within-run variance of a line's estimate on the analysis scale, from its
 * interval: ((hi − lo) / 2z)². The run's interval was built with t and the
 * flat-top stretch, so reading it with z gives a variance a little larger than
 * the bootstrap's own (never smaller); NaN without a finite interval.
 */
export function withinVariance(l: Pick<PairedLine, 'scale' | 'interval'>, confidence: number): number {
  const [lo, hi] = l.interval;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || (l.scale === 'ratio' && !(lo > 0))) return NaN;
  const half = (toAnalysisScale(l, hi) - toAnalysisScale(l, lo)) / (2 * normalQuantile(1 - (1 - confidence) / 2));
  return half > 0 ? half * half : NaN;
}

export interface ReplicateEstimate {
  /** The replicate's own estimate and interval (the line's scale: ratio or difference), its verdict, and whether it entered the combination. */
  estimate: number;
  interval: [number, number];
  verdict: PairedLine['verdict'];
  used: boolean;
}

export interface CombinedLine {
  line: PairedLine;
  replicates: ReplicateEstimate[];
  /** The model, when at least two replicates had a finite estimate and interval. */
  model: RandomEffects | null;
  /** Between-replicate sd τ̂ on the analysis scale. */
  tau: number | null;
  /**
   * Replicates whose own interval was narrower than the between-replicate
   * spread (its within-run sd below τ̂, so its half-width below z·τ̂): alone,
   * such a run would have stated more certainty about the population than the
   * replicates show, and over-called a difference of that size.
   */
  overConfident: number;
}

export const COMBINE_METHOD = 'random effects over replicates: each replicate\'s estimate on the log scale (differences as they are), its within-run variance from its interval; DerSimonian–Laird τ²; the replicates weighed equally (the same trace: the same jobs), Hartung–Knapp–Sidik–Jonkman interval (t with k − 1 df)';

/**
 * Per headline metric, the replicates' lines combined — weighed equally unless
 * `opts.weights` says otherwise: replicates of one trace run the same jobs, so
 * their within-run variances differ only by noise and their own draw, and
 * inverse-variance weights followed that noise (k = 5, τ = 0.1: the p90 line
 * rejected in 8.4 % of A/A sets and covered 91.6 %; equal weights 5.1 % and
 * 94.9 %; README, "Replicates"); then Holm across the
 * combined lines and the margin, as a single run's verdicts are decided
 * (withHolm). A metric with fewer than two usable replicates is "insufficient data".
 */
export function combineReplicates(runs: readonly (readonly PairedLine[])[], confidence: number, margin: number, opts: RandomEffectsOptions = {}): CombinedLine[] {
  const metrics = [...new Set(runs.flatMap((ls) => ls.map((l) => l.metric)))];
  const out = metrics.map((metric) => {
    const lines = runs.map((ls) => ls.find((l) => l.metric === metric));
    const first = lines.find((l): l is PairedLine => l !== undefined)!;
    const usable = lines.map((l) => l !== undefined && l.verdict !== 'insufficient data' && Number.isFinite(toAnalysisScale(l, l.estimate)) && Number.isFinite(withinVariance(l, confidence)));
    const y: number[] = [];
    const v: number[] = [];
    lines.forEach((l, i) => {
      if (!usable[i]) return;
      y.push(toAnalysisScale(l!, l!.estimate));
      v.push(withinVariance(l!, confidence));
    });
    const replicates: ReplicateEstimate[] = lines.map((l, i) => ({ estimate: l?.estimate ?? NaN, interval: l ? l.interval : [NaN, NaN], verdict: l?.verdict ?? 'insufficient data', used: usable[i]! }));
    const n = sum(lines.map((l) => l?.n ?? 0));
    const base = {
      ...first, method: COMBINE_METHOD, baseline: mean(lines.map((l) => l?.baseline ?? NaN)), candidate: mean(lines.map((l) => l?.candidate ?? NaN)),
      n, blockLength: null, replicates: null, pHolm: NaN,
    };
    if (y.length < 2) {
      const line: PairedLine = { ...base, estimate: NaN, interval: [NaN, NaN], pValue: NaN, verdict: 'insufficient data', reason: `fewer than two replicates with a usable ${metric} interval (${y.length} of ${runs.length})` };
      return { line, replicates, model: null, tau: null, overConfident: 0 };
    }
    // A difference of success rates is a count of discordant jobs over n: replicates can agree exactly (two runs each
    // with one more failure on the candidate), and the HKSJ variance is then 0 — a called difference from nothing
    // (k = 2, A/A: 6 % of sets called after Holm). Only then is it floored at the random-effects one (1/Σw): floored
    // always, the success line never called anything (0 % in A/A, 100 % coverage). Ratio lines are continuous.
    const equal = y.every((x) => x === y[0]);
    const model = randomEffects(y, v, confidence, { weights: opts.weights ?? 'equal', truncate: opts.truncate ?? equal });
    const tau = Math.sqrt(model.tau2);
    const overConfident = v.filter((vi) => Math.sqrt(vi) < tau).length;
    const line: PairedLine = {
      ...base, estimate: fromAnalysisScale(first.scale, model.mean),
      interval: [fromAnalysisScale(first.scale, model.interval[0]), fromAnalysisScale(first.scale, model.interval[1])],
      pValue: model.p, verdict: '~',
    };
    return { line, replicates, model, tau, overConfident };
  });
  const decided = withHolm(out.map((c) => c.line), 1 - confidence, margin);
  return out.map((c, i) => ({ ...c, line: decided[i]! }));
}

function mean(xs: readonly number[]): number {
  const f = xs.filter(Number.isFinite);
  return f.length ? sum(f) / f.length : NaN;
}
