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
    expect(comparisons[4]).toMatchObject({ verdict: '~' });
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
