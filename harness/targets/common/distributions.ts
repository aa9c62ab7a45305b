// Samplers of the distributions the simulators draw from. Pure: each takes
// the Random it draws from, so every draw is reproducible from a seed. The
// basic draws are common/draw.ts (shared with the trace generator), passed on
// from here so that a simulator imports its samplers from one place.
import { lognormal, standardNormal, uniform } from '../../common/draw.ts';
import type { Random } from '../../common/random.ts';

export { bernoulli, exponential, lognormal, standardNormal, uniform, weibull, weighted } from '../../common/draw.ts';

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

/** Gamma(shape, scale) by Marsaglia and Tsang's method (shape < 1 boosted by U^(1/shape)). */
export function gammaDraw(r: Random, shape: number, scale = 1): number {
  if (shape < 1) return gammaDraw(r, shape + 1, scale) * Math.pow(1 - r.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(r);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - r.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

// Length-biased draws (density ∝ x·f(x)): the length of the session that
// covers a random moment, which is longer on average than an ordinary one.
// A slot observed at a random time is in such a session, at a uniform point of it.

/** Length-biased Weibull(k, λ): λ·Y^(1/k) with Y ~ Gamma(1 + 1/k). */
export function weibullLengthBiased(r: Random, shape: number, scale: number): number {
  return scale * Math.pow(gammaDraw(r, 1 + 1 / shape), 1 / shape);
}

/** Length-biased lognormal(median m, σ): lognormal(m·e^(σ²), σ). */
export function lognormalLengthBiased(r: Random, median: number, sigma: number): number {
  return lognormal(r, median * Math.exp(sigma * sigma), sigma);
}

/** Length-biased exponential of the given mean: Gamma(2, mean). */
export function exponentialLengthBiased(r: Random, mean: number): number {
  return gammaDraw(r, 2, mean);
}

/**
 * Length-biased draw of `shift + X` (X ≥ 0 with the given mean): the biased
 * density (shift + x)·f(x) is a mixture, an ordinary X with probability
 * shift / (shift + E X), a length-biased X otherwise.
 */
export function shiftedLengthBiased(r: Random, shift: number, meanX: number, ordinary: () => number, biased: () => number): number {
  return shift + (r.next() * (shift + meanX) < shift ? ordinary() : biased());
}

export function weibullMean(shape: number, scale: number): number {
  return scale * gamma(1 + 1 / shape);
}

export function lognormalMean(median: number, sigma: number): number {
  return median * Math.exp((sigma * sigma) / 2);
}

/** Parameters of a node's relative speed, named alike in both simulators. */
export interface SpeedParams {
  throttled_share: number;
  throttled_speed_min: number;
  throttled_speed_max: number;
  node_speed_sd: number;
}

/** Relative speed of a node (1 = nominal): a throttled share runs slower, the rest near nominal (clamped at ± 4 sd). */
export function nodeSpeed(r: Random, p: SpeedParams): number {
  if (r.next() < p.throttled_share) return uniform(r, p.throttled_speed_min, p.throttled_speed_max);
  return Math.min(1 + 4 * p.node_speed_sd, Math.max(1 - 4 * p.node_speed_sd, 1 + p.node_speed_sd * standardNormal(r)));
}
