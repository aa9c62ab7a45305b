// Fault injection on the simulator models, in simulated time: outage windows,
// relay outages, churn and a slow network move the outcomes the way they say.
import { describe, expect, it } from 'vitest';
import type { JobOut } from '../../../harness/proto/types.ts';
import { toProtoJob } from '../../../harness/replay/to-proto.ts';
import { baselineModel } from '../../../harness/targets/baseline/server.ts';
import type { TimedEvent } from '../../../harness/targets/common/sim-server.ts';
import { decentralizedModel } from '../../../harness/targets/decentralized/server.ts';
import { WorkloadSchema } from '../../../harness/targets/common/workloads.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const jobs: JobOut[] = [...generateTrace({ jobs: 1200, seed: 8, spanSeconds: 12 * 3600 })].map((j) => toProtoJob(j) as JobOut);
const t0 = jobs[0]!.submittedAtUs;
const first = (tl: TimedEvent[], type: string) => tl.find((e) => e.event.type === type);

describe('fault injection', () => {
  it('an outage window holds every offer and every start until it ends; agreements it outlasts end as RequestorUnreachable', () => {
    const outage = { afterSeconds: 4 * 3600, durationSeconds: 2 * 3600 };
    const m = decentralizedModel(3, { relay_outage_per_day: 0 }, { outages: [outage] });
    const start = t0 + outage.afterSeconds * 1e6;
    const end = start + outage.durationSeconds * 1e6;
    let cut = 0;
    let held = 0;
    for (const j of jobs) {
      const tl = m.plan(j);
      for (const e of tl) {
        const at = j.submittedAtUs + e.offsetUs;
        // Nothing reaches the market inside the window.
        if (e.event.type === 'OFFER_RECEIVED' || e.event.type === 'STARTED') expect(at < start || at >= end).toBe(true);
        if (e.event.type === 'PROVIDER_LOST' && e.event.reason === 'RequestorUnreachable') cut++;
      }
      // Multi-GPU jobs may find no machine with that many GPUs at all; the window is about the rest.
      if (j.submittedAtUs >= start && j.submittedAtUs < end && j.gpuCount === 1) {
        held++;
        // A job fed to a pooled rental has no offers of its own; one that never ran has its outcome.
        const reached = first(tl, 'OFFER_RECEIVED') ?? first(tl, 'STARTED') ?? first(tl, 'FAILED');
        expect(j.submittedAtUs + reached!.offsetUs).toBeGreaterThanOrEqual(end);
      }
    }
    expect(held).toBeGreaterThan(20);
    expect(cut).toBeGreaterThan(0);
  });

  it('draws seeded relay outages, the same for the same seed', () => {
    const losses = (seed: number) => {
      // Every job on a rental of its own, so long jobs are running when outages begin.
      const m = decentralizedModel(seed, { relay_outage_per_day: 6, relay_outage_mean_min: 30 }, {}, [], [WorkloadSchema.parse({ name: 'all', network: { mode: 'per-job' } })]);
      // Seeded outages stall the market; those longer than the provider waits for its requestor end agreements.
      return jobs.flatMap((j) => m.plan(j)).filter((e) => e.event.type === 'PROVIDER_LOST' && e.event.reason === 'RequestorUnreachable').length;
    };
    expect(losses(4)).toBeGreaterThan(0);
    expect(losses(4)).toBe(losses(4));
  });

  it('more churn means more provider losses on both backends', () => {
    const lossCount = (tls: TimedEvent[][]) => tls.flat().filter((e) => e.event.type === 'PROVIDER_LOST').length;
    const plans = (m: { plan(j: JobOut): TimedEvent[] }) => jobs.map((j) => m.plan(j));
    const net = (f: number) => lossCount(plans(decentralizedModel(2, { relay_outage_per_day: 0 }, { churnMultiplier: f })));
    expect(net(20)).toBeGreaterThan(net(1) * 2);
    const base = (f: number) => lossCount(plans(baselineModel(2, {}, { churnMultiplier: f })));
    expect(base(20)).toBeGreaterThan(base(1) * 2);
  });

  it('a slow network makes image pulls take longer', () => {
    const pullS = (f: number) => {
      const m = decentralizedModel(6, { relay_outage_per_day: 0, cache_first_p: 0, cache_repeat_p: 0 }, { slowNetwork: f });
      const d: number[] = [];
      for (const j of jobs) {
        const tl = m.plan(j);
        const a = first(tl, 'PROVIDER_ASSIGNED');
        const p = first(tl, 'IMAGE_PULLED');
        if (a && p && p.event.attempt === a.event.attempt) d.push((p.offsetUs - a.offsetUs) / 1e6);
      }
      return d.sort((x, y) => x - y)[Math.floor(d.length / 2)]!;
    };
    expect(pullS(4)).toBeGreaterThan(pullS(1) * 2);
  });

  it('a scenario names its faults, and only on simulated targets', () => {
    const base = { name: 'f', trace: { file: 't.jsonl' }, targets: [{ name: 'decentralized', sim: 'decentralized', faults: { churnMultiplier: 3, outages: [{ afterSeconds: 60, durationSeconds: 600 }] } }] };
    expect(ScenarioSchema.parse(base).targets[0]!.faults).toEqual({ churnMultiplier: 3, outages: [{ afterSeconds: 60, durationSeconds: 600 }] });
    const bad = ScenarioSchema.safeParse({ ...base, targets: [{ name: 'real', address: 'h:1', faults: { slowNetwork: 2 } }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toContain('targets.0.faults');
    expect(() => baselineModel(1, {}, { outages: [{ afterSeconds: 0, durationSeconds: 1 }] })).toThrow(/decentralized-network fault/);
  });
});

describe('price shock', () => {
  it('moves the GLM/USD rate by its factor from its time on, and announces it', () => {
    const m = decentralizedModel(5, { glm_usd_volatility_h: 0, relay_outage_per_day: 0 }, { priceShocks: [{ afterSeconds: 3 * 3600 + 60, factor: 0.6 }] });
    m.plan(jobs[0]!);
    expect(m.rateAt(t0 + 3600e6)).toBeCloseTo(0.25, 12);
    expect(m.rateAt(t0 + 4 * 3600e6)).toBeCloseTo(0.15, 12);
    const ticks = m.priceChanges(t0, t0 + 5 * 3600e6);
    expect(ticks.some((x) => x.atTraceUs === t0 + (3 * 3600 + 60) * 1e6 && Math.abs(Number(x.tick.usdRate) - 0.15) < 1e-12)).toBe(true);
  });
});

describe('GLM/USD series as input', () => {
  it('replaces the random walk with the given steps and announces each', () => {
    const m = decentralizedModel(5, { glm_usd_volatility_h: 0.05, relay_outage_per_day: 0 }, {}, [
      { afterSeconds: 0, usdRate: 0.3 },
      { afterSeconds: 5400, usdRate: 0.2 },
    ]);
    m.plan(jobs[0]!);
    expect(m.rateAt(t0 + 3600e6)).toBe(0.3);
    expect(m.rateAt(t0 + 5400e6)).toBe(0.2);
    expect(m.rateAt(t0 + 48 * 3600e6)).toBe(0.2);
    expect(m.priceChanges(t0, t0 + 2 * 3600e6).some((x) => x.atTraceUs === t0 + 5400e6)).toBe(true);
    expect(m.parameters.glm_usd_series).toMatch(/2 points given as input/);
  });
});
