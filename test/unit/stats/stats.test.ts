import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import { meanOf, pairedBootstrapRatio, quantileOf } from '../../../harness/stats/bootstrap.ts';
import { holm, verdictOf } from '../../../harness/stats/compare.ts';
import { wilson } from '../../../harness/stats/intervals.ts';
import { signedRankTest } from '../../../harness/stats/rank-tests.ts';

describe('Wilson interval', () => {
  it('matches Newcombe (1998), Stat. Med. 17:857, Table II, method 3', () => {
    // 81/263: 0.2553–0.3662; 15/148: 0.0624–0.1605. The paper rounds with z = 1.96; we use the exact quantile, hence 3 decimals.
    const [a, b] = wilson(81, 263);
    expect(a).toBeCloseTo(0.2553, 3);
    expect(b).toBeCloseTo(0.3662, 3);
    const [c, d] = wilson(15, 148);
    expect(c).toBeCloseTo(0.0624, 3);
    expect(d).toBeCloseTo(0.1605, 3);
  });

  it('covers the true proportion in 93–97 % of 1,000 seeded repetitions', () => {
    const r = seededRandom(2024);
    let covered = 0;
    for (let rep = 0; rep < 1000; rep++) {
      let k = 0;
      for (let i = 0; i < 200; i++) if (r.next() < 0.3) k++;
      const [lo, hi] = wilson(k, 200);
      if (lo <= 0.3 && 0.3 <= hi) covered++;
    }
    expect(covered / 1000).toBeGreaterThanOrEqual(0.93);
    expect(covered / 1000).toBeLessThanOrEqual(0.97);
  });
});

describe('rank tests', () => {
  // Hollander & Wolfe (1973), p. 29 — the depression-scale example of R's ?wilcox.test.
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

  it('signed-rank: V = 40 as in R (W+ of y − x is 45 − 40 = 5), normal-approximation p = 0.0440', () => {
    const t = signedRankTest(x, y);
    expect(t.n).toBe(9);
    expect(t.wPlus).toBe(5);
    expect(signedRankTest(y, x).wPlus).toBe(40);
    // R: wilcox.test(x, y, paired = TRUE, exact = FALSE) → p-value = 0.04401
    expect(t.p).toBeCloseTo(0.04401, 4);
  });

  it('the signed-rank test declares paired samples of one distribution different in 3–7 % of 1,000 seeded repetitions (A/A)', () => {
    const r = seededRandom(7);
    let paired = 0;
    const draw = () => Math.exp(r.next() * 2 + r.next());
    for (let rep = 0; rep < 1000; rep++) {
      const s1 = Array.from({ length: 40 }, draw);
      const s2 = Array.from({ length: 40 }, draw);
      if (signedRankTest(s1, s2).p < 0.05) paired++;
    }
    expect(paired / 1000).toBeGreaterThanOrEqual(0.03);
    expect(paired / 1000).toBeLessThanOrEqual(0.07);
  });
});

describe('comparison', () => {
  it('Holm adjusts step-down and keeps input order', () => {
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02]);
  });

  it('finds a real 30 % slowdown, and says "~" for none', () => {
    const r = seededRandom(3);
    const base = Array.from({ length: 400 }, () => 10 * Math.exp(r.next()));
    const slower = base.map((v) => v * 1.3 * (0.9 + 0.2 * r.next()));
    const same = base.map((v) => v * (0.9 + 0.2 * r.next()));
    const opts = { resamples: 500, confidence: 0.95 };
    const s = pairedBootstrapRatio(base, slower, quantileOf(0.5), { ...opts, random: seededRandom(1) });
    expect(s.estimate).toBeGreaterThan(1.2);
    expect(verdictOf(s, s.p, 'lower-is-better')).toBe('worse');
    const n = pairedBootstrapRatio(base, same, meanOf, { ...opts, random: seededRandom(1) });
    expect(n.lo).toBeLessThan(1);
    expect(n.hi).toBeGreaterThan(1);
    expect(verdictOf(n, n.p, 'lower-is-better')).toBe('~');
    expect(verdictOf({ lo: 1.1, hi: 1.2 }, 0.001, 'higher-is-better')).toBe('better');
  });
});

describe('quantileOf', () => {
  it('gives exactly the sorted-array quantile (R type 7) on random samples with ties', () => {
    const byQuantile = (p: number, v: Float64Array) => {
      const s = Float64Array.from(v).sort();
      const h = (s.length - 1) * p;
      const lo = Math.floor(h);
      return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
    };
    const r = seededRandom(11);
    for (let t = 0; t < 500; t++) {
      const v = Float64Array.from({ length: 1 + Math.floor(r.next() * 200) }, () => (r.next() < 0.3 ? Math.floor(r.next() * 4) : r.next() * 50));
      for (const p of [0, 0.01, 0.25, 0.5, 0.9, 0.99, 1]) expect(quantileOf(p)(v)).toBe(byQuantile(p, v));
    }
    expect(quantileOf(0.5)(new Float64Array())).toBeNaN();
  });
});
