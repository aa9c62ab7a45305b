// Reference values for the verdict path's pure functions (issue 14), each from
// scipy 1.17 / arch 8.0 as noted; the Python that produced them is quoted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hash32, mixedHash32, seededRandom } from '../../../harness/common/random.ts';
import { betaCdfTable, incompleteBeta } from '../../../harness/stats/beta.ts';
import { circularBlockCounts, optimalBlockLength } from '../../../harness/stats/block-bootstrap.ts';
import { zFor } from '../../../harness/stats/intervals.ts';
import { normalCdf, normalQuantile } from '../../../harness/stats/normal.ts';
import { tCdf, tQuantile } from '../../../harness/stats/student-t.ts';
import { discordanceDesignEffect, pairedDifference } from '../../../harness/stats/paired-score.ts';
import { CensoredQuantiles, censoredQuantiles, harrellDavis } from '../../../harness/stats/quantile.ts';

describe('normal distribution', () => {
  it('Φ⁻¹ matches scipy.special.ndtri to 1e-14 relative (AS 241)', () => {
    const ref: [number, number][] = [
      [1e-10, -6.361340902404056], [0.001, -3.090232306167813], [0.025, -1.9599639845400545], [0.3, -0.5244005127080409],
      [0.5, 0], [0.975, 1.959963984540054], [0.999999, 4.753424308817087],
    ];
    for (const [p, z] of ref) expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(z)));
    expect(zFor(0.95)).toBeCloseTo(1.959963984540054, 13);
  });

  it('Φ matches scipy.special.ndtr, tails included', () => {
    const ref: [number, number][] = [[-8.5, 9.47953482220325e-18], [-3, 0.0013498980316300933], [-1.959963984540054, 0.025], [0, 0.5], [0.5, 0.6914624612740131], [2.5, 0.9937903346742238]];
    // Hart's continued fraction beyond 7.07: relative 1e-8 there (absolute 1e-25).
    for (const [x, p] of ref) expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(Math.abs(x) > 7 ? 1e-8 : 1e-12);
  });
});

describe("Student's t", () => {
  it('matches scipy.stats.t', () => {
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.7764451051977934, 10);
    expect(tQuantile(0.975, 2.5)).toBeCloseTo(3.5746548420036817, 10);
    expect(tCdf(1.3, 7)).toBeCloseTo(0.8826160823038114, 12);
    expect(tCdf(-2.2, 30.5)).toBeCloseTo(0.017758146096651276, 12);
  });
});

describe('incomplete beta and Harrell–Davis', () => {
  it('I_x(a, b) matches scipy.special.betainc', () => {
    const ref: [number, number, number, number][] = [[0.3, 2, 5, 0.5798250000000003], [0.5, 150.5, 150.5, 0.5], [0.9, 270.9, 30.1, 0.4795477841950945], [0.995, 1981, 20.01, 0.9966544853207363], [0.01, 0.5, 0.5, 0.06376856085851985]];
    for (const [x, a, b, v] of ref) expect(incompleteBeta(x, a, b)).toBeCloseTo(v, 12);
  });

  it('its interpolated table (the bootstrap resamples\' weights) stays within 1e-10 of it, and refuses a density unbounded at an end', () => {
    // Harrell–Davis windows: p50 at n = 300, p99 at n = 199 (b ≈ 2, the steepest the table takes), p90 at n = 2,000.
    for (const [a, b, lo, hi] of [[150.5, 150.5, 0.3, 0.7], [198, 2, 0.9, 0.99999], [1800.9, 200.1, 0.85, 0.95]] as const) {
      const table = betaCdfTable(a, b, lo, hi, 4_096);
      let worst = 0;
      for (let i = 0; i <= 5_000; i++) {
        const x = lo + ((hi - lo) * (i + 0.37)) / 5_001;
        worst = Math.max(worst, Math.abs(table(x) - incompleteBeta(x, a, b)));
      }
      expect(worst).toBeLessThan(1e-10);
      expect(table(lo / 2)).toBe(incompleteBeta(lo / 2, a, b));
    }
    expect(() => betaCdfTable(50.5, 0.5, 0.5, 0.999, 4_096)).toThrow(RangeError);
  });

  it('matches scipy.stats.mstats.hdquantiles without censoring', () => {
    const x = [3.1, 0.4, 7.7, 2.2, 5.0, 1.3, 9.9, 4.4, 6.1, 0.8, 2.9, 3.3];
    const ref = [3.4470181552359054, 8.475930731763672, 9.827807561180247];
    harrellDavis(x, [0.5, 0.9, 0.99]).forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 10));
  });

  it('censors failures instead of dropping them, and refuses a quantile the curve never reaches', () => {
    // 80 jobs done at 1..80 s, 20 failed at 81 s. Survivors only would give the
    // median of the 80 fast jobs (40.5); censoring keeps the failures in the risk set (about 50.5).
    const times = Array.from({ length: 100 }, (_, i) => Math.min(i + 1, 81));
    const observed = times.map((_, i) => i < 80);
    const [p50, p90] = censoredQuantiles(times, observed, [0.5, 0.9]);
    expect(harrellDavis(times.slice(0, 80), [0.5])[0]).toBeCloseTo(40.5, 6);
    // With every failure after every success the censored median is the Harrell–Davis median of all 100 jobs.
    expect(p50).toBeCloseTo(harrellDavis(times, [0.5])[0]!, 6);
    expect(p50).toBeCloseTo(50.5, 6);
    // A fifth of the jobs never finished: the 90th percentile of time to success is not known.
    expect(p90).toBeNaN();
    // A failure early on leaves the risk set: later steps grow (Kaplan–Meier), unlike a success at that time.
    const early = censoredQuantiles([0.5, ...times.slice(0, 80)], [false, ...observed.slice(0, 80)], [0.5])[0]!;
    expect(early).toBeGreaterThan(harrellDavis([0.5, ...times.slice(0, 80)], [0.5])[0]! + 0.3);
  });

  it('gives a quantile whose Harrell–Davis weight lies on the curve up to its 99th percentile, and no other', () => {
    // 300 jobs, the slowest timed out at 400 s. The p90 weights are Beta(270.9, 30.1): sd 0.0173 around 0.9.
    const run = (timedOut: number) => {
      const times = Array.from({ length: 300 }, (_, i) => (i < 300 - timedOut ? i + 1 : 400));
      return censoredQuantiles(times, times.map((t) => t < 400), [0.9])[0]!;
    };
    // 18 timed out: the curve stops at 282/300 = 0.94, 0.43 % of the weight beyond it (undefined while the rule was 0.1 %).
    const p90 = run(18);
    expect(p90).toBeGreaterThan(265);
    expect(p90).toBeLessThan(275);
    // 20 timed out: it stops at 0.933, 1.7 % of the weight beyond it.
    expect(run(20)).toBeNaN();
  });

  it('weights by bootstrap counts as if the drawn jobs were repeated', () => {
    const x = [5, 1, 4, 2, 3];
    const counts = Int32Array.from([2, 0, 1, 3, 1]);
    const repeated = [5, 5, 4, 2, 2, 2, 3];
    const direct = harrellDavis(repeated, [0.5, 0.9]);
    const weighted = censoredQuantilesWeighted(x, counts, [0.5, 0.9]);
    weighted.forEach((v, i) => expect(v).toBeCloseTo(direct[i]!, 12));
  });
});

function censoredQuantilesWeighted(x: number[], counts: Int32Array, qs: number[]): number[] {
  return [...new CensoredQuantiles(Float64Array.from(x), new Uint8Array(x.length).fill(1), qs).evaluate(counts)];
}

describe('block bootstrap', () => {
  const series = JSON.parse(readFileSync(new URL('../../fixtures/block-length-series.json', import.meta.url), 'utf8')) as { ar08: number[]; iid: number[] };

  it('picks the circular block length arch.bootstrap.optimal_block_length does (Politis–White, Patton et al. correction)', () => {
    expect(optimalBlockLength(series.ar08).circular).toBeCloseTo(23.597009, 4);
    expect(optimalBlockLength(series.iid).circular).toBeCloseTo(2.706959, 4);
  });

  it('draws exactly n positions in whole circular blocks', () => {
    const counts = circularBlockCounts(103, 10, seededRandom(3));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(103);
    const c1 = circularBlockCounts(50, 1, seededRandom(4));
    expect(c1.reduce((a, b) => a + b, 0)).toBe(50);
  });
});

describe('paired success: McNemar and Tango', () => {
  // Reference: Tango's interval solved with the restricted MLE found numerically
  // (scipy.optimize.minimize_scalar over the multinomial likelihood, brentq for ±z), not the closed form used here.
  it.each([
    [5, 12, 100, -0.1574156061138428, 0.011863210725189076],
    [0, 0, 10, -0.27753281323932316, 0.2775327998649007],
    [3, 0, 40, -0.019193221550706772, 0.1986423352437609],
    [20, 9, 500, 0.000950267312068224, 0.04516765474765935],
  ])('candidate-only %i, baseline-only %i of %i', (b, c, n, lo, hi) => {
    const d = pairedDifference({ candidateOnly: b, baselineOnly: c, n }, 0.95);
    expect(d.lo).toBeCloseTo(lo, 5);
    expect(d.hi).toBeCloseTo(hi, 5);
    expect(d.estimate).toBe((b - c) / n);
  });

  it('is McNemar at zero and never a point at 100 % on both sides', () => {
    const d = pairedDifference({ candidateOnly: 20, baselineOnly: 9, n: 500 }, 0.95);
    // scipy: 2 * norm.sf(11 / sqrt(29))
    expect(d.p).toBeCloseTo(0.041, 3);
    const all = pairedDifference({ candidateOnly: 0, baselineOnly: 0, n: 10 }, 0.95);
    expect(all.p).toBe(1);
    expect(all.hi - all.lo).toBeGreaterThan(0.5);
    const wider = pairedDifference({ candidateOnly: 20, baselineOnly: 9, n: 500 }, 0.95, 4);
    expect(wider.hi - wider.lo).toBeGreaterThan(1.9 * (d.hi - d.lo));
    // An estimated design effect takes a t: scipy 2 * t.sf(11 / sqrt(29) / 2, 10).
    const estimated = pairedDifference({ candidateOnly: 20, baselineOnly: 9, n: 500 }, 0.95, 4, 10);
    expect(estimated.p).toBeCloseTo(0.33117309746421086, 10);
    expect(estimated.hi - estimated.lo).toBeGreaterThan(wider.hi - wider.lo);
  });

  it('measures clustered discordances by overlapping batch means of n/8 jobs (numpy reference)', () => {
    // numpy: circular sums S_j of L = 3 consecutive values; lr = mean((S − L·mean)²)/L · n/(n − L); v0 = share of
    // non-zero; design effect lr/v0, df 1.5 (n/L − 1) (lr/(lr − v0))².
    const disc = [0, 1, 1, 1, 0, 0, -1, 0, 0, 0, 1, 1, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0, 0, 1];
    const d = discordanceDesignEffect(disc);
    expect(d.designEffect).toBeCloseTo(1.8465608465608467, 12);
    expect(d.df).toBeCloseTo(49.95744140624997, 9);
    // Discordances spread out (alternating) vary less than McNemar assumes: its own variance stands.
    expect(discordanceDesignEffect(Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : -1)))).toEqual({ designEffect: 1, df: Infinity });
    expect(discordanceDesignEffect(new Array(40).fill(0))).toEqual({ designEffect: 1, df: Infinity });
  });
});

describe('hash for sampling', () => {
  it('spreads ids that differ only in their last character over every residue', () => {
    for (const k of [2, 4]) {
      const seen = new Map<number, number>();
      for (let i = 0; i < 400; i++) {
        const r = mixedHash32(`job-${String(i).padStart(6, '0')}`) % k;
        seen.set(r, (seen.get(r) ?? 0) + 1);
      }
      for (let r = 0; r < k; r++) expect(seen.get(r) ?? 0).toBeGreaterThan(400 / k - 60);
    }
    // FNV-1a alone keeps a fixed pattern in its low bits for such ids (why the mix is there).
    const fnv = Array.from({ length: 8 }, (_, i) => hash32(`job-00000${i}`) % 2);
    expect(new Set(fnv.slice(0, 2)).size === 2 && fnv.every((v, i) => v === fnv[i % 2])).toBe(true);
  });
});
