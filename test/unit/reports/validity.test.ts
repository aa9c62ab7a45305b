// The validity gate over hand-made summaries: each reason fires on its own
// condition, states its numbers, and a clean run is valid.
import { describe, expect, it } from 'vitest';
import { buildHarnessQueue } from '../../../reports/sections/harness-queue.ts';
import { latenessBoundMs, validityOf, wallDuration } from '../../../reports/sections/validity.ts';
import type { HarnessQueueSummary, ReportSummary, TargetSummary } from '../../../reports/summary-types.ts';

const target = (name: string, p50s: number, lateP99Ms: number, lateMaxMs: number) =>
  ({ name, latency: { p50: p50s, p90: p50s, p99: p50s }, lateness: { p50Ms: 1, p99Ms: lateP99Ms, maxMs: lateMaxMs } }) as TargetSummary;
const queue = (target: string, o: Partial<HarnessQueueSummary> = {}): HarnessQueueSummary => ({
  target, jobs: 19_366, heldJobs: 0, heldShare: 0, waitP50Ms: 0, waitP99Ms: 0, waitMaxMs: 0, waitP99AllJobsMs: 0, unfinished: 0, spanSeconds: 120, depthOverTime: [], ...o,
});
const run = (o: Partial<ReportSummary['run']> = {}) => ({ id: 'r1', scenario: 's', seed: 1, speed: 30, status: 'completed', traceChecksum: '', tracePath: '', startedAt: '', endedAt: '', jobsSent: 19_366, jobsPlanned: 19_366, ...o });

describe('validity gate', () => {
  it('passes a completed run on time with no held jobs', () => {
    const v = validityOf({ run: run(), targets: [target('baseline', 4, 2, 5), target('net', 40, 3, 9)], harnessQueue: [queue('baseline'), queue('net')] }, { unavailable: [] });
    expect(v).toEqual({ valid: true, reasons: [] });
  });

  it('states an interrupted run in numbers, with its unfinished jobs', () => {
    const v = validityOf({ run: run({ status: 'interrupted', jobsSent: 12_888 }), targets: [], harnessQueue: [queue('net', { unfinished: 10_000 })] }, { unavailable: [] });
    expect(v.valid).toBe(false);
    expect(v.reasons.map((r) => r.code)).toEqual(['run_not_completed']);
    expect(v.reasons[0]!.message).toContain('12,888 of 19,366 jobs sent (67 %)');
    expect(v.reasons[0]!.message).toContain('10,000 target jobs had no outcome yet');
  });

  it('bounds lateness by max(50 ms, 1 % of the median latency in real time)', () => {
    expect(latenessBoundMs(4, 30)).toBe(50); // 4 s ÷ 30 = 133 ms; 1 % is 1.3 ms
    expect(latenessBoundMs(600, 1)).toBeCloseTo(6000); // a 10-minute median at speed 1: 6 s
    const late = validityOf({ run: run(), targets: [target('baseline', 4, 300_000, 582_000)], harnessQueue: [queue('baseline')] }, { unavailable: [] });
    expect(late.reasons.map((r) => r.code)).toEqual(['lateness_over_bound']);
    expect(late.reasons[0]!.message).toContain('baseline sent up to 9.7 min late');
    expect(late.reasons[0]!.message).toContain('bound 50 ms');
    // 60 ms late is within the bound of a target whose median is 10 minutes at speed 1.
    expect(validityOf({ run: run({ speed: 1 }), targets: [target('slow', 600, 60, 80)], harnessQueue: [] }, { unavailable: [] }).valid).toBe(true);
  });

  it('flags a target whose jobs were held back in the harness queue beyond the bound for more than 1 % of them', () => {
    const held = queue('net', { heldJobs: 6_478, heldShare: 6_478 / 19_366, waitMaxMs: 582_000, waitP99AllJobsMs: 400_000 });
    const v = validityOf({ run: run(), targets: [target('net', 40, 2, 5)], harnessQueue: [held] }, { unavailable: [] });
    expect(v.reasons.map((r) => r.code)).toEqual(['held_back']);
    expect(v.reasons[0]!.message).toContain('6,478 of 19,366 jobs (33 %) waited in the harness queue');
    expect(v.reasons[0]!.message).toContain('up to 9.7 min');
    // Under 1 % held long (p99 over all jobs within the bound): valid.
    expect(validityOf({ run: run(), targets: [target('net', 40, 2, 5)], harnessQueue: [{ ...held, heldJobs: 100, waitP99AllJobsMs: 0 }] }, { unavailable: [] }).valid).toBe(true);
  });

  it('names a target that never answered', () => {
    const v = validityOf({ run: run(), targets: [target('baseline', 4, 2, 5)], harnessQueue: [] }, { unavailable: [{ name: 'net', reason: 'no answer at 127.0.0.1:1 within 10000 ms' }] });
    expect(v.reasons).toEqual([{ code: 'target_unavailable', message: expect.stringContaining('net never answered (no answer at 127.0.0.1:1') }]);
  });

  it('formats wall durations as people say them', () => {
    expect([wallDuration(3.25), wallDuration(50), wallDuration(4_200), wallDuration(582_000), wallDuration(7_200_000)]).toEqual(['3.3 ms', '50 ms', '4.2 s', '9.7 min', '2.0 h']);
  });
});

describe('harness queue section', () => {
  it('turns queue entries and exits per bucket into the depth at each bucket end', () => {
    const [q] = buildHarnessQueue({
      rows: [{ target: 'net', jobs: 100, held_jobs: 30, held_p50_us: 2e6, held_p99_us: 9e6, held_max_us: 1e7, held_p99_all_us: 8e6, unfinished: 4, first_us: 0, last_us: 30e6 }],
      flow: [
        { target: 'net', bucket: 0, entered: 10, left_queue: 0 },
        { target: 'net', bucket: 1, entered: 20, left_queue: 0 },
        { target: 'net', bucket: 1, entered: 0, left_queue: 5 },
        { target: 'net', bucket: 3, entered: 0, left_queue: 25 },
      ],
      originUs: 0,
      bucketUs: 1e6,
    });
    expect(q!.depthOverTime).toEqual([{ atSeconds: 1, depth: 10 }, { atSeconds: 2, depth: 25 }, { atSeconds: 3, depth: 25 }, { atSeconds: 4, depth: 0 }]);
    expect(q).toMatchObject({ heldJobs: 30, heldShare: 0.3, waitP50Ms: 2000, waitP99Ms: 9000, waitMaxMs: 10_000, waitP99AllJobsMs: 8000, unfinished: 4, spanSeconds: 30 });
  });
});
