// Quantiles of time to success with failures right-censored at their failure
// time: the Harrell–Davis estimator (Harrell & Davis 1982) taken over the
// Kaplan–Meier distribution function instead of the empirical one. Without
// censoring it is exactly Harrell–Davis — a Beta((n+1)q, (n+1)(1−q))-weighted
// mean of the order statistics, smooth in the data, so a bootstrap of it is not
// stuck on a few order statistics the way type-7 quantiles are (those gave
// 98 % coverage at p50 and 85 % at p99). With censoring each event's weight is
// the Beta mass over its Kaplan–Meier step; when the curve stops short of the
// quantile (too many failures) the quantile is undefined (NaN), never a
// quantile of the survivors only.
import { betaCdfTable, incompleteBeta } from './beta.ts';

/**
 * Beta mass that may lie beyond the last event before the quantile counts as
 * undefined: the estimator's weight up to its own 99th percentile must lie on
 * the curve. The weight beyond is dropped (renormalised), which moves the
 * estimate by a fraction of the window's spread at most. At 1e-3 a resample
 * whose curve stopped a little short of p90's window — a few timeouts drawn
 * together — counted as +∞, and the timed-out candidate's p90 interval
 * covered in 97.5 % of 5,000 simulated runs; at 1 %, 97.0 %, with every A/A
 * and planted figure of the stats bench unchanged at n = 300 (README).
 */
const MISSING_MASS = 0.01;
/** Beta mass treated as 0 or 1 outside the window [lo, hi]: keeps the cost per resample to the window's events. */
const WINDOW_TAIL = 1e-10;

interface Window {
  a: number;
  b: number;
  lo: number;
  hi: number;
  /** I_x(a, b) inside the window: a table for bootstrap resamples where a, b ≥ 2, else the continued fraction. */
  cdf: (x: number) => number;
}

/** Cells of the Beta distribution table (beta.ts): 4,096 keep its error below 1e-11. */
const TABLE_CELLS = 4_096;
/** Below this many observations a resample's window holds few events and the table costs more than it saves. */
const TABLE_MIN_N = 100;
/** Windows by (n, q), shared by every sample of that size: a simulation study compares thousands of runs of one size. */
const windowCache = new Map<string, Window>();

function windowOf(n: number, q: number): Window {
  const key = `${n}:${q}`;
  let w = windowCache.get(key);
  if (!w) {
    if (windowCache.size >= 64) windowCache.clear();
    windowCache.set(key, (w = newWindow(n, q)));
  }
  return w;
}

function newWindow(n: number, q: number): Window {
  const a = (n + 1) * q;
  const b = (n + 1) * (1 - q);
  const solve = (target: number) => {
    let l = 0;
    let h = 1;
    for (let i = 0; i < 60; i++) {
      const m = (l + h) / 2;
      if (incompleteBeta(m, a, b) < target) l = m;
      else h = m;
    }
    return (l + h) / 2;
  };
  const lo = solve(WINDOW_TAIL);
  const hi = solve(1 - WINDOW_TAIL);
  const cdf = n >= TABLE_MIN_N && a >= 2 && b >= 2 ? betaCdfTable(a, b, lo, hi, TABLE_CELLS) : (x: number) => incompleteBeta(x, a, b);
  return { a, b, lo, hi, cdf };
}

/**
 * A sample of times, some censored, prepared once for many weighted
 * evaluations (the bootstrap passes how often each observation was drawn).
 */
export class CensoredQuantiles {
  private readonly order: Int32Array;
  private readonly windows = new Map<number, Window[]>();

  constructor(
    private readonly times: Float64Array,
    private readonly observed: Uint8Array,
    private readonly qs: readonly number[],
  ) {
    if (times.length !== observed.length) throw new RangeError('times and observed differ in length');
    const idx = Array.from({ length: times.length }, (_, i) => i);
    // Events before censorings at the same time (Kaplan–Meier's convention).
    idx.sort((i, j) => times[i]! - times[j]! || observed[j]! - observed[i]!);
    this.order = Int32Array.from(idx);
  }

  private windowsFor(n: number): Window[] {
    let w = this.windows.get(n);
    if (!w) this.windows.set(n, (w = this.qs.map((q) => windowOf(n, q))));
    return w;
  }

  /** The quantiles for the sample weighted by `counts` (every observation once when omitted); NaN where undefined. */
  evaluate(counts?: Int32Array): Float64Array {
    let n = 0;
    if (counts) for (let i = 0; i < counts.length; i++) n += counts[i]!;
    else n = this.times.length;
    const out = new Float64Array(this.qs.length);
    if (n === 0) return out.fill(NaN);
    const ws = this.windowsFor(n);
    const prev = new Float64Array(this.qs.length);
    let atRisk = n;
    let s = 1;
    for (let k = 0; k < this.order.length; k++) {
      const i = this.order[k]!;
      const m = counts ? counts[i]! : 1;
      if (m === 0) continue;
      if (this.observed[i]) {
        s *= 1 - m / atRisk;
        const f = 1 - s;
        const t = this.times[i]!;
        for (let j = 0; j < ws.length; j++) {
          const w = ws[j]!;
          if (prev[j] === 1 || f < w.lo) continue;
          // The sample itself takes the exact weights; resamples the table's.
          const cdf = f >= w.hi || s <= 0 ? 1 : counts ? w.cdf(f) : incompleteBeta(f, w.a, w.b);
          out[j]! += t * (cdf - prev[j]!);
          prev[j] = cdf;
        }
      }
      atRisk -= m;
    }
    for (let j = 0; j < out.length; j++) out[j] = 1 - prev[j]! > MISSING_MASS || prev[j] === 0 ? NaN : out[j]! / prev[j]!;
    return out;
  }
}

/** Harrell–Davis quantiles of an uncensored sample. */
export function harrellDavis(values: readonly number[], qs: readonly number[]): number[] {
  return [...new CensoredQuantiles(Float64Array.from(values), new Uint8Array(values.length).fill(1), qs).evaluate()];
}

/** Kaplan–Meier Harrell–Davis quantiles: `observed[i]` false when times[i] is a censoring (a failure) time. */
export function censoredQuantiles(times: readonly number[], observed: readonly boolean[], qs: readonly number[]): number[] {
  return [...new CensoredQuantiles(Float64Array.from(times), Uint8Array.from(observed, (o) => (o ? 1 : 0)), qs).evaluate()];
}
