import { describe, expect, it } from 'vitest';
import { latencyShiftSection } from '../../../../reports/sections/latency-shift.ts';
import { pairRows, sectionInput } from '../../../helpers/section-input.ts';

describe('latency shift section', () => {
  it('estimates a constant paired shift exactly, over jobs completed on both', () => {
    const rows = pairRows(50, { failEvery: 10 }).map((r) => (r.target === 'decentralized' ? { ...r, total_us: r.total_us + 3_000_000 } : r));
    expect(latencyShiftSection.build(rows, sectionInput())).toEqual({ latencyShift: { seconds: 3, pairs: 45 } });
  });

  it('is null without a candidate or with fewer than two pairs', () => {
    expect(latencyShiftSection.build(pairRows(50), sectionInput({ candidate: null })).latencyShift).toBeNull();
    expect(latencyShiftSection.build(pairRows(1), sectionInput()).latencyShift).toBeNull();
  });
});
