// The A/A noise floor rule alone: a called difference no further from no
// change than the A/A interval reaches reads "~"; beyond it, it stands.
import { describe, expect, it } from 'vitest';
import { applyNoiseFloor, floorOf, WITHIN_FLOOR } from '../../../harness/stats/noise-floor.ts';
import type { PairedLine } from '../../../harness/stats/paired-compare.ts';

const line = (metric: string, over: Partial<PairedLine>): PairedLine => ({
  metric, unit: 's', estimand: '', method: '', scale: 'ratio', direction: 'lower-is-better', baseline: 1, candidate: 1,
  estimate: 1, interval: [1, 1], pValue: 0.001, pHolm: 0.001, verdict: 'worse', n: 300, blockLength: 1, replicates: null, ...over,
});

describe('noise floor rule', () => {
  it('measures how far the A/A interval reaches from no change, on either side', () => {
    expect(floorOf({ scale: 'ratio', interval: [0.95, 1.2] })).toBeCloseTo(0.2, 12);
    expect(floorOf({ scale: 'ratio', interval: [1.02, 1.08] })).toBeCloseTo(0.08, 12);
    expect(floorOf({ scale: 'ratio', interval: [0.7, 1.1] })).toBeCloseTo(0.3, 12);
    expect(floorOf({ scale: 'difference', interval: [-0.01, 0.03] })).toBeCloseTo(0.03, 12);
    expect(floorOf({ scale: 'ratio', interval: [NaN, 1.1] })).toBeNull();
  });

  it('turns a called difference within the floor into "~", keeps one beyond it, and leaves metrics without a floor alone', () => {
    const aa = [
      line('p90 latency', { interval: [0.9, 1.15], verdict: '~' }),
      line('p50 latency', { interval: [0.97, 1.03], verdict: '~' }),
      line('success rate', { scale: 'difference', interval: [-0.02, 0.01], verdict: '~' }),
      line('cost per job', { interval: [Infinity, NaN], verdict: '~' }),
    ];
    const head = [
      line('p90 latency', { estimate: 1.12, interval: [1.05, 1.2] }), // 0.12 ≤ 0.15: within
      line('p50 latency', { estimate: 1.12, interval: [1.05, 1.2] }), // 0.12 > 0.03: stands
      line('success rate', { scale: 'difference', direction: 'higher-is-better', estimate: -0.015, interval: [-0.025, -0.005] }), // 0.015 ≤ 0.02
      line('cost per job', { estimate: 0.5, interval: [0.4, 0.6], verdict: 'better' }), // no finite A/A: stands
      line('p99 latency', { estimate: 1.01, verdict: 'insufficient data' }), // not a called difference
    ];
    const out = applyNoiseFloor(head, aa);
    expect(out.map((l) => l.verdict)).toEqual(['~', 'worse', '~', 'better', 'insufficient data']);
    expect(out[0]!.reason).toContain(WITHIN_FLOOR);
    expect(out[2]!.reason).toContain(WITHIN_FLOOR);
    expect(out[1]!.reason).toBeUndefined();
    // Exactly at the floor counts as within it (the rule says "no further").
    expect(applyNoiseFloor([line('p90 latency', { estimate: 1.25 })], [line('p90 latency', { interval: [0.75, 1.1] })])[0]!.verdict).toBe('~');
    expect(applyNoiseFloor([line('p90 latency', { estimate: 1.26 })], [line('p90 latency', { interval: [0.75, 1.1] })])[0]!.verdict).toBe('worse');
  });
});
