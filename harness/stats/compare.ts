// A benchstat-like verdict: a difference is claimed only when the interval of
// the ratio excludes 1 (and the test agrees); otherwise "~".
export type Direction = 'lower-is-better' | 'higher-is-better';
export type Verdict = 'better' | 'worse' | '~';

export function verdictOf(ratio: { lo: number; hi: number }, p: number, direction: Direction, alpha = 0.05): Verdict {
  if (!(p < alpha) || (ratio.lo <= 1 && ratio.hi >= 1)) return '~';
  const higher = ratio.lo > 1;
  if (direction === 'lower-is-better') return higher ? 'worse' : 'better';
  return higher ? 'better' : 'worse';
}

/** Holm's step-down correction: adjusted p-values in the input order. */
export function holm(pValues: readonly number[]): number[] {
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(pValues.length);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (pValues.length - k) * p));
    out[i] = running;
  });
  return out;
}
