// The regularized incomplete beta function I_x(a, b), the weights of the
// Harrell–Davis quantile (quantile.ts). Pure.

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 1e-15 relative). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Lentz's continued fraction for I_x(a, b) (Numerical Recipes' betacf), valid for x < (a + 1)/(a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b), the Beta(a, b) distribution function at x. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * I_x(a, b) on [lo, hi] by cubic Hermite interpolation between `cells` + 1
 * exact values and densities: the bootstrap evaluates Harrell–Davis weights
 * hundreds of thousands of times per comparison at the same (a, b), and the
 * continued fraction was 60 % of a comparison's time. Needs a, b ≥ 2 (the
 * density is then smooth up to the ends). The error falls as cells⁻⁴: with
 * 4,096 cells over a Harrell–Davis window it is below 1e-11 for b ≈ 2 and
 * about 1e-13 elsewhere (test/unit/stats/verdict-stats.test.ts).
 */
export function betaCdfTable(a: number, b: number, lo: number, hi: number, cells: number): (x: number) => number {
  if (!(a >= 2 && b >= 2) || !(hi > lo)) throw new RangeError(`betaCdfTable needs a, b ≥ 2 and lo < hi (a ${a}, b ${b})`);
  const h = (hi - lo) / cells;
  const lnB = logGamma(a) + logGamma(b) - logGamma(a + b);
  const value = new Float64Array(cells + 1);
  const slope = new Float64Array(cells + 1);
  for (let k = 0; k <= cells; k++) {
    const x = lo + k * h;
    value[k] = incompleteBeta(x, a, b);
    slope[k] = x > 0 && x < 1 ? h * Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lnB) : 0;
  }
  return (x: number) => {
    if (x <= lo) return incompleteBeta(x, a, b);
    if (x >= hi) return incompleteBeta(x, a, b);
    const t = (x - lo) / h;
    const k = Math.min(cells - 1, Math.floor(t));
    const u = t - k;
    const u2 = u * u;
    const u3 = u2 * u;
    return (2 * u3 - 3 * u2 + 1) * value[k]! + (u3 - 2 * u2 + u) * slope[k]! + (-2 * u3 + 3 * u2) * value[k + 1]! + (u3 - u2) * slope[k + 1]!;
  };
}
