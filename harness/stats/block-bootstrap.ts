// Block bootstrap for jobs that are not independent: a churn episode, an
// outage or a backlog delays many consecutive jobs, so the jobs of a run, in
// submission order, are a dependent series. Resampling whole circular blocks
// (Politis & Romano 1992) keeps that dependence inside each block; the block
// length comes from the data's own autocorrelation (Politis & White 2004, with
// the correction of Patton, Politis & White 2009), as arch's
// optimal_block_length computes it — for independent jobs it is about 1 and
// the bootstrap is the ordinary one.
import type { Random } from '../common/random.ts';

export interface BlockLength {
  /** Optimal circular-block length (real; round up to use). */
  circular: number;
  /** Long-run variance of the series (flat-top kernel): Σ over all lags of its autocovariance. */
  longRunVariance: number;
  /** Its plain variance; longRunVariance / variance is the design effect of a mean. */
  variance: number;
}

/** Politis–White automatic block length of a series, the circular-bootstrap value of arch.bootstrap.optimal_block_length. */
export function optimalBlockLength(x: ArrayLike<number>, opts: { maxLag?: number } = {}): BlockLength {
  const n = x.length;
  if (n < 4) return { circular: 1, longRunVariance: 0, variance: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  const eps = new Float64Array(n);
  for (let i = 0; i < n; i++) eps[i] = x[i]! - mean;
  const bMax = Math.ceil(Math.min(3 * Math.sqrt(n), n / 3));
  const kn = Math.max(5, Math.trunc(Math.log10(n)));
  // arch's cap; a persistent series (a congestion with a memory of ~40 jobs) needs more lags for its long-run variance.
  const mMax = Math.min(n - 2, opts.maxLag ?? Math.ceil(Math.sqrt(n)) + kn);
  const cv = 2 * Math.sqrt(Math.log10(n) / n);
  const acv = new Float64Array(mMax + 1);
  const absAcorr = new Float64Array(mMax + 1);
  let optM: number | null = null;
  for (let i = 0; i <= mMax; i++) {
    let v1 = 0;
    let v2 = 0;
    let cross = 0;
    for (let t = i + 1; t < n; t++) v1 += eps[t]! * eps[t]!;
    for (let t = 0; t < n - i - 1; t++) v2 += eps[t]! * eps[t]!;
    for (let t = i; t < n; t++) cross += eps[t]! * eps[t - i]!;
    acv[i] = cross / n;
    absAcorr[i] = v1 > 0 && v2 > 0 ? Math.abs(cross) / Math.sqrt(v1 * v2) : 0;
    if (i >= kn && optM === null) {
      let all = true;
      for (let k = i - kn; k < i; k++) if (!(absAcorr[k]! < cv)) all = false;
      if (all) optM = i - kn;
    }
  }
  const m = Math.min(optM !== null ? 2 * Math.max(optM, 1) : mMax, mMax);
  let g = 0;
  let lr = acv[0]!;
  for (let k = 1; k <= m; k++) {
    const lam = k / m <= 0.5 ? 1 : 2 * (1 - k / m);
    g += 2 * lam * k * acv[k]!;
    lr += 2 * lam * acv[k]!;
  }
  const dCb = (4 / 3) * lr * lr;
  const bCb = dCb > 0 ? Math.cbrt((2 * g * g) / dCb) * Math.cbrt(n) : 1;
  return { circular: Math.min(Number.isFinite(bCb) ? bCb : 1, bMax), longRunVariance: lr, variance: acv[0]! };
}

/** A block length for several series at once: the longest any of them needs, as a whole number ≥ 1. */
export function blockLengthOf(...series: ArrayLike<number>[]): number {
  let b = 1;
  for (const s of series) b = Math.max(b, Math.ceil(optimalBlockLength(s).circular));
  return b;
}

/**
 * One circular-block resample of n series positions, as how often each was
 * drawn: ⌈n/len⌉ blocks of `len` consecutive positions (wrapping at the end)
 * with uniform starts, the last one cut so that exactly n are drawn.
 */
export function circularBlockCounts(n: number, len: number, random: Random, counts = new Int32Array(n)): Int32Array {
  counts.fill(0);
  const L = Math.max(1, Math.min(len, n));
  let drawn = 0;
  while (drawn < n) {
    const start = Math.floor(random.next() * n);
    for (let j = 0; j < L && drawn < n; j++, drawn++) counts[(start + j) % n]!++;
  }
  return counts;
}

/** Circular autocovariances of a series about its mean, lags 0 … lags − 1 (divisor n): the circular-block bootstrap's own. */
export function circularAutocovariances(x: ArrayLike<number>, lags: number): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  const acv = new Float64Array(Math.max(1, lags));
  for (let k = 0; k < acv.length; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += (x[i]! - mean) * (x[(i + k) % n]! - mean);
    acv[k] = s / n;
  }
  return acv;
}

/**
 * n × the variance a circular-block bootstrap of block length `len` gives the
 * mean of the series whose circular autocovariances are `acv` (at least len
 * lags): exactly the Bartlett sum Σ_{|k|<len} (1 − |k|/len) γ̃(k) (Politis &
 * Romano 1992), no resampling needed.
 */
export function circularBlockVariance(acv: Float64Array, len: number): number {
  let v = acv[0]!;
  for (let k = 1; k < len; k++) v += 2 * (1 - k / len) * acv[k]!;
  return v;
}

export interface ArmaLongRun {
  /** Long-run variance under the fitted ARMA(1,1) shape (the series' variance when no persistence shows). */
  longRunVariance: number;
  /** Lag-1-and-beyond decay of the autocovariances (0 when no persistence shows). */
  rho: number;
  /** A of γ(k) = A ρ^k (0 when no persistence shows). */
  amplitude: number;
  /** Whether the first lags' autocorrelations showed persistence (else the series is taken as uncorrelated). */
  persistent: boolean;
}

/** Lags the ARMA(1,1) shape is fitted on (fewer when the series is short: at most a quarter of it). */
export const ARMA_LAGS = 10;

/**
 * The long-run variance of a series (Σ over all lags of its autocovariance) by
 * a parametric ARMA(1,1) approximation — the family Andrews (1991) plugs in to
 * choose a HAC bandwidth (R's sandwich::bwAndrews(approx = "ARMA(1,1)"), which
 * fits it by maximum likelihood); here it is fitted to the first
 * autocovariances and gives the long-run variance itself. No library computes
 * this estimator, so it has no reference values; it is checked by simulation
 * against series whose long-run variance is known in closed form
 * (test/unit/stats/arma-spread.test.ts). An AR(1)
 * observed with independent noise (a target's congestion under per-job noise)
 * is exactly ARMA(1,1): γ(k) = A ρ^k from lag 1 on, γ(0) larger by the noise,
 * so the long-run variance is γ(0) + 2Aρ/(1 − ρ). A and ρ are fitted by least
 * squares to the first ARMA_LAGS autocovariances (ρ on a grid of 0.005 up to
 * 0.995, A ≥ 0 in closed form for each ρ). Autocovariances about the sample
 * mean fall short of the true ones by about the variance of that mean, LRV/n,
 * at every lag: that is added back, iterating with the fitted LRV. The model
 * extrapolates the decay seen in the first lags, which a truncated
 * nonparametric sum cannot do when the memory is long against the run (φ = 0.95
 * at n = 300: the flat-top's lag window stops at a design effect below 10 in
 * half the runs where the truth is 23.4). Regularised: only where the first
 * lags' autocorrelations sum to more than 2 of their standard errors under
 * independence (√(lags/n)) is the shape fitted — otherwise ρ̂ runs to 1 on
 * noise in short series — and the long-run variance is at most n times the
 * variance (the variance of a mean never exceeds one observation's).
 */
export function armaLongRunVariance(x: ArrayLike<number>, maxLag = ARMA_LAGS): ArmaLongRun {
  const n = x.length;
  const K = Math.min(maxLag, Math.floor(n / 4));
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  const g = new Float64Array(K + 1);
  for (let k = 0; k <= K; k++) {
    let s = 0;
    for (let t = k; t < n; t++) s += (x[t]! - mean) * (x[t - k]! - mean);
    g[k] = s / n;
  }
  const white: ArmaLongRun = { longRunVariance: n > 1 ? (g[0]! * n) / (n - 1) : g[0]!, rho: 0, amplitude: 0, persistent: false };
  if (K < 2 || !(g[0]! > 0)) return white;
  let sumR = 0;
  for (let k = 1; k <= K; k++) sumR += g[k]! / g[0]!;
  if (!(sumR > 2 * Math.sqrt(K / n))) return white;
  let bias = 0;
  let lrv = g[0]!;
  let rho = 0;
  let amplitude = 0;
  for (let it = 0; it < 30; it++) {
    let best = Infinity;
    let bestA = 0;
    let bestRho = 0;
    for (let step = 0; step <= 199; step++) {
      const r = step * 0.005;
      let num = 0;
      let den = 0;
      let rk = 1;
      for (let k = 1; k <= K; k++) {
        rk *= r;
        num += (g[k]! + bias) * rk;
        den += rk * rk;
      }
      const A = den > 0 ? Math.max(0, num / den) : 0;
      let sse = 0;
      rk = 1;
      for (let k = 1; k <= K; k++) {
        rk *= r;
        sse += (g[k]! + bias - A * rk) ** 2;
      }
      if (sse < best) {
        best = sse;
        bestA = A;
        bestRho = r;
      }
    }
    rho = bestRho;
    amplitude = bestA;
    const g0 = g[0]! + bias;
    lrv = Math.min(n * g0, g0 + (2 * bestA * bestRho) / (1 - bestRho));
    const next = Math.min(lrv / n, g[0]!);
    if (Math.abs(next - bias) <= 1e-12 * g[0]!) break;
    bias = next;
  }
  return { longRunVariance: lrv, rho, amplitude, persistent: true };
}
