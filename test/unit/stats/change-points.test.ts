import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import { bestSplitOf, eDivisive } from '../../../harness/stats/change-points.ts';
import { normal } from '../../helpers/paired-runs.ts';

// Reference: a brute-force numpy implementation of Matteson & James (2014)'s
// Q̂(τ, κ), maximised over τ and κ, each Q̂ from the full distance sub-matrices
// (no prefix sums), in /tmp during development; values pasted here.
const W = [1.0034, 1.1457, 1.1303, 0.9502, 0.9706, 0.9486, 1.0586, 0.9944, 1.0775, 0.8313, 1.1696, 0.9904, 1.3915, 1.2824, 1.2516, 1.3616, 1.4117, 1.2739, 1.2803, 1.3923];

describe('E-divisive: reference values (numpy brute force)', () => {
  it('best split and Q̂ of a step series, several exponents and segments', () => {
    expect(bestSplitOf(W, 0, 20, 3)).toEqual({ index: 12, q: expect.closeTo(2.047763116883117, 12) });
    expect(bestSplitOf(W, 0, 20, 2, 1.5)).toEqual({ index: 12, q: expect.closeTo(1.3882468711184965, 12) });
    expect(bestSplitOf(W, 0, 12, 3)).toEqual({ index: 3, q: expect.closeTo(0.2457, 12) });
    expect(bestSplitOf(W, 12, 20, 3)).toEqual({ index: 17, q: expect.closeTo(-0.0514625, 12) });
    const z = [1.0, 1.2, 0.9, 1.1, 1.05, 0.95, 1.5, 1.6, 1.45, 1.55, 1.52, 1.48, 1.0, 0.98, 1.02];
    expect(bestSplitOf(z, 0, 15, 3)).toEqual({ index: 6, q: expect.closeTo(2.304, 12) });
    expect(bestSplitOf(z, 6, 15, 3)).toEqual({ index: 12, q: expect.closeTo(1.8826666666666667, 12) });
  });

  it('finds both changes of an up-and-back series, with the segment means around each', () => {
    const z = [1.0, 1.2, 0.9, 1.1, 1.05, 0.95, 1.5, 1.6, 1.45, 1.55, 1.52, 1.48, 1.0, 0.98, 1.02];
    const cps = eDivisive(z, { significance: 0.05, permutations: 199, minSize: 3, random: seededRandom(1) });
    expect(cps.map((c) => c.index)).toEqual([6, 12]);
    expect(cps[0]!.before).toBeCloseTo(1.0333333333, 9);
    expect(cps[0]!.after).toBeCloseTo(1.5166666667, 9);
    expect(cps[1]!.after).toBeCloseTo(1.0, 12);
    for (const c of cps) expect(c.p).toBeLessThanOrEqual(0.05);
  });

  it('is seeded: the same random stream gives the same p-values', () => {
    const a = eDivisive(W, { significance: 0.05, permutations: 99, minSize: 3, random: seededRandom(9) });
    const b = eDivisive(W, { significance: 0.05, permutations: 99, minSize: 3, random: seededRandom(9) });
    expect(a).toEqual(b);
  });

  it('refuses non-finite values and a minimum segment below 2', () => {
    expect(() => eDivisive([1, NaN, 2], { significance: 0.05, permutations: 9, minSize: 2, random: seededRandom(1) })).toThrow(/finite/);
    expect(() => eDivisive([1, 2, 3], { significance: 0.05, permutations: 9, minSize: 1, random: seededRandom(1) })).toThrow(/minSize/);
    expect(eDivisive([1, 2, 3], { significance: 0.05, permutations: 9, minSize: 2, random: seededRandom(1) })).toEqual([]);
  });
});

describe('E-divisive by simulation (seeded, 30-run series, 5 % run-to-run noise)', () => {
  // A campaign has 5 metrics × 2 targets = 10 series; each is tested at
  // 0.05/10 so that a flat campaign raises any alarm in ≤ 5 % of rebuilds.
  const opts = { significance: 0.005, permutations: 999, minSize: 3 };
  const series = (r: ReturnType<typeof seededRandom>, stepAt?: number) =>
    Array.from({ length: 30 }, (_, i) => 10 * Math.exp(0.05 * normal(r)) * (stepAt !== undefined && i >= stepAt ? 1.15 : 1));

  it('finds a planted 15 % step within ±2 runs in ≥ 90 % of 200 series', () => {
    const r = seededRandom(19_019);
    let found = 0;
    for (let rep = 0; rep < 200; rep++) {
      const at = 8 + Math.floor(r.next() * 15);
      const cps = eDivisive(series(r, at), { ...opts, random: r });
      if (cps.some((c) => Math.abs(c.index - at) <= 2)) found++;
    }
    console.log(`change points: planted 15 % step found in ${found}/200 series`);
    expect(found / 200).toBeGreaterThanOrEqual(0.9);
  });

  it('flags a flat noisy series in ≤ 5 % of 400 (the campaign-wide rate is measured in npm run bench -- stats)', () => {
    const r = seededRandom(19_020);
    let flagged = 0;
    for (let rep = 0; rep < 400; rep++) if (eDivisive(series(r), { ...opts, random: r }).length) flagged++;
    console.log(`change points: flat series flagged ${flagged}/400`);
    expect(flagged / 400).toBeLessThanOrEqual(0.05);
  });
});
