import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import type { JobOut } from '../../../harness/proto/types.ts';
import { baselineModel } from '../../../harness/targets/baseline/server.ts';
import { gamma, lognormal, weibull } from '../../../harness/targets/common/distributions.ts';
import type { SimModel, TimedEvent } from '../../../harness/targets/common/sim-server.ts';
import { decentralizedModel } from '../../../harness/targets/decentralized/server.ts';
import { toProtoJob } from '../../../harness/replay/to-proto.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const jobs: JobOut[] = [...generateTrace({ jobs: 1500, seed: 5 })].map((j) => toProtoJob(j) as JobOut);
const planAll = (m: SimModel) => jobs.map((j) => m.plan(j));

function check(timelines: TimedEvent[][]) {
  for (const tl of timelines) {
    const types = tl.map((e) => e.event.type);
    const outcomes = types.filter((t) => t === 'COMPLETED' || t === 'FAILED');
    // Exactly one outcome: never both completed and failed.
    expect(outcomes).toHaveLength(1);
    for (let i = 1; i < tl.length; i++) expect(tl[i]!.offsetUs).toBeGreaterThanOrEqual(tl[i - 1]!.offsetUs);
    // Every provider loss is followed by a retry or the failure.
    types.forEach((t, i) => {
      if (t === 'PROVIDER_LOST') expect(['RETRYING', 'FAILED']).toContain(types.slice(i + 1).find((x) => x === 'RETRYING' || x === 'FAILED'));
    });
    // What is billed at the outcome is what is settled.
    const outcome = tl.find((e) => e.event.type === 'COMPLETED' || e.event.type === 'FAILED')!;
    const settled = tl.filter((e) => e.event.type === 'SETTLED').reduce((s, e) => s + (e.event.amount as number), 0);
    expect(settled).toBeCloseTo(outcome.event.amount as number, 9);
    expect(outcome.event.amount as number).toBeGreaterThanOrEqual(0);
    // Where the money went (useful, idle, lost) adds up to what the job is charged.
    const parts = tl.filter((e) => e.event.type === 'BILLED').reduce((s, e) => s + (e.event.amount as number), 0);
    expect(parts).toBeCloseTo(outcome.event.amount as number, 9);
  }
}

describe('distributions', () => {
  it('draw lognormal medians and Weibull means as parameterized', () => {
    const r = seededRandom(1);
    const ln = Array.from({ length: 20000 }, () => lognormal(r, 7, 1.2)).sort((a, b) => a - b);
    expect(ln[10000]!).toBeGreaterThan(6.6);
    expect(ln[10000]!).toBeLessThan(7.4);
    const wb = Array.from({ length: 40000 }, () => weibull(r, 0.6, 90));
    const mean = wb.reduce((a, b) => a + b, 0) / wb.length;
    expect(mean / (90 * gamma(1 + 1 / 0.6))).toBeGreaterThan(0.95);
    expect(mean / (90 * gamma(1 + 1 / 0.6))).toBeLessThan(1.05);
    expect(gamma(5)).toBeCloseTo(24, 9);
  });
});

for (const [name, make] of [
  ['baseline', (seed: number) => baselineModel(seed)],
  ['decentralized', (seed: number) => decentralizedModel(seed)],
] as const) {
  describe(`${name} model`, () => {
    it('gives the same events for the same seed and trace, and different ones for another seed', () => {
      const a = planAll(make(11));
      expect(planAll(make(11))).toEqual(a);
      expect(planAll(make(12))).not.toEqual(a);
    });

    it('keeps its invariants: one outcome, ordered events, losses followed by retry or failure, billed = settled', () => {
      check(planAll(make(11)));
      check(planAll(make(11 + 1)));
    });

    it('fails jobs under heavy churn with stable error classes, and still bills only what was used', () => {
      const m = name === 'baseline' ? baselineModel(3, { lifetime_scale_h: 0.3 }) : decentralizedModel(3, { churn_multiplier: 60 });
      const tls = planAll(m);
      check(tls);
      const failed = tls.map((tl) => tl.find((e) => e.event.type === 'FAILED')).filter(Boolean);
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) expect(['attempts_exhausted', 'provider_lost', 'activity_create_failed', 'no_capacity', 'no_offers', 'negotiation_failed', 'multi_gpu_unsupported']).toContain(f!.event.errorClass);
      expect(tls.some((tl) => tl.some((e) => e.event.type === 'PROVIDER_LOST'))).toBe(true);
    });

    it('lists every parameter with its basis for the report', () => {
      const m = make(1);
      expect(Object.keys(m.parameters).length).toBeGreaterThan(10);
      for (const v of Object.values(m.parameters)) expect(v).toMatch(/\[(S|A)\]|fault injection/);
    });
  });
}

describe('parameter overrides', () => {
  it('rejects an unknown parameter by name', () => {
    expect(() => baselineModel(1, { lifetime_scael_h: 5 })).toThrow(/unknown parameter "lifetime_scael_h"/);
    expect(() => decentralizedModel(1, { providers: 'many' })).toThrow(/"providers" must be a non-negative number/);
  });
});
