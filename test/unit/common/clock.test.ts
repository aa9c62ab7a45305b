import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';

describe('systemClock', () => {
  it('reads epoch microseconds that never go back and agree with the wall clock', async () => {
    const clock = systemClock();
    let prev = clock.nowUs();
    let backwards = 0;
    for (let i = 0; i < 200_000; i++) {
      const v = clock.nowUs();
      if (v < prev) backwards++;
      prev = v;
    }
    expect(backwards).toBe(0);
    expect(Number.isInteger(prev)).toBe(true);
    // Date.now() is whole milliseconds and NTP may have slewed it since the anchor: agreement within a few ms.
    expect(Math.abs(prev - Date.now() * 1000)).toBeLessThan(5_000);
    const before = clock.nowUs();
    await new Promise((r) => setTimeout(r, 30));
    expect(clock.nowUs() - before).toBeGreaterThanOrEqual(29_000);
  });

  it('two clocks of one process agree to microseconds (Date.now would leave up to a millisecond)', () => {
    const a = systemClock();
    const b = systemClock();
    expect(Math.abs(a.nowUs() - b.nowUs())).toBeLessThanOrEqual(10);
  });
});
