// Replicates combined by a random-effects model: DerSimonian–Laird τ² against
// R metafor's published figures for the BCG vaccine trials, the HKSJ interval
// against a hand computation (checked with scipy), and the combined verdicts.
import { describe, expect, it } from 'vitest';
import type { PairedLine } from '../../../harness/stats/paired-compare.ts';
import { combineReplicates, randomEffects, withinVariance } from '../../../harness/stats/replicates.ts';

// dat.bcg (Colditz et al. 1994), as metafor ships it: tpos, tneg, cpos, cneg per trial.
const BCG = [
  [4, 119, 11, 128], [6, 300, 29, 274], [3, 228, 11, 209], [62, 13536, 248, 12619], [33, 5036, 47, 5761], [180, 1361, 372, 1079], [8, 2537, 10, 619],
  [505, 87886, 499, 87892], [29, 7470, 45, 7232], [17, 1699, 65, 1600], [186, 50448, 141, 27197], [5, 2493, 3, 2338], [27, 16886, 29, 17825],
] as const;
// escalc(measure = "RR"): log risk ratio and its large-sample variance.
const yi = BCG.map(([a, b, c, d]) => Math.log(a / (a + b) / (c / (c + d))));
const vi = BCG.map(([a, b, c, d]) => 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d));

const line = (metric: string, over: Partial<PairedLine>): PairedLine => ({
  metric, unit: 's', estimand: 'e', method: 'm', scale: 'ratio', direction: 'lower-is-better', baseline: 1, candidate: 1,
  estimate: 1, interval: [0.9, 1.1], pValue: 0.5, pHolm: 0.5, verdict: '~', n: 300, blockLength: 4, replicates: { used: 500, dropped: 0 }, ...over,
});

describe('random-effects combination of replicates', () => {
  it('matches metafor rma(yi, vi, method = "DL") on dat.bcg: μ −0.7141, τ² 0.3088, z-interval [−1.0644, −0.3638], z −3.9952', () => {
    expect(yi[0]).toBeCloseTo(-0.8893, 4);
    expect(vi[0]).toBeCloseTo(0.3256, 4);
    const m = randomEffects(yi, vi, 0.95);
    expect(m.mean).toBeCloseTo(-0.7141, 4);
    expect(m.tau2).toBeCloseTo(0.3088, 4);
    expect(m.q).toBeCloseTo(152.233, 3);
    // DL's own (z) standard error: 1 / Σ 1/(v_i + τ²); the HKSJ one replaces it.
    const seDl = Math.sqrt(1 / vi.reduce((s, v) => s + 1 / (v + m.tau2), 0));
    expect(m.mean - 1.959964 * seDl).toBeCloseTo(-1.0644, 4);
    expect(m.mean + 1.959964 * seDl).toBeCloseTo(-0.3638, 4);
    expect(m.mean / seDl).toBeCloseTo(-3.9952, 3);
    expect(m.df).toBe(12);
    expect(m.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('gives the HKSJ interval of a hand-computed k = 3 example (scipy t(2) quantile 4.302653)', () => {
    // y = (0.1, 0.3, −0.05), v = (0.01, 0.02, 0.015): fixed mean 0.1, Q 3.5, c 138.4615, τ² = (3.5 − 2)/c = 0.0108333,
    // w = 1/(v + τ²), μ 0.1057078, q* = Σw(y − μ)²/2 = 1.0821918, se = √(q*/Σw) = 0.0953058.
    const m = randomEffects([0.1, 0.3, -0.05], [0.01, 0.02, 0.015], 0.95);
    expect(m.tau2).toBeCloseTo(0.0108333333, 9);
    expect(m.mean).toBeCloseTo(0.1057077626, 9);
    expect(m.se).toBeCloseTo(0.0953058310, 8);
    expect(m.interval[0]).toBeCloseTo(-0.3043601312, 6);
    expect(m.interval[1]).toBeCloseTo(0.5157756563, 6);
    expect(m.p).toBeCloseTo(0.3828753777, 6);
  });

  it('truncated HKSJ never falls below the random-effects variance 1/Σw; untruncated can, when replicates agree closely', () => {
    const close = randomEffects([0.1, 0.1001, 0.0999], [0.01, 0.01, 0.01], 0.95);
    const floored = randomEffects([0.1, 0.1001, 0.0999], [0.01, 0.01, 0.01], 0.95, { truncate: true });
    expect(close.tau2).toBe(0);
    expect(close.se).toBeLessThan(0.001);
    expect(floored.se).toBeCloseTo(Math.sqrt(0.01 / 3), 12);
  });

  it('reads a replicate\'s within-run variance from its interval on the log scale', () => {
    const v = withinVariance({ scale: 'ratio', interval: [Math.exp(-0.196), Math.exp(0.196)] }, 0.95);
    expect(Math.sqrt(v)).toBeCloseTo(0.196 / 1.959964, 6);
    expect(withinVariance({ scale: 'difference', interval: [-0.02, 0.02] }, 0.95)).toBeCloseTo((0.02 / 1.959964) ** 2, 10);
    expect(withinVariance({ scale: 'ratio', interval: [NaN, 1.2] }, 0.95)).toBeNaN();
  });

  it('combines per metric with Holm and the margin: replicates that each call "worse" but disagree read "~", over-confident runs are counted, a metric without two intervals is insufficient', () => {
    // Three runs whose p50 ratios are 1.10, 1.30, 0.95, each with a tight interval (within-run sd ≈ 0.025 on the log scale).
    const tight = (r: number) => line('p50 latency', { estimate: r, interval: [r * Math.exp(-0.05), r * Math.exp(0.05)], pValue: 0.001, verdict: r > 1 ? 'worse' : 'better' });
    const agree = (r: number) => line('cost per job', { estimate: r, interval: [r * 0.97, r * 1.03], pValue: 0.001, verdict: 'better' });
    const runs = [
      [tight(1.1), agree(0.8), line('p99 latency', { verdict: 'insufficient data', interval: [NaN, NaN], estimate: NaN })],
      [tight(1.3), agree(0.81), line('p99 latency', { verdict: 'insufficient data', interval: [NaN, NaN], estimate: NaN })],
      [tight(0.95), agree(0.79), line('p99 latency', { estimate: 1.1, interval: [1.0, 1.2] })],
    ];
    const out = combineReplicates(runs, 0.95, 0.05);
    const p50 = out.find((c) => c.line.metric === 'p50 latency')!;
    expect(p50.line.verdict).toBe('~');
    expect(p50.tau! > 0.1).toBe(true);
    expect(p50.overConfident).toBe(3);
    expect(p50.replicates.map((r) => r.verdict)).toEqual(['worse', 'worse', 'better']);
    const cost = out.find((c) => c.line.metric === 'cost per job')!;
    expect(cost.line.estimate).toBeCloseTo(0.8, 2);
    expect(cost.line.verdict).toBe('better');
    expect(cost.line.pHolm).toBeGreaterThanOrEqual(cost.line.pValue);
    const p99 = out.find((c) => c.line.metric === 'p99 latency')!;
    expect(p99.line.verdict).toBe('insufficient data');
    expect(p99.replicates.map((r) => r.used)).toEqual([false, false, true]);
  });
});

describe('replicates that agree exactly', () => {
  it('a success difference equal in every replicate is not called from a zero-width interval (its variance floored at 1/Σw)', () => {
    const success = (over: Partial<PairedLine>) => line('success rate', { scale: 'difference', direction: 'higher-is-better', estimate: -1 / 300, interval: [-0.012, 0.005], ...over });
    const [c] = combineReplicates([[success({})], [success({})]], 0.95, 0.05);
    expect(c!.model!.se).toBeGreaterThan(0);
    expect(c!.line.verdict).toBe('~');
  });
});
