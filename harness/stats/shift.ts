// The Hodges–Lehmann location shift of paired samples (Hodges & Lehmann
// 1963), the estimator that goes with the signed-rank test in rank-tests.ts:
// what a signed-rank difference amounts to, in the data's units.

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/** Paired samples: the median of the Walsh averages (dᵢ + dⱼ)/2, i ≤ j, of the differences d = b − a. */
export function hodgesLehmannPaired(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError('paired samples differ in length');
  const d = a.map((x, i) => b[i]! - x);
  const w = new Float64Array((d.length * (d.length + 1)) / 2);
  let k = 0;
  for (let i = 0; i < d.length; i++) for (let j = i; j < d.length; j++) w[k++] = (d[i]! + d[j]!) / 2;
  return median(w.sort());
}
