// Student's t distribution, for small-sample expansions of bootstrap intervals. Pure.
import { incompleteBeta } from './beta.ts';

/** P(T ≤ t) for T ~ t(df), df > 0 (real df allowed). */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The p-quantile of t(df), by bisection on tCdf (used a few times per interval, not per replicate). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return p === 1 ? Infinity : p === 0 ? -Infinity : NaN;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const m = (lo + hi) / 2;
    if (tCdf(m, df) < p) lo = m;
    else hi = m;
  }
  return (lo + hi) / 2;
}
