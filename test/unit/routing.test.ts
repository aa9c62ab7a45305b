import { describe, expect, it } from 'vitest';
import { routeJob, summarizePolicies, type PairedOutcome } from '../../reports/routing.ts';

const job = (net: [boolean, number, number], base: [boolean, number, number]): PairedOutcome => ({
  net: { ok: net[0], latencyS: net[1], costUsd: net[2] },
  base: { ok: base[0], latencyS: base[1], costUsd: base[2] },
});

describe('routing policies on mirrored outcomes', () => {
  it('failover keeps a network result within the timeout and otherwise pays the wait and both costs', () => {
    const p = { policy: 'failover' as const, timeoutSeconds: 100 };
    expect(routeJob(p, job([true, 40, 0.01], [true, 20, 0.05]))).toEqual({ ok: true, latencyS: 40, costUsd: 0.01, servedBy: 'network' });
    // Too slow: abandoned at 100 s after billing 100/400 of its cost, then the baseline's 20 s.
    expect(routeJob(p, job([true, 400, 0.04], [true, 20, 0.05]))).toEqual({ ok: true, latencyS: 120, costUsd: 0.01 + 0.05, servedBy: 'baseline' });
    // Failed after 30 s: the baseline starts then.
    expect(routeJob(p, job([false, 30, 0.003], [true, 20, 0.05]))).toMatchObject({ ok: true, latencyS: 50, servedBy: 'baseline' });
  });

  it('cheapest-first takes the cheaper backend when it meets the deadline', () => {
    const p = { policy: 'cheapest-first' as const, deadlineSeconds: 60 };
    expect(routeJob(p, job([true, 50, 0.01], [true, 20, 0.05]))).toMatchObject({ latencyS: 50, servedBy: 'network' });
    expect(routeJob(p, job([true, 90, 0.01], [true, 20, 0.05]))).toMatchObject({ latencyS: 80, servedBy: 'baseline' });
    expect(routeJob(p, job([true, 50, 0.09], [true, 20, 0.05]))).toMatchObject({ latencyS: 20, servedBy: 'baseline' });
  });

  it('summarizes both pure backends and each policy over the same jobs', () => {
    const jobs = [job([true, 10, 0.01], [true, 20, 0.05]), job([false, 500, 0.02], [true, 30, 0.05]), job([true, 300, 0.02], [true, 25, 0.05])];
    const [base, net, failover] = summarizePolicies(jobs, [{ policy: 'failover', timeoutSeconds: 100 }]);
    expect(base).toMatchObject({ name: 'baseline only', jobs: 3, successRate: 1, servedByNetwork: 0 });
    expect(net).toMatchObject({ name: 'network only', successRate: 2 / 3, servedByNetwork: 1 });
    expect(failover).toMatchObject({ name: 'failover after 100 s', successRate: 1, servedByNetwork: 1 / 3 });
    expect(failover!.p50).toBe(125);
  });
});
