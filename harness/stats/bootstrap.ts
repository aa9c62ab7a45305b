// Seeded bootstrap intervals, including the paired bootstrap over jobs that
// mirrorbench's comparisons rest on (every job ran on both targets).
import type { Random } from '../common/random.ts';

export type Statistic = (values: Float64Array) => number;

/**
 * Rearranges `a` so that a[k] is the value a full sort would put there, with
 * nothing larger before it and nothing smaller after it (Hoare's selection,
 * median-of-three pivots): O(n) on average where a sort is O(n log n) — the
 * bootstrap takes thousands of quantiles of thousands of values.
 */
function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot keeps sorted and reversed input linear.
    if (a[mid]! < a[lo]!) [a[mid], a[lo]] = [a[lo]!, a[mid]!];
    if (a[hi]! < a[lo]!) [a[hi], a[lo]] = [a[lo]!, a[hi]!];
    if (a[hi]! < a[mid]!) [a[hi], a[mid]] = [a[mid]!, a[hi]!];
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The p-quantile with linear interpolation between order statistics (R's type 7), as a sort would give. */
export function quantileOf(p: number): Statistic {
  return (v) => {
    if (v.length === 0) return NaN;
    const a = Float64Array.from(v);
    const h = (a.length - 1) * p;
    const lo = Math.floor(h);
    const x = selectKth(a, lo);
    if (h === lo || lo + 1 >= a.length) return x;
    // Everything after position lo is ≥ x: the next order statistic is their minimum.
    let y = Infinity;
    for (let i = lo + 1; i < a.length; i++) if (a[i]! < y) y = a[i]!;
    return x + (h - lo) * (y - x);
  };
}

export const meanOf: Statistic = (v) => {
  let s = 0;
  for (const x of v) s += x;
  return v.length ? s / v.length : NaN;
};

function percentile(sorted: Float64Array, p: number): number {
  return quantileOf(p)(sorted);
}

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

/**
 * Paired bootstrap of stat(b) / stat(a): jobs are resampled together, so the
 * per-job correlation between the two targets narrows the interval. Also
 * returns a two-sided bootstrap p-value for "ratio = 1".
 */
export function pairedBootstrapRatio(
  a: readonly number[],
  b: readonly number[],
  stat: Statistic,
  opts: { resamples: number; confidence: number; random: Random },
): Interval & { p: number } {
  const n = Math.min(a.length, b.length);
  const xa = Float64Array.from(a.slice(0, n));
  const xb = Float64Array.from(b.slice(0, n));
  const est = stat(xb) / stat(xa);
  const reps = new Float64Array(opts.resamples);
  const ba = new Float64Array(n);
  const bb = new Float64Array(n);
  let below = 0;
  let above = 0;
  for (let r = 0; r < opts.resamples; r++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(opts.random.next() * n);
      ba[i] = xa[j]!;
      bb[i] = xb[j]!;
    }
    const v = stat(bb) / stat(ba);
    reps[r] = v;
    if (v <= 1) below++;
    if (v >= 1) above++;
  }
  reps.sort();
  const alpha = (1 - opts.confidence) / 2;
  const p = Math.min(1, (2 * Math.min(below, above) + 1) / (opts.resamples + 1));
  return { estimate: est, lo: percentile(reps, alpha), hi: percentile(reps, 1 - alpha), p };
}
