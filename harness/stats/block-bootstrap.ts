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
