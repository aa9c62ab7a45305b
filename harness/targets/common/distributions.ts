// Samplers of the distributions the simulators draw from. Pure: each takes
// the Random it draws from, so every draw is reproducible from a seed.
import type { Random } from '../../common/random.ts';

export function uniform(r: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * r.next();
}

export function standardNormal(r: Random): number {
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

/** Lognormal by its median and the σ of its log (how backends.md states them). */
export function lognormal(r: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(r));
}

/** Weibull(shape k, scale λ) by inversion. Mean = λ Γ(1 + 1/k). */
export function weibull(r: Random, shape: number, scale: number): number {
  return scale * Math.pow(-Math.log(1 - r.next()), 1 / shape);
}

export function exponential(r: Random, mean: number): number {
  return -mean * Math.log(1 - r.next());
}

export function bernoulli(r: Random, p: number): boolean {
  return r.next() < p;
}

/** Picks a key of `weights` with probability proportional to its weight. */
export function weighted<K extends string>(r: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let u = r.next() * total;
  for (const [k, w] of entries) {
    u -= w;
    if (u < 0) return k;
  }
  return entries[entries.length - 1]![0];
}

/** Γ(x) by the Lanczos approximation (for Weibull means in calibration). */
export function gamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, x + 0.5) * Math.exp(-t) * a;
}
