import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import { detectRegressions, regressionsOf, type JobOutcome } from '../../../reports/regression.ts';

function run(n: number, latencyFactor: number, failEvery = 0, seed = 1): JobOutcome[] {
  const r = seededRandom(seed);
  const out: JobOutcome[] = [];
  for (let i = 0; i < n; i++) {
    const base = 5e6 + r.next() * 60e6;
    out.push({ job_id: `j${i}`, target: 'decentralized', status: failEvery && i % failEvery === 0 ? 'failed' : 'completed', total_us: base * latencyFactor, cost_usd: 0.01 + (i % 7) * 0.001 });
  }
  return out;
}

describe('regressions between runs of one scenario', () => {
  it('finds nothing between identical runs', () => {
    const a = run(400, 1);
    expect(regressionsOf(detectRegressions(a, a))).toEqual([]);
  });

  it('flags a 1.5× slower p99 and a success-rate drop, paired by job', () => {
    const checks = detectRegressions(run(400, 1), run(400, 1.5, 10));
    const worse = regressionsOf(checks).map((c) => c.metric).sort();
    expect(worse).toEqual(['p99 latency', 'success rate']);
    const p99 = checks.find((c) => c.metric === 'p99 latency')!;
    expect(p99.ratio).toBeCloseTo(1.5, 1);
    expect(p99.pHolm).toBeLessThan(0.05);
    // Cost did not move: "~".
    expect(checks.find((c) => c.metric === 'cost per useful GPU-hour')!.verdict).toBe('~');
  });

  it('ignores withheld jobs and jobs not in both runs', () => {
    const a = run(300, 1);
    const b = run(300, 1).map((x, i) => (i < 100 ? { ...x, status: 'withheld' } : x));
    const checks = detectRegressions(a, [...b, { job_id: 'new', target: 'decentralized', status: 'failed', total_us: 0, cost_usd: 0 }]);
    expect(checks.find((c) => c.metric === 'success rate')!.pairs).toBe(200);
    expect(regressionsOf(checks)).toEqual([]);
  });
});
