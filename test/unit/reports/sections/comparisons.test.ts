import { describe, expect, it } from 'vitest';
import { comparisonsSection } from '../../../../reports/sections/comparisons.ts';
import { pairRows, sectionInput } from '../../../helpers/section-input.ts';

/** The candidate `ratio`× slower with a job-to-job wobble, and its cost a wobbly 0.4× the baseline's. */
const noisy = (n: number, ratio: number) =>
  pairRows(n, { ratio }).map((r, i) => {
    const wobble = 1 + 0.2 * Math.sin(i * 12.9898);
    return r.target === 'decentralized' ? { ...r, total_us: Math.round(r.total_us * wobble), cost_usd: 0.004 * wobble } : { ...r, cost_usd: 0.01 * (2 - wobble) };
  });

describe('comparisons section', () => {
  it('finds a 1.5× slower, cheaper candidate paired by job, with intervals around the truth', () => {
    const { comparisons } = comparisonsSection.build(noisy(300, 1.5), sectionInput());
    expect(comparisons.map((c) => c.metric)).toEqual(['p50 latency', 'p90 latency', 'p99 latency', 'cost per job', 'success rate']);
    const p50 = comparisons[0]!;
    expect(p50.ratio).toBeGreaterThan(1.3);
    expect(p50.ratio).toBeLessThan(1.7);
    expect(p50.ci[0]).toBeLessThan(p50.ratio);
    expect(p50.ci[1]).toBeGreaterThan(p50.ratio);
    expect(p50.verdict).toBe('worse');
    expect(p50.pairs).toBe(300);
    expect(comparisons[3]!.ratio).toBeCloseTo(0.4, 1);
    expect(comparisons[3]!.verdict).toBe('better');
    // Every job completed on both: no discordant job, so McNemar's test has nothing to call a difference from
    // (MIN_DISCORDANT); the line keeps its interval, a bound on the difference.
    expect(comparisons[4]).toMatchObject({ verdict: 'insufficient data', pHolm: null });
    expect(comparisons[4]!.reason).toMatch(/0 of 300 jobs completed on one target only/);
    expect(comparisons[4]!.interval[1]).toBeGreaterThan(0);
    // 300 pairs hold 3 beyond the 99th percentile: no tail verdict from them.
    expect(comparisons[2]).toMatchObject({ verdict: 'insufficient data', interval: [null, null], pHolm: null });
    expect(comparisons[2]!.reason).toMatch(/≥ 10/);
  });

  it('one estimand per line: the interval and the p are about the same quantity and agree', () => {
    const { comparisons, verdictRule } = comparisonsSection.build(noisy(600, 1.3), sectionInput());
    for (const c of comparisons.filter((x) => x.verdict !== 'insufficient data')) {
      const nul = c.scale === 'ratio' ? 1 : 0;
      const excludes = c.interval[0]! > nul || c.interval[1]! < nul;
      expect(excludes, `${c.metric}: interval and p disagree`).toBe(c.pValue < 0.05);
      expect(c.estimand).toBeTruthy();
      expect(c.method).toBeTruthy();
    }
    expect(comparisons.find((c) => c.metric === 'success rate')).toMatchObject({ scale: 'difference', estimate: 0 });
    // 600 pairs hold 6 beyond p99, and no job completed on one target only: neither is tested, nor in Holm's family.
    expect(verdictRule.family).toEqual(['p50 latency', 'p90 latency', 'cost per job']);
  });

  it('censors failures: 1.2× slower but timing out its slowest 3 % reads slower, with no p99 verdict', () => {
    // Baseline latencies spread 5–35 s; the candidate is 1.2× on every job, and its slowest 3 % time out at 40.9 s.
    const rows = pairRows(1200, { base: (i) => 5 + ((i * 7919) % 1200) * 0.025, ratio: 1.2 }).map((r) =>
      r.target === 'decentralized' && r.total_us > 1.2 * 34.1 * 1e6 ? { ...r, status: 'failed', total_us: 1.2 * 34.1 * 1e6 } : r,
    );
    const { comparisons } = comparisonsSection.build(rows, sectionInput());
    const by = Object.fromEntries(comparisons.map((c) => [c.metric, c]));
    for (const m of ['p50 latency', 'p90 latency']) {
      expect(by[m]!.verdict).toBe('worse');
      expect(by[m]!.interval[0]!).toBeLessThanOrEqual(1.2 + 1e-9);
      expect(by[m]!.interval[1]!).toBeGreaterThanOrEqual(1.2 - 1e-9);
    }
    expect(by['p99 latency']).toMatchObject({ verdict: 'insufficient data' });
    expect(by['p99 latency']!.reason).toMatch(/failed/);
  });

  it('calls a significant change inside the practical margin "~ (within margin)", and the success rate at 100 % on both sides is not a point', () => {
    const rows = pairRows(400, { ratio: 1.02 });
    const { comparisons } = comparisonsSection.build(rows, sectionInput());
    expect(comparisons[0]).toMatchObject({ verdict: '~ (within margin)' });
    const strict = comparisonsSection.build(rows, sectionInput({}, JSON.stringify({ scenario: { report: { margin: 0 } } }))).comparisons;
    expect(strict[0]!.verdict).toBe('worse');
    const small = comparisonsSection.build(pairRows(10), sectionInput()).comparisons.find((c) => c.metric === 'success rate')!;
    expect(small.interval[1]! - small.interval[0]!).toBeGreaterThan(0.5);
    expect(small.pValue).toBe(1);
  });

  it('is the same on the same rows (seeded by run and metric), and empty without a candidate', () => {
    const rows = pairRows(200, { ratio: 1.1, failEvery: 9 });
    expect(comparisonsSection.build(rows, sectionInput())).toEqual(comparisonsSection.build(rows, sectionInput()));
    expect(comparisonsSection.build(rows, sectionInput({ candidate: null })).comparisons).toEqual([]);
    expect(comparisonsSection.build(pairRows(1), sectionInput()).comparisons).toEqual([]);
  });

  it('uses the scenario confidence for its intervals', () => {
    const rows = noisy(200, 1.2);
    const wide = comparisonsSection.build(rows, sectionInput({}, JSON.stringify({ scenario: { report: { confidence: 0.99 } } }))).comparisons[1]!;
    const narrow = comparisonsSection.build(rows, sectionInput({}, JSON.stringify({ scenario: { report: { confidence: 0.9 } } }))).comparisons[1]!;
    expect(wide.ci[1] - wide.ci[0]).toBeGreaterThan(narrow.ci[1] - narrow.ci[0]);
  });
});
