// The golden comparison itself: it must catch a moved number, a missing or
// new field and a changed text, ignore float noise in the last bits, and drop
// exactly the wall-clock fields.
import { describe, expect, it } from 'vitest';
import { goldenDiff, withoutWallClock } from '../helpers/golden.ts';

const summary = () => ({
  run: { id: 'golden', tracePath: '/tmp/a/trace.jsonl', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:08.000Z', seed: 11 },
  targets: [{ name: 'baseline', jobs: 300, latency: { p50: 15.1 }, lateness: { p50Ms: 0.2, p99Ms: 31, maxMs: 44 } }],
  prices: [{ target: 'decentralized', meanRate: 0.25, ticks: 7 }],
  churn: [{ target: 'baseline', providers: 18 }],
  survival: [{ target: 'baseline', kind: 'provider_session', n: 18 }, { target: 'baseline', kind: 'first_loss', n: 3 }],
  warnings: [
    { severity: 'caution', code: 'harness-lateness', message: 'Harness lateness p99 on baseline is 76.2 ms, over the 50 ms bound: arrivals were not replayed on time.' },
    { severity: 'note', code: 'assumptions', message: '48 simulator parameters are assumptions ([A])' },
  ],
});

describe('golden comparison', () => {
  it('drops the wall-clock fields and keeps every other', () => {
    expect(withoutWallClock(summary())).toEqual({
      run: { id: 'golden', seed: 11 },
      targets: [{ name: 'baseline', jobs: 300, latency: { p50: 15.1 } }],
      prices: [{ target: 'decentralized', meanRate: 0.25 }],
      survival: [{ target: 'baseline', kind: 'first_loss', n: 3 }],
      warnings: [{ severity: 'note', code: 'assumptions', message: '48 simulator parameters are assumptions ([A])' }],
    });
  });

  it('finds equal summaries equal, through float noise and a different run time', () => {
    const b = summary();
    b.targets[0]!.latency.p50 = 15.1 * (1 + 4e-16);
    b.run.startedAt = '2027-01-01T00:00:00.000Z';
    b.prices[0]!.ticks = 8;
    expect(goldenDiff(withoutWallClock(summary()), withoutWallClock(b))).toEqual([]);
  });

  it('names each path that moved: a number, a text, a missing and a new field, a shorter list', () => {
    const b = summary() as ReturnType<typeof summary> & { extra?: number };
    b.targets[0]!.latency.p50 = 15.2;
    b.run.id = 'other';
    delete (b.run as { seed?: number }).seed;
    b.extra = 1;
    b.warnings = [];
    const d = goldenDiff(withoutWallClock(summary()), withoutWallClock(b));
    expect(d).toEqual([
      '$.run.id: expected "golden", got "other"',
      '$.run.seed: missing (expected 11)',
      '$.targets[0].latency.p50: expected 15.1, got 15.2',
      '$.warnings: expected 1 items, got 0',
      '$.extra: not in the golden copy (got 1)',
    ]);
  });
});
