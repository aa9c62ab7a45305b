// Confidence intervals. Pure functions.
import { normalQuantile } from './normal.ts';

/** z for a two-sided interval at `confidence` (0.95 → 1.959964). */
export function zFor(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * Wilson score interval for a proportion k/n (Wilson 1927; Newcombe 1998,
 * method 3): well behaved near 0 and 1, where the Wald interval is not.
 */
export function wilson(k: number, n: number, confidence = 0.95): [number, number] {
  if (n === 0) return [0, 1];
  const z = zFor(confidence);
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
