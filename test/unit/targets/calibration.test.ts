// Calibration of the baseline simulator against the published figures of
// SaladCloud's 2025 reliability test (100 high-priority instances
// for 7 days, a 5.53 GB image): interruptions per hour, instances never
// interrupted, mean uptime of interrupted runs, and startup times. Runs the
// model's own instance slots in simulated time, in well under a second.
// Tolerances are wide enough for one seeded 100-instance week (the published
// figures are themselves one such sample) and narrow enough to catch a
// parameter that drifts: each is stated next to its check.
import { describe, expect, it } from 'vitest';
import { hash32, seededRandom } from '../../../harness/common/random.ts';
import { instanceDraw } from '../../../harness/targets/baseline/model.ts';
import { BASELINE_PARAMS } from '../../../harness/targets/baseline/params.ts';
import { resolveParams } from '../../../harness/targets/common/params.ts';
import { SessionSlot } from '../../../harness/targets/common/sessions.ts';

const HOUR = 3.6e9;
const WEEK = 168 * HOUR;

function week(seed: number) {
  const p = resolveParams('baseline', BASELINE_PARAMS);
  let interruptions = 0;
  let never = 0;
  const uptimesH: number[] = [];
  for (let i = 0; i < 100; i++) {
    // The test's instances were created for it: the week starts when the first node has finished its cold start.
    const slot = new SessionSlot(`i${i}`, seededRandom(seed ^ hash32(`cal/${i}`)), 0, instanceDraw(p, 5.53), { kind: 'fresh' });
    const from = slot.nextOnline(0).at;
    let interrupted = false;
    for (const b of slot.boundaries(from, from + WEEK)) {
      if (b.online) continue;
      interruptions++;
      interrupted = true;
      uptimesH.push((b.session.end - b.session.start) / HOUR);
    }
    if (!interrupted) never++;
  }
  return { perHourPer100: interruptions / 168, neverShare: never / 100, meanUptimeH: uptimesH.reduce((a, b) => a + b, 0) / uptimesH.length };
}

describe('baseline calibration (100 instances, 7 days, high priority)', () => {
  const runs = [1, 2, 3, 4, 5].map(week);

  it('is interrupted about 1.1 times per hour per 100 instances (each week within 0.75–1.45)', () => {
    for (const r of runs) expect(r.perHourPer100).toBeGreaterThan(0.75), expect(r.perHourPer100).toBeLessThan(1.45);
    const mean = runs.reduce((a, r) => a + r.perHourPer100, 0) / runs.length;
    expect(mean).toBeGreaterThan(0.9);
    expect(mean).toBeLessThan(1.3);
  });

  it('leaves roughly a quarter of instances never interrupted (each week 12–38 %)', () => {
    for (const r of runs) expect(r.neverShare).toBeGreaterThanOrEqual(0.12), expect(r.neverShare).toBeLessThanOrEqual(0.38);
  });

  it('gives interrupted runs a mean uptime near 35 h (each week 25–45 h)', () => {
    for (const r of runs) expect(r.meanUptimeH).toBeGreaterThan(25), expect(r.meanUptimeH).toBeLessThan(45);
  });

  it('starts a 5.53 GB image with P50 near 10 min and P90 near 36–40 min', () => {
    const p = resolveParams('baseline', BASELINE_PARAMS);
    const draw = instanceDraw(p, 5.53);
    const r = seededRandom(77);
    const mins = Array.from({ length: 20_000 }, () => draw(r).gapUs / 6e7).sort((a, b) => a - b);
    expect(mins[10_000]!).toBeGreaterThan(8.5);
    expect(mins[10_000]!).toBeLessThan(11.5);
    // The published P90 is 36–40 min; the fitted lognormal gives ~35.5, so the bound allows 33–42.
    expect(mins[18_000]!).toBeGreaterThan(33);
    expect(mins[18_000]!).toBeLessThan(42);
    // A bigger image starts slower (median × (GB/5.53)^0.8).
    const big = instanceDraw(p, 20);
    const r2 = seededRandom(77);
    const bigMins = Array.from({ length: 20_000 }, () => big(r2).gapUs / 6e7).sort((a, b) => a - b);
    expect(bigMins[10_000]! / mins[10_000]!).toBeGreaterThan(2);
  });
});
