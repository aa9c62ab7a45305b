// Change points in a series of runs: E-divisive means (Matteson & James 2014,
// "A nonparametric approach for multiple change point analysis of
// multivariate data", JASA 109:334), the method behind MongoDB's performance
// CI and Apache Otava (Hunter). Pure and seeded.
//
// For a split of Z_s..Z_{κ−1} at τ into X = Z_s..Z_{τ−1} and Y = Z_τ..Z_{κ−1},
//   Ê = 2/(nm)·Σ|Xᵢ − Yⱼ|^a − C(n,2)⁻¹·Σ_{i<k}|Xᵢ − X_k|^a − C(m,2)⁻¹·Σ_{j<k}|Yⱼ − Y_k|^a,
//   Q̂ = nm/(n + m)·Ê,
// an energy distance between the two sides (any difference in distribution,
// not only in mean, for 0 < a < 2). The best split of each current segment
// maximises Q̂ over τ and the segment's end κ; the segment whose best Q̂ is
// largest is split if a permutation test says so: the observations are
// shuffled within each current segment, the largest Q̂ recomputed, and
// p = (1 + #{Q̂_perm ≥ Q̂}) / (1 + R), exact under exchangeability within
// segments. Splitting continues while p ≤ the significance level. The
// permutations stop as soon as the test cannot reject any more (Besag &
// Clifford 1991's sequential Monte Carlo p-value, p = h/l after h
// exceedances in l permutations): the same decisions, far fewer permutations
// for the splits that are not there.
import type { Random } from '../common/random.ts';

export interface ChangePointOptions {
  /** Level of each permutation test. */
  significance: number;
  /** Permutations per test (R); p is at best 1/(R + 1), so R + 1 should be a multiple of 1/significance. */
  permutations: number;
  /** Fewest observations on either side of a change point. */
  minSize: number;
  /** Exponent a of the distances, in (0, 2); 1 is the usual choice. */
  exponent?: number;
  random: Random;
}

export interface ChangePoint {
  /** Index of the first observation after the change. */
  index: number;
  /** Permutation p-value of the split when it was accepted. */
  p: number;
  /** The split's Q̂. */
  q: number;
  /** Means of the segments just before and just after the change (between neighbouring change points). */
  before: number;
  after: number;
}

/** Best split of z[s..e) as [τ, Q̂]; τ = −1 when the segment is too short. Uses 2-D prefix sums of the distance matrix. */
function bestSplit(pre: Float64Array, stride: number, s: number, e: number, minSize: number): [number, number] {
  // rect(a, b, c, d) = Σ_{a≤i<b, c≤j<d} D[i][j]
  const rect = (a: number, b: number, c: number, d: number) => pre[b * stride + d]! - pre[a * stride + d]! - pre[b * stride + c]! + pre[a * stride + c]!;
  let best = -Infinity;
  let at = -1;
  for (let tau = s + minSize; tau + minSize <= e; tau++) {
    const n = tau - s;
    const withinX = rect(s, tau, s, tau) / 2 / ((n * (n - 1)) / 2);
    for (let kappa = tau + minSize; kappa <= e; kappa++) {
      const m = kappa - tau;
      const between = rect(s, tau, tau, kappa) / (n * m);
      const withinY = rect(tau, kappa, tau, kappa) / 2 / ((m * (m - 1)) / 2);
      const q = ((n * m) / (n + m)) * (2 * between - withinX - withinY);
      if (q > best) {
        best = q;
        at = tau;
      }
    }
  }
  return [at, best];
}

/** 2-D prefix sums of |z[order[i]] − z[order[j]]|^a, (n+1)×(n+1). */
function prefixSums(z: ArrayLike<number>, order: Int32Array, exponent: number, out: Float64Array): void {
  const n = order.length;
  const stride = n + 1;
  out.fill(0, 0, stride);
  for (let i = 0; i < n; i++) {
    out[(i + 1) * stride] = 0;
    let row = 0;
    const zi = z[order[i]!]!;
    for (let j = 0; j < n; j++) {
      const d = Math.abs(zi - z[order[j]!]!);
      row += exponent === 1 ? d : Math.pow(d, exponent);
      out[(i + 1) * stride + j + 1] = out[i * stride + j + 1]! + row;
    }
  }
}

function mean(z: ArrayLike<number>, s: number, e: number): number {
  let sum = 0;
  for (let i = s; i < e; i++) sum += z[i]!;
  return sum / (e - s);
}

/** The strongest split over the segments between `cuts` (sorted, including 0 and n): [τ, Q̂]. */
function strongest(pre: Float64Array, stride: number, cuts: readonly number[], minSize: number): [number, number] {
  let best: [number, number] = [-1, -Infinity];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const cand = bestSplit(pre, stride, cuts[k]!, cuts[k + 1]!, minSize);
    if (cand[0] >= 0 && cand[1] > best[1]) best = cand;
  }
  return best;
}

/** The best single split of z[s..e) and its Q̂ (τ = −1 when no split leaves minSize on both sides). */
export function bestSplitOf(z: readonly number[], s: number, e: number, minSize: number, exponent = 1): { index: number; q: number } {
  const pre = new Float64Array((z.length + 1) ** 2);
  prefixSums(z, Int32Array.from({ length: z.length }, (_, i) => i), exponent, pre);
  const [index, q] = bestSplit(pre, z.length + 1, s, e, minSize);
  return { index, q };
}

/** Change points of `z` (finite values in run order), earliest first. */
export function eDivisive(z: readonly number[], opts: ChangePointOptions): ChangePoint[] {
  const n = z.length;
  const exponent = opts.exponent ?? 1;
  if (!(exponent > 0 && exponent < 2)) throw new RangeError(`exponent must be in (0, 2), got ${exponent}`);
  if (opts.minSize < 2) throw new RangeError(`minSize must be ≥ 2, got ${opts.minSize}`);
  if (z.some((v) => !Number.isFinite(v))) throw new RangeError('change points need finite values');
  const stride = n + 1;
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const pre = new Float64Array(stride * stride);
  prefixSums(z, identity, exponent, pre);
  const permPre = new Float64Array(stride * stride);
  const order = new Int32Array(n);
  const cuts = [0, n];
  const found: { index: number; p: number; q: number }[] = [];
  for (;;) {
    const [tau, q] = strongest(pre, stride, cuts, opts.minSize);
    if (tau < 0) break;
    let atLeast = 0;
    let done = 0;
    // More exceedances than this and p > significance whatever the remaining permutations give.
    const allowed = Math.floor(opts.significance * (1 + opts.permutations)) - 1;
    for (let r = 0; r < opts.permutations && atLeast <= allowed; r++, done++) {
      // Shuffle within each current segment (Fisher–Yates), then the same search on the shuffled series.
      order.set(identity);
      for (let k = 0; k + 1 < cuts.length; k++) {
        for (let i = cuts[k + 1]! - 1; i > cuts[k]!; i--) {
          const j = cuts[k]! + Math.floor(opts.random.next() * (i - cuts[k]! + 1));
          const t = order[i]!;
          order[i] = order[j]!;
          order[j] = t;
        }
      }
      prefixSums(z, order, exponent, permPre);
      if (strongest(permPre, stride, cuts, opts.minSize)[1] >= q) atLeast++;
    }
    const p = atLeast > allowed ? atLeast / done : (1 + atLeast) / (1 + opts.permutations);
    if (p > opts.significance) break;
    found.push({ index: tau, p, q });
    cuts.push(tau);
    cuts.sort((a, b) => a - b);
  }
  return found
    .sort((a, b) => a.index - b.index)
    .map((c) => {
      const k = cuts.indexOf(c.index);
      return { ...c, before: mean(z, cuts[k - 1]!, c.index), after: mean(z, c.index, cuts[k + 1]!) };
    });
}
