// Draws from the basic distributions, shared by the trace generator and the
// simulators (whose own samplers build on these: targets/common/distributions.ts).
// Pure: each takes the Random it draws from, so every draw is reproducible
// from a seed; each uses a fixed number of uniforms, in a fixed order.
import type { Random } from './random.ts';

export function uniform(r: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * r.next();
}

/** Box–Muller (two uniforms, the cosine branch); 1 − u keeps log away from 0. */
export function standardNormal(r: Random): number {
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

/** Lognormal by its median and the σ of its log. */
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

/** An index of `weights` with probability proportional to its weight (one uniform). */
export function weightedIndex(r: Random, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = r.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** A key of `weights` with probability proportional to its weight. */
export function weighted<K extends string>(r: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  return entries[weightedIndex(r, entries.map(([, w]) => w))]![0];
}

/** A numeric key of `weights` (e.g. a GPU count) with probability proportional to its weight. */
export function weightedNumber(r: Random, weights: Readonly<Record<number, number>>): number {
  return Number(weighted(r, weights as Readonly<Record<string, number>>));
}
