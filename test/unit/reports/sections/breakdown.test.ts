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
    expect(byProfile.startup).toMatchObject({ jobs: 60, ratio: 2, verdict: 'worse' });
    expect(byProfile.studio).toMatchObject({ jobs: 60, ratio: 1, verdict: '~' });
    for (const b of breakdown) expect(b.pHolm).toBeGreaterThanOrEqual(b.pValue);
  });

  it('is empty without a candidate', () => {
    expect(breakdownSection.build({ pairs: pairRows(10), cells: [] }, sectionInput({ candidate: null })).breakdown).toEqual([]);
  });
});
