import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../../../../reports/queries.ts';
import { buildTargets } from '../../../../reports/sections/targets.ts';

const row = (target: string, kind: string, over: Partial<TargetRow> = {}): TargetRow => ({
  target, kind, jobs: 200, completed: 180, failed: 20, p50: 10, p90: 20, p99: 30, queue_p50: 1, exec_p50: 9, cost_usd: 40, cost_native: 160, currency: 'GLM',
  useful_gpu_s: 7200, billed_gpu_s: 14_400, losses: 6, job_hours: 3, running_hours: 1.5, span_s: 7200, late_p50_us: 500, late_p99_us: 2500, late_max_us: 9000,
  attempts_mean: 1.1, retried: 12, ...over,
});

describe('targets section (the head)', () => {
  it('derives rates, costs per unit and lateness in ms from the aggregate rows', () => {
    const { targets } = buildTargets({ rows: [row('net', 'decentralized')], withheld: [{ target: 'net', n: 5 }] }, 0.95);
    const t = targets[0]!;
    expect(t).toMatchObject({ name: 'net', jobs: 200, completed: 180, successRate: 0.9, throughputJobsPerHour: 90, gpuHoursPerHour: 1, withheld: 5 });
    expect(t.costUsd).toEqual({ total: 40, perJob: 0.2, perUsefulGpuHour: 20, perWallGpuHour: 10 });
    expect(t.costNative).toEqual({ total: 160, currency: 'GLM' });
    expect(t.lossesPerJobHour).toBe(2);
    // Half of the job-hours were queueing: per running provider-hour the rate doubles.
    expect(t.lossesPerRunningHour).toBe(4);
    expect(t.lateness).toEqual({ p50Ms: 0.5, p99Ms: 2.5, maxMs: 9 });
    expect(t.successRateCI[0]).toBeLessThan(0.9);
    expect(t.successRateCI[1]).toBeGreaterThan(0.9);
  });

  it('takes the baseline-kind target as the baseline and another as the candidate', () => {
    const both = buildTargets({ rows: [row('a-net', 'decentralized'), row('z-base', 'baseline')], withheld: [] }, 0.95);
    expect([both.baseline, both.candidate]).toEqual(['z-base', 'a-net']);
    const one = buildTargets({ rows: [row('only', 'decentralized', { jobs: 0, completed: 0, useful_gpu_s: 0, billed_gpu_s: 0, job_hours: 0, running_hours: 0 })], withheld: [] }, 0.95);
    expect([one.baseline, one.candidate]).toEqual(['only', null]);
    expect(one.targets[0]).toMatchObject({ successRate: 0, costUsd: { perJob: 0, perUsefulGpuHour: 0, perWallGpuHour: 0 }, lossesPerJobHour: 0, lossesPerRunningHour: 0 });
  });
});
