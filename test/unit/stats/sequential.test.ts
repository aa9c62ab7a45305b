import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import { blockStatistics, confidenceSequence, decide, kaplanMeierQuantile, lambertWm1, minBlockJobs, mixtureMargin, mixtureRho2, SequentialComparison, tMixtureHalfWidth } from '../../../harness/stats/sequential.ts';
import { simulateRun } from '../../helpers/paired-runs.ts';
import { runSequential } from '../../helpers/sequential-sim.ts';
import { planFromPilot } from '../../../harness/stats/power.ts';
import { simulatePaired } from '../../helpers/verdict-sim.ts';

describe('normal-mixture confidence sequence: reference values (scipy.special.lambertw, numpy)', () => {
  it('W₋₁ matches scipy.special.lambertw(x, -1) to 1e-12', () => {
    // scipy 1.17: lambertw(x, -1).real
    const ref: [number, number][] = [
      [-0.3, -1.7813370234216275],
      [-0.1, -3.577152063957297],
      [-0.01, -6.472775124394005],
      [-1e-5, -14.163600815810183],
      [-0.0025 / Math.E, -9.211968062068253],
    ];
    for (const [x, w] of ref) expect(lambertWm1(x)).toBeCloseTo(w, 12);
    expect(lambertWm1(-1 / Math.E)).toBe(-1);
    expect(lambertWm1(0.1)).toBeNaN();
  });

  it('ρ² and the unit-variance margin match the closed forms of Waudby-Smith et al. (2024)', () => {
    // u = −W₋₁(−α²/e); ρ² = (u − 1)/tOpt; margin = √(2(tρ²+1)/(t²ρ²)·log(√(tρ²+1)/α)), α = 0.05, tOpt = 100.
    const rho2 = mixtureRho2(100, 0.05);
    expect(rho2).toBeCloseTo(0.08211968062068253, 14);
    const ref: [number, number][] = [
      [1, 8.943802237932147],
      [10, 1.209007792451163],
      [100, 0.3035122413028551],
      [1000, 0.10265735977277446],
    ];
    for (const [t, m] of ref) expect(mixtureMargin(t, rho2, 0.05)).toBeCloseTo(m, 12);
  });

  it('the ρ² of tOpt minimises the margin at tOpt', () => {
    const best = mixtureMargin(40, mixtureRho2(40, 0.05), 0.05);
    for (const f of [0.5, 0.8, 1.25, 2]) expect(mixtureMargin(40, mixtureRho2(40, 0.05) * f, 0.05)).toBeGreaterThan(best);
  });

  it('t-mixture half-width matches the closed form solved in numpy (α = 0.05, tOpt = 15)', () => {
    const c2 = mixtureRho2(15, 0.05);
    expect(tMixtureHalfWidth(2, 1, c2, 0.05)).toBe(Infinity);
    const ref: [number, number, number][] = [
      [6, 5, 3.2617638881420037],
      [20, 19, 0.7579769858384409],
      [100, 99, 0.32613255967368077],
      [1000, 999, 0.11128796852602842],
    ];
    for (const [t, ss, h] of ref) expect(tMixtureHalfWidth(t, ss, c2, 0.05)).toBeCloseTo(h, 12);
  });

  it('at its bounds the mixture martingale M_t(μ) equals 1/α (the definition it is solved from)', () => {
    const x = [0.3, -0.1, 0.25, 0.8, 0.05, -0.4, 0.6, 0.2];
    const cs = confidenceSequence(x, { alpha: 0.05, tOpt: 4 });
    // numpy: mean 0.2125, sd(ddof=1) 0.37867…, bounds −0.3416299972672795, 0.7666299972672795
    expect(cs.mean).toBeCloseTo(0.2125, 14);
    expect(cs.sd).toBeCloseTo(0.3786724932482648, 13);
    expect(cs.lo).toBeCloseTo(-0.3416299972672795, 12);
    expect(cs.hi).toBeCloseTo(0.7666299972672795, 12);
    const c2 = mixtureRho2(4, 0.05);
    const m = (mu: number) => {
      const t = x.length;
      const sum = x.reduce((a, v) => a + v - mu, 0);
      const sq = x.reduce((a, v) => a + (v - mu) ** 2, 0);
      return (1 + c2 * t) ** -0.5 * (1 - (sum * sum) / ((t + 1 / c2) * sq)) ** (-t / 2);
    };
    expect(m(cs.lo)).toBeCloseTo(20, 9);
    expect(m(cs.hi)).toBeCloseTo(20, 9);
    expect(m(cs.mean)).toBeLessThan(20);
    expect(confidenceSequence([1], { alpha: 0.05, tOpt: 4 })).toMatchObject({ lo: -Infinity, hi: Infinity });
  });

  it('for many observations it approaches the known-variance normal-mixture margin times the sample sd', () => {
    const c2 = mixtureRho2(15, 0.05);
    const t = 100_000;
    expect(tMixtureHalfWidth(t, t - 1, c2, 0.05) / mixtureMargin(t, c2, 0.05)).toBeCloseTo(1, 3);
  });

  it('is wider than the fixed-n t interval at every t (the price of looking at any time)', () => {
    // scipy.stats.t.ppf(0.975, df) for df = 9, 19, 99: 2.2621571627409915, 2.093024054408263, 1.9842169515086827
    const c2 = mixtureRho2(25, 0.05);
    for (const [t, q] of [[10, 2.2621571627409915], [20, 2.093024054408263], [100, 1.9842169515086827]] as const) {
      expect(tMixtureHalfWidth(t, t - 1, c2, 0.05)).toBeGreaterThan(q / Math.sqrt(t));
    }
  });
});

describe('decisions', () => {
  const m = [Math.log(0.95), Math.log(1.05)] as const;
  it('excluding zero decides the sign; lying inside the margin decides "within margin"; else undecided', () => {
    expect(decide({ lo: 0.01, hi: 0.2 }, m)).toBe('higher');
    expect(decide({ lo: -0.2, hi: -0.001 }, m)).toBe('lower');
    expect(decide({ lo: -0.02, hi: 0.03 }, m)).toBe('within-margin');
    expect(decide({ lo: -0.02, hi: 0.2 }, m)).toBe('undecided');
  });

  it('a block statistic that is undefined is dropped for its metric only; no decision before minBlocks', () => {
    const seq = new SequentialComparison(
      [
        { name: 'cost', statistic: blockStatistics.logMeanRatio, margin: m },
        { name: 'success', statistic: blockStatistics.meanDifference, margin: [-0.01, 0.01] },
      ],
      { alpha: 0.05, blockJobs: 2, tOptBlocks: 5, minBlocks: 3 },
    );
    const z = new Float64Array([0, 0]);
    const one = new Float64Array([1, 1]);
    seq.addBlock([{ a: z, b: one }, { a: one, b: one }]);
    seq.addBlock([{ a: one, b: one }, { a: one, b: one }]);
    expect(seq.series(0)).toEqual([0]);
    expect(seq.series(1)).toEqual([0, 0]);
    expect(seq.state().metrics.every((x) => x.decision === 'undecided')).toBe(true);
  });

  it('success with no discordant pair yet is not a point: the plus-one floor keeps the sequence open', () => {
    const seq = (margin: number) =>
      new SequentialComparison([{ name: 'success', statistic: blockStatistics.meanDifference, margin: [-margin, margin], binary: true }], {
        alpha: 0.05,
        blockJobs: 100,
        tOptBlocks: 10,
        minBlocks: 2,
      });
    const ok = new Float64Array(100).fill(1);
    const wide = seq(0.01);
    const narrow = seq(0.001);
    for (let i = 0; i < 10; i++) for (const s of [wide, narrow]) s.addBlock([{ a: ok, b: ok }]);
    const w = wide.state().metrics[0]!;
    // floor: √((0 + 1)/(1000 + 2)/100) ≈ 0.00316 per block
    expect(w.bound.sd).toBeCloseTo(Math.sqrt(1 / 1002 / 100), 12);
    expect(w.bound.hi).toBeGreaterThan(0.001);
    // 1,000 jobs without a discordant pair do show the difference is within ±1 point, not within ±0.1.
    expect(w.decision).toBe('within-margin');
    expect(narrow.state().metrics[0]!.decision).toBe('undecided');
  });

  it('p90 block statistic: the report\'s estimand — log k under a scale change by k, failures censored at their failure time', () => {
    const a = Float64Array.from({ length: 100 }, (_, i) => 1 + i);
    const b = a.map((x) => 1.1 * x);
    expect(blockStatistics.logCensoredQuantileRatio(0.9)(a, b)).toBeCloseTo(Math.log(1.1), 12);
    // Kaplan–Meier median with censorings at 2 and 5 (R: summary(survfit(Surv(1:10, c(1,0,1,1,0,1,1,1,1,1)) ~ 1))$table['median'] = 7).
    expect(kaplanMeierQuantile(Float64Array.from({ length: 10 }, (_, i) => i + 1), Uint8Array.from([1, 0, 1, 1, 0, 1, 1, 1, 1, 1]), 0.5)).toBe(7);
    // The candidate fails its slowest 20 % (censored at 81…100 s): its curve stops at 0.8, so its p90 is beyond
    // every time seen — bounded by the largest, 100 s, against the baseline's 90 s; never the survivors' p90.
    const all = new Uint8Array(100).fill(1);
    const failed = Uint8Array.from(a, (_, i) => (i >= 80 ? 0 : 1));
    expect(blockStatistics.logCensoredQuantileRatio(0.9)(a, a, { a: all, b: failed })).toBeCloseTo(Math.log(100 / 90), 12);
    // Failures early in the run only leave the risk set: the quantile of the rest is unchanged.
    const early = Uint8Array.from(a, (_, i) => (i < 5 ? 0 : 1));
    expect(blockStatistics.logCensoredQuantileRatio(0.5)(a, a, { a: all, b: early })).toBeCloseTo(Math.log(kaplanMeierQuantile(a, early, 0.5) / 50), 12);
    expect(kaplanMeierQuantile(a, early, 0.5)).toBe(53);
    expect(minBlockJobs(0.9)).toBe(100);
    expect(minBlockJobs(0.99)).toBe(1000);
  });
});

describe('sequential stopping by simulation (seeded)', () => {
  // Runs of 6,000 jobs with AR(1) congestion (φ = 0.95) per target, blocks of 100 jobs
  // (p90 needs ≥ 10/(1 − 0.9)), a look every 300 jobs: 20 looks, no burn-in
  // beyond the sequence's own. Three primary metrics, Bonferroni.
  const opts = { alpha: 0.05, blockJobs: 100, tOptBlocks: 15, minBlocks: 2 };

  it('A/A: some primary comparison ever excludes zero in ≤ 5 % of 400 runs while looking 20 times each', () => {
    const r = seededRandom(19_001);
    let falsePositives = 0;
    let minLooks = Infinity;
    for (let rep = 0; rep < 400; rep++) {
      const run = simulateRun(6_000, r);
      // Never stop early here: every look is a chance for a false positive.
      const out = runSequential(run, ['p90', 'cost', 'success'], opts, 300, { keepLooking: true });
      if (out.everExcludedZero) falsePositives++;
      minLooks = Math.min(minLooks, out.looks);
    }
    expect(minLooks).toBeGreaterThanOrEqual(20);
    expect(falsePositives / 400).toBeLessThanOrEqual(0.05);
    console.log(`sequential A/A: ${falsePositives}/400 runs excluded zero at some look`);
  });

  it('A/A with the blocks of 50 jobs a scenario without p90 gets (cost and success): ≤ 5 % of 400 runs, 20 looks each', () => {
    const r = seededRandom(19_003);
    let falsePositives = 0;
    for (let rep = 0; rep < 400; rep++) {
      const out = runSequential(simulateRun(6_000, r), ['cost', 'success'], { alpha: 0.05, blockJobs: 50, tOptBlocks: 30, minBlocks: 2 }, 300, { keepLooking: true });
      expect(out.looks).toBe(20);
      if (out.everExcludedZero) falsePositives++;
    }
    console.log(`sequential A/A, blocks of 50: ${falsePositives}/400 runs excluded zero at some look`);
    expect(falsePositives / 400).toBeLessThanOrEqual(0.05);
  });
});

describe('sequential stopping saves jobs when the effect is larger than planned (seeded simulation)', () => {
  // The run is sized by plan (harness/stats/power.ts) from a 2,000-job pilot for the planned effect at 95 % / 80 %;
  // the true effect is twice that; the one primary comparison is looked at 20 times (every n/20 jobs), the
  // mixture tightest at a quarter of the planned blocks. Measured mean share of the planned jobs at the stop:
  // cost 0.381 (blocks of 5; 0.393 before plans used the flat-top-corrected s.e.), success 0.465 with blocks of 50 jobs (0.523 with blocks of 100: not ≤ 0.5).
  // p90 latency: see its own test below.
  const cases = [
    { metric: 'cost' as const, effect: { cost: 1.15 * 1.15 }, plan: { cost: { ratio: 1.15 } }, blockJobs: 5, seed: 19_201 },
    { metric: 'success' as const, effect: { failPoints: 0.02 }, plan: { success: { points: 0.01 } }, blockJobs: 50, seed: 19_202 },
  ];
  for (const c of cases) {
    it(`${c.metric}: stops at ≤ 50 % of the planned jobs on average over 200 runs`, () => {
      const r = seededRandom(c.seed);
      const planned = planFromPilot(simulatePaired(2_000, r), c.plan, { confidence: 0.95, power: 0.8, resamples: 1_000, margin: 0.05, random: r }).jobs!;
      const blocks = Math.floor(planned / c.blockJobs);
      const opts = { alpha: 0.05, blockJobs: c.blockJobs, tOptBlocks: Math.max(2, Math.round(blocks / 4)), minBlocks: 2 };
      let share = 0;
      let looks = Infinity;
      for (let rep = 0; rep < 200; rep++) {
        const out = runSequential(simulateRun(planned, r, c.effect), [c.metric === 'cost' ? 'cost' : 'success'], opts, Math.ceil(planned / 20));
        share += out.stoppedAt / planned;
        looks = Math.min(looks, out.looks);
      }
      console.log(`sequential ${c.metric}: planned ${planned} jobs, mean stop at ${(share / 200).toFixed(3)} of them`);
      expect(share / 200).toBeLessThanOrEqual(0.5);
    });
  }
});

describe('sequential stopping for p90 latency when the effect is twice the planned one (seeded simulation)', () => {
  // Issue 19's target: a stop at ≤ 0.50 of the planned jobs on average. Twice the planned effect on the log scale
  // (1.1² against a planned 1.1), averaged over 10 pilots of 2,000 jobs × 20 runs each, because the planned n
  // varies across pilots and the share with it. Blocks of 100 jobs (the fewest a p90 allows), the mixture tightest
  // at a quarter of the planned blocks. Measured: 0.285 (per pilot 0.20–0.66), with the block statistic the
  // report's censored Kaplan–Meier p90 and plans sized with the report's flat-top-corrected s.e.; before both,
  // 0.586 (failures counted at a one-day cap, plans sized on a bootstrap s.e. 0.88 of the true one).
  it('p90 (+21 % against a planned +10 %): mean stop at ≤ 0.50 of the planned jobs over 10 pilots × 20 runs', () => {
    const r = seededRandom(19_203);
    const shares: number[] = [];
    for (let p = 0; p < 10; p++) {
      const planned = planFromPilot(simulatePaired(2_000, r), { latency: { q: 0.9, ratio: 1.1 } }, { confidence: 0.95, power: 0.8, resamples: 1_000, margin: 0.05, random: r }).jobs!;
      const opts = { alpha: 0.05, blockJobs: 100, tOptBlocks: Math.max(2, Math.round(Math.floor(planned / 100) / 4)), minBlocks: 2 };
      let share = 0;
      for (let rep = 0; rep < 20; rep++) {
        const out = runSequential(simulateRun(planned, r, { latency: 1.1 * 1.1 }), ['p90'], opts, Math.ceil(planned / 20));
        share += out.stoppedAt / planned;
      }
      shares.push(share / 20);
    }
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    console.log(`sequential p90: mean stop at ${mean.toFixed(3)} of the planned jobs (per pilot ${shares.map((x) => x.toFixed(2)).join(', ')})`);
    expect(mean).toBeLessThanOrEqual(0.5);
  });
});
