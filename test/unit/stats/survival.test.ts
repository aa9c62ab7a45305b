import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import { hodgesLehmannPaired } from '../../../harness/stats/shift.ts';
import { kaplanMeier } from '../../../harness/stats/survival.ts';

describe('Kaplan–Meier', () => {
  // Freireich et al. (1963) 6-MP arm, remission weeks, + = censored — the textbook example
  // (Kleinbaum & Klein, Survival Analysis, ch. 2; R: survfit(Surv(time, status) ~ 1)).
  const data = '6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+'.split(' ');
  const times = data.map((d) => Number.parseFloat(d));
  const observed = data.map((d) => !d.endsWith('+'));

  it('reproduces the published estimates and Greenwood standard errors', () => {
    const km = kaplanMeier(times, observed);
    expect(km.n).toBe(21);
    expect(km.events).toBe(9);
    const expected: [number, number, number, number][] = [
      // t, n at risk, S(t), std.err — as printed by R's summary(survfit(...))
      [6, 21, 0.857, 0.0764],
      [7, 17, 0.807, 0.0869],
      [10, 15, 0.753, 0.0963],
      [13, 12, 0.69, 0.1068],
      [16, 11, 0.627, 0.1141],
      [22, 7, 0.538, 0.1282],
      [23, 6, 0.448, 0.1346],
    ];
    expect(km.steps.map((s) => s.t)).toEqual(expected.map((e) => e[0]));
    km.steps.forEach((s, i) => {
      expect(s.atRisk).toBe(expected[i]![1]);
      expect(s.s).toBeCloseTo(expected[i]![2], 3);
      expect(s.se).toBeCloseTo(expected[i]![3], 4);
      expect(s.lo).toBeLessThan(s.s);
      expect(s.hi).toBeGreaterThan(s.s);
    });
    expect(km.median).toBe(23);
  });

  it('without censoring is the empirical survival function', () => {
    const km = kaplanMeier([3, 1, 2, 2], [true, true, true, true]);
    expect(km.steps.map((s) => [s.t, s.s])).toEqual([
      [1, 0.75],
      [2, 0.25],
      [3, 0],
    ]);
  });

  it('covers the true survival of an exponential in 93–97 % of 1,000 seeded repetitions', () => {
    const rnd = seededRandom(7);
    const t0 = 1; // S(1) = exp(−0.5) for rate 0.5
    let covered = 0;
    for (let rep = 0; rep < 1000; rep++) {
      const times: number[] = [];
      const obs: boolean[] = [];
      for (let i = 0; i < 200; i++) {
        const t = -Math.log(1 - rnd.next()) / 0.5;
        const c = -Math.log(1 - rnd.next()) / 0.2; // independent censoring
        times.push(Math.min(t, c));
        obs.push(t <= c);
      }
      const km = kaplanMeier(times, obs);
      let step = { lo: 1, hi: 1 };
      for (const s of km.steps) if (s.t <= t0) step = s;
      if (step.lo <= Math.exp(-0.5) && Math.exp(-0.5) <= step.hi) covered++;
    }
    expect(covered / 1000).toBeGreaterThanOrEqual(0.93);
    expect(covered / 1000).toBeLessThanOrEqual(0.97);
  });
});

describe('Hodges–Lehmann', () => {
  it('is the median of the Walsh averages of the paired differences (Hodges & Lehmann 1963, by definition)', () => {
    // d = 1, 3, 8; Walsh averages 1 2 4.5 3 5.5 8 → median (3 + 4.5) / 2
    expect(hodgesLehmannPaired([0, 0, 0], [1, 3, 8])).toBe(3.75);
  });

  it('moves with a shift of the data and ignores an outlier', () => {
    const rnd = seededRandom(3);
    const a = Array.from({ length: 60 }, () => rnd.next() * 10);
    const b = a.map((x) => x + 2.5 + (rnd.next() - 0.5) * 0.1);
    expect(hodgesLehmannPaired(a, b)).toBeCloseTo(2.5, 1);
    b[0] = 1e9;
    expect(hodgesLehmannPaired(a, b)).toBeCloseTo(2.5, 1);
  });
});
