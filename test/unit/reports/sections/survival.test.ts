import { describe, expect, it } from 'vitest';
import { survivalSection } from '../../../../reports/sections/survival.ts';
import { sectionInput } from '../../../helpers/section-input.ts';

describe('survival section', () => {
  it('builds provider-session curves censored at the stream end, and time to first loss', () => {
    const H = 3_600_000_000;
    const { survival } = survivalSection.build(
      {
        ends: [{ target: 'n', end_us: 10 * H }],
        // p1: online 0 → offline at 2 h (observed); p2: online at 1 h, still online at the end (censored at 9 h).
        timelines: [{ target: 'n', online: [1, 0], at: [0, 2 * H] }, { target: 'n', online: [1], at: [H] }],
        // One job lost its provider 1 h after assignment; one ran 3 h without a loss.
        firstLoss: [{ target: 'n', assigned: 0, lost: H, ended: 2 * H }, { target: 'n', assigned: 0, lost: 0, ended: 3 * H }],
      },
      sectionInput(),
    );
    expect(survival.map((c) => [c.kind, c.n, c.events])).toEqual([['provider_session', 2, 1], ['first_loss', 2, 1]]);
    expect(survival[0]!.medianHours).toBe(2);
    expect(survival[1]!.medianHours).toBe(1);
    expect(survival[0]!.curve.at(-1)).toMatchObject({ t: 2, s: 0.5 });
  });

  it('has no curve for a target without durations', () => {
    expect(survivalSection.build({ ends: [], timelines: [], firstLoss: [] }, sectionInput()).survival).toEqual([]);
  });
});
