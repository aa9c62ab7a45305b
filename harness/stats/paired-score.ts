// Success on both targets of the same jobs: McNemar's test on the discordant
// pairs and Tango's score interval for the difference of paired proportions
// (Tango 1998; Newcombe 1998's method 10 is its closed form). The interval is
// the set of differences Tango's score test does not reject, and at a
// difference of 0 that statistic is McNemar's (b − c)/√(b + c): test and
// interval are one procedure. A `designEffect` > 1 (jobs correlated in time,
// block-bootstrap.ts) widens both by √designEffect.
import { normalQuantile, twoSidedNormalP } from './normal.ts';

export interface PairedCounts {
  /** Jobs completed on the candidate only. */
  candidateOnly: number;
  /** Jobs completed on the baseline only. */
  baselineOnly: number;
  /** All paired jobs. */
  n: number;
}

/** Tango's score statistic for H0: p(candidate) − p(baseline) = delta. */
export function tangoScore(c: PairedCounts, delta: number): number {
  const { candidateOnly: b, baselineOnly: k, n } = c;
  if (n === 0) return 0;
  // Restricted MLE of the baseline-only cell probability under the null (Tango's closed form).
  const w = -b - k + (2 * n - b + k) * delta;
  const q21 = (Math.sqrt(Math.max(0, w * w + 8 * n * k * delta * (1 - delta))) - w) / (4 * n);
  const v = n * (2 * q21 + delta * (1 - delta));
  const num = b - k - n * delta;
  if (v <= 0) return num === 0 ? 0 : Math.sign(num) * Infinity;
  return num / Math.sqrt(v);
}

export interface PairedDifference {
  /** p(candidate) − p(baseline). */
  estimate: number;
  lo: number;
  hi: number;
  /** McNemar's two-sided p (score test at 0). */
  p: number;
}

export function pairedDifference(c: PairedCounts, confidence: number, designEffect = 1): PairedDifference {
  const { candidateOnly: b, baselineOnly: k, n } = c;
  if (n === 0) return { estimate: NaN, lo: NaN, hi: NaN, p: NaN };
  const scale = Math.sqrt(Math.max(1, designEffect));
  const z = normalQuantile(1 - (1 - confidence) / 2) * scale;
  const est = (b - k) / n;
  // The score statistic falls as delta rises: each bound is where it crosses ±z.
  const solve = (target: number, from: number, to: number) => {
    let l = from;
    let h = to;
    for (let i = 0; i < 100; i++) {
      const m = (l + h) / 2;
      if (tangoScore(c, m) > target) l = m;
      else h = m;
    }
    return (l + h) / 2;
  };
  const lo = solve(z, -1, est);
  const hi = solve(-z, est, 1);
  const p = b + k === 0 ? 1 : twoSidedNormalP((b - k) / Math.sqrt(b + k) / scale);
  return { estimate: est, lo, hi, p };
}
