import { describe, expect, it } from 'vitest';
import { routeJob, summarizePolicies, type PairedOutcome } from '../../reports/routing.ts';
import { harrellDavis } from '../../harness/stats/quantile.ts';

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
    // One quantile definition across the report: Harrell–Davis (over Kaplan–Meier when jobs failed).
    expect(failover!.p50).toBeCloseTo(harrellDavis([10, 125, 130], [0.5])[0]!, 12);
  });

  it('censors failed jobs at their failure time instead of dropping them (no survivorship bias)', () => {
    // The network finishes its 40 quick jobs in 10–49 s and fails its 10 slowest at 60 s; the baseline takes 50 s for all.
    const jobs = Array.from({ length: 50 }, (_, i) => job(i < 40 ? [true, 10 + i, 0.01] : [false, 60, 0.01], [true, 50, 0.05]));
    const [, net] = summarizePolicies(jobs, []);
    const survivorsOnly = harrellDavis(Array.from({ length: 40 }, (_, i) => 10 + i), [0.5])[0]!;
    expect(net!.p50).toBeGreaterThan(survivorsOnly + 3);
    // A fifth of the jobs never succeeded: their p99 of time to success is not a number, not the survivors' p99.
    expect(net!.p99).toBeNaN();
  });
});
