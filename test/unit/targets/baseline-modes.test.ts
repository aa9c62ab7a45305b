// Baseline priority levels and the container gateway's request limit.
import { describe, expect, it } from 'vitest';
import type { JobOut } from '../../../harness/proto/types.ts';
import { toProtoJob } from '../../../harness/replay/to-proto.ts';
import { baselineModel } from '../../../harness/targets/baseline/server.ts';
import type { TimedEvent } from '../../../harness/targets/common/sim-server.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const jobs: JobOut[] = [...generateTrace({ jobs: 800, seed: 12, spanSeconds: 24 * 3600 })].map((j) => toProtoJob(j) as JobOut);
const outcome = (tl: TimedEvent[]) => tl.find((e) => e.event.type === 'COMPLETED' || e.event.type === 'FAILED')!;

describe('baseline priority', () => {
  it('prices batch at the published discount and preempts it more often', () => {
    // Short lifetimes, so a day of jobs sees enough interruptions to compare.
    const high = baselineModel(1, { priority_level: 3, lifetime_scale_h: 6 });
    const batch = baselineModel(1, { priority_level: 0, lifetime_scale_h: 6 });
    const price = (m: ReturnType<typeof baselineModel>) => m.gpuClasses().find((c) => c.gpuClass === 'rtx4090')!;
    expect(price(high)).toMatchObject({ pricePerGpuHour: 0.3, priority: 'high' });
    expect(price(batch).pricePerGpuHour).toBeCloseTo(0.16, 12);
    expect(price(batch).priority).toBe('batch');
    const losses = (m: ReturnType<typeof baselineModel>) => jobs.flatMap((j) => m.plan(j)).filter((e) => e.event.type === 'PROVIDER_LOST');
    const lb = losses(batch);
    expect(lb.length).toBeGreaterThan(losses(high).length);
    expect(lb.filter((e) => e.event.reason === 'Priority').length).toBeGreaterThan(lb.length / 3);
  });
});

describe('container gateway', () => {
  it('fails requests that cannot answer within 100 s, without retrying, and bills only until then', () => {
    const m = baselineModel(3, { gateway_mode: 1 });
    let timedOut = 0;
    for (const j of jobs) {
      const tl = m.plan(j);
      const o = outcome(tl);
      if (o.event.errorClass === 'gateway_timeout') {
        timedOut++;
        expect(o.offsetUs).toBe(100e6);
        expect(tl.some((e) => e.event.type === 'RETRYING' && e.offsetUs >= 100e6)).toBe(false);
        // The request's own billed time (idle capacity charged to it is the group's, not the request's).
        const own = tl.filter((e) => e.event.type === 'BILLED' && e.event.reason !== 'idle').reduce((sum, e) => sum + (e.event.billedGpuSeconds as number), 0);
        expect(own).toBeLessThanOrEqual(100 * Math.max(1, j.gpuCount) + 1e-6);
      } else if (o.event.type === 'COMPLETED') {
        expect(o.offsetUs).toBeLessThanOrEqual(100e6);
      }
    }
    expect(timedOut).toBeGreaterThan(50);
    // Job queues have no such limit.
    const queue = baselineModel(3, {});
    expect(jobs.map((j) => outcome(queue.plan(j))).filter((o) => o.event.errorClass === 'gateway_timeout')).toHaveLength(0);
  });
});

describe('instance lifecycle on the provider stream', () => {
  it('reports stopping with the replacement start-up phases, which add up to the gap before it runs', () => {
    const m = baselineModel(4, {});
    for (const j of jobs.slice(0, 50)) m.plan(j);
    const t0 = jobs[0]!.submittedAtUs;
    const changes = m.providerChanges(t0, t0 + 72 * 3600e6);
    const off = changes.find((c) => !c.event.online && /replacement/.test(c.event.reason!))!;
    expect(off.event.reason).toMatch(/^stopping: .+; replacement allocating [\d.]+ min, downloading [\d.]+ min, creating [\d.]+ min$/);
    const [, a, d, c] = /allocating ([\d.]+) min, downloading ([\d.]+) min, creating ([\d.]+) min/.exec(off.event.reason!)!.map(Number);
    // The same instance slot's next node comes online after exactly that start-up.
    const slot = off.event.providerId!.replace(/-\d+$/, '');
    const next = changes.find((x) => x.event.online && x.atTraceUs > off.atTraceUs && x.event.providerId!.startsWith(`${slot}-`))!;
    expect(next.event.reason).toBe('running');
    expect((next.atTraceUs - off.atTraceUs) / 60e6).toBeCloseTo(a! + d! + c!, 0);
  });
});
