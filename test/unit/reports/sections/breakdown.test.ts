import { describe, expect, it } from 'vitest';
import { breakdownSection } from '../../../../reports/sections/breakdown.ts';
import { pairRows, sectionInput } from '../../../helpers/section-input.ts';

describe('breakdown section', () => {
  it('tests each profile × task type cell and Holm-corrects across cells', () => {
    // Even jobs: the candidate is 2× slower; odd jobs: the same.
    const pairs = pairRows(120).map((r) => (r.target === 'decentralized' && Number(r.job_id.slice(4)) % 2 === 0 ? { ...r, total_us: r.total_us * 2 } : r));
    const cells = Array.from({ length: 120 }, (_, i) => ({ job_id: `job-${String(i).padStart(4, '0')}`, profile: i % 2 ? 'studio' : 'startup', task_type: 'llm_inference' }));
    const { breakdown } = breakdownSection.build({ pairs, cells }, sectionInput());
    const byProfile = Object.fromEntries(breakdown.map((b) => [b.profile, b]));
    expect(byProfile.startup).toMatchObject({ jobs: 60, verdict: 'worse' });
    expect(byProfile.startup!.ratio).toBeCloseTo(2, 1);
    // A ratio of exactly 1 is "~", never "better"; the direction comes from the tested estimate.
    expect(byProfile.studio).toMatchObject({ jobs: 60, ratio: 1, verdict: '~' });
    for (const b of breakdown) expect(b.pHolm!).toBeGreaterThanOrEqual(b.pValue!);
  });

  it('gives "insufficient data" to a cell with fewer than 20 pairs, and keeps failed jobs in its cell', () => {
    const pairs = pairRows(30, { failEvery: 3 });
    const cells = Array.from({ length: 30 }, (_, i) => ({ job_id: `job-${String(i).padStart(4, '0')}`, profile: i < 12 ? 'tiny' : 'big', task_type: 't' }));
    const by = Object.fromEntries(breakdownSection.build({ pairs, cells }, sectionInput()).breakdown.map((b) => [b.profile, b]));
    expect(by.tiny).toMatchObject({ jobs: 12, verdict: 'insufficient data', pValue: null });
    expect(by.big!.jobs).toBe(18);
  });

  it('is empty without a candidate', () => {
    expect(breakdownSection.build({ pairs: pairRows(10), cells: [] }, sectionInput({ candidate: null })).breakdown).toEqual([]);
  });
});
