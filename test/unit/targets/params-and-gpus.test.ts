// Every number of a model is a parameter that reaches the report's
// Assumptions; prices follow the GPU class on the network; multi-GPU jobs are
// refused by the baseline and matched to machines with enough GPUs on the network.
import { describe, expect, it } from 'vitest';
import type { JobOut } from '../../../harness/proto/types.ts';
import { toProtoJob } from '../../../harness/replay/to-proto.ts';
import { baselineModel } from '../../../harness/targets/baseline/server.ts';
import type { TimedEvent } from '../../../harness/targets/common/sim-server.ts';
import { decentralizedModel } from '../../../harness/targets/decentralized/server.ts';
import { WorkloadSchema } from '../../../harness/targets/common/workloads.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const jobs: JobOut[] = [...generateTrace({ jobs: 600, seed: 21, spanSeconds: 12 * 3600 })].map((j) => toProtoJob(j) as JobOut);
const outcome = (tl: TimedEvent[]) => tl.find((e) => e.event.type === 'COMPLETED' || e.event.type === 'FAILED')!;

describe('numbers that were hard-coded are parameters with a basis', () => {
  const named = {
    baseline: ['reason_node_offline_w', 'reason_reallocated_w', 'reason_disk_w', 'reason_priority_w', 'throttled_share', 'throttled_speed_min', 'bandwidth_up_mbps', 'lifetime_factor_batch', 'lifetime_factor_low', 'lifetime_factor_medium', 'preempt_min_run_min', 'preempted_share_low_batch', 'cold_start_allocating_share', 'price_rtx3090_batch'],
    decentralized: ['reason_shutdown_w', 'reason_node_offline_w', 'reason_provider_ended_w', 'throttled_share', 'bandwidth_up_mbps', 'price_glm_h_rtx3060', 'price_glm_h_rtx5090', 'share_2gpu', 'max_negotiations', 'termination_notice_max_s'],
  } as const;
  it('lists them in Describe (and so in the Assumptions) with [S] or [A]', () => {
    for (const [kind, names] of Object.entries(named)) {
      const m = kind === 'baseline' ? baselineModel(1) : decentralizedModel(1);
      for (const n of names) expect(m.parameters[n], `${kind}.${n}`).toMatch(/\[(S|A)\]/);
    }
  });

  it('moves the model when overridden: upload bandwidth sets how long outputs take to come back', () => {
    const heavy = jobs.filter((j) => Number(j.outputBytes) > 50e6 && j.gpuCount === 1).slice(0, 10);
    expect(heavy.length).toBeGreaterThan(3);
    const exec = (up: number) => {
      const m = baselineModel(2, { bandwidth_up_mbps: up });
      return heavy.map((j) => { const tl = m.plan(j); const s = tl.find((e) => e.event.type === 'STARTED'); const o = outcome(tl); return s ? o.offsetUs - s.offsetUs : 0; }).reduce((a, b) => a + b, 0);
    };
    // Ten outputs of 50 MB+ at a 5 Mbps median take minutes longer than at 500 Mbps.
    expect(exec(5) - exec(500)).toBeGreaterThan(300e6);
  });

  it('moves the model when overridden: interruption causes follow their weights', () => {
    const m = baselineModel(3, { priority_level: 3, lifetime_scale_h: 2, reason_node_offline_w: 0, reason_reallocated_w: 0, reason_disk_w: 1, reason_priority_w: 0 });
    const reasons = new Set(jobs.flatMap((j) => m.plan(j)).filter((e) => e.event.type === 'PROVIDER_LOST').map((e) => e.event.reason));
    expect([...reasons]).toEqual(['Requested Disk Space Exceeded']);
  });
});

describe('prices per GPU class on the network', () => {
  it('offers each class at its own median and agreements follow it', () => {
    // Each job rents a machine of its own class (a pool would rent its workload's class).
    const m = decentralizedModel(4, { providers: 200, relay_outage_per_day: 0 }, {}, [], [WorkloadSchema.parse({ name: 'all', network: { mode: 'per-job' } })]);
    const offers = Object.fromEntries(m.gpuClasses().map((c) => [c.gpuClass, c.pricePerGpuHour]));
    expect(offers.rtx5090).toBeGreaterThan(offers.rtx4090!);
    expect(offers.rtx3060).toBeLessThan(offers.rtx3090!);
    const perHour = (cls: string) => {
      const prices = jobs.filter((j) => j.gpuClass === cls && j.gpuCount === 1).flatMap((j) => m.plan(j)).filter((e) => e.event.type === 'PROVIDER_ASSIGNED').map((e) => e.event.pricePerHour as number).sort((a, b) => a - b);
      return prices[Math.floor(prices.length / 2)]!;
    };
    expect(perHour('rtx5090')).toBeGreaterThan(perHour('rtx3090') * 1.5);
  });
});

describe('multi-GPU jobs', () => {
  const two = jobs.filter((j) => j.gpuCount >= 2);
  it('are refused by the baseline with a clear error class', () => {
    expect(two.length).toBeGreaterThan(3);
    const m = baselineModel(1);
    for (const j of two) {
      const o = outcome(m.plan(j));
      expect(o.event).toMatchObject({ type: 'FAILED', errorClass: 'multi_gpu_unsupported', amount: 0 });
      expect(o.event.detail).toMatch(/one GPU/);
    }
  });

  it('run on the network only on machines that offer that many GPUs', () => {
    const m = decentralizedModel(5, { providers: 400, share_2gpu: 0.2, share_4gpu: 0.1, relay_outage_per_day: 0 });
    let assigned = 0;
    for (const j of two) {
      for (const e of m.plan(j)) {
        if (e.event.type !== 'PROVIDER_ASSIGNED') continue;
        assigned++;
        expect(m.providerInfo(e.event.providerId!)!.gpus).toBeGreaterThanOrEqual(j.gpuCount);
      }
    }
    expect(assigned).toBeGreaterThan(3);
    // With no multi-GPU machine on the network they find no offer.
    const none = decentralizedModel(5, { providers: 100, share_2gpu: 0, share_4gpu: 0, relay_outage_per_day: 0 });
    for (const j of two.slice(0, 3)) expect(outcome(none.plan(j)).event).toMatchObject({ type: 'FAILED', errorClass: 'no_offers' });
  });
});
