// Rank tests with normal approximations, tie-corrected. Pure functions.
import { twoSidedNormalP } from './normal.ts';

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedP(z: number): number {
  return twoSidedNormalP(z);
}

/** Average ranks (1-based) of `values`, and the tie-correction term Σ(t³ − t). */
export function ranks(values: readonly number[]): { ranks: Float64Array; ties: number } {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Float64Array(values.length);
  let ties = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]![1]] = avg;
    const t = j - i + 1;
    if (t > 1) ties += t * t * t - t;
    i = j + 1;
  }
  return { ranks: r, ties };
}

/**
 * Wilcoxon signed-rank test on paired samples (b − a), zero differences
 * dropped (Wilcoxon's method), normal approximation with tie correction and
 * continuity correction. Returns W+ and the two-sided p-value.
 */
export function signedRankTest(a: readonly number[], b: readonly number[]): { wPlus: number; n: number; z: number; p: number } {
  const d: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = b[i]! - a[i]!;
    if (x !== 0) d.push(x);
  }
  const n = d.length;
  if (n === 0) return { wPlus: 0, n: 0, z: 0, p: 1 };
  const { ranks: r, ties } = ranks(d.map(Math.abs));
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (d[i]! > 0) wPlus += r[i]!;
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - ties / 48;
  if (variance <= 0) return { wPlus, n, z: 0, p: 1 };
  const diff = wPlus - mean;
  const z = (diff - Math.sign(diff) * 0.5) / Math.sqrt(variance);
  return { wPlus, n, z, p: twoSidedP(z) };
}
