// Stationary start (issue 12, item 5): a run opens at a random moment of each
// slot's life, so churn in its first two days equals the steady state. With
// Weibull shape 0.6, starting each slot at a uniform age of an *ordinary*
// session made the first 48 h churn two to three times the steady state.
import { describe, expect, it } from 'vitest';
import { hash32, seededRandom } from '../../../harness/common/random.ts';
import type { JobOut } from '../../../harness/proto/types.ts';
import { instanceDraw, instanceStationaryStart } from '../../../harness/targets/baseline/model.ts';
import { BASELINE_PARAMS } from '../../../harness/targets/baseline/params.ts';
import { gamma, gammaDraw, lognormalMean, weibullLengthBiased, weibullMean } from '../../../harness/targets/common/distributions.ts';
import { resolveParams } from '../../../harness/targets/common/params.ts';
import { SessionSlot } from '../../../harness/targets/common/sessions.ts';
import { decentralizedModel } from '../../../harness/targets/decentralized/server.ts';

const HOUR = 3.6e9;
const T0 = 1_700_000_000_000_000;

const job = (id: string, at: number): JobOut =>
  ({ jobId: id, submittedAtUs: at, customer: 'c', profile: 'p', taskType: 'llm_inference', gpuClass: 'rtx4090', gpuCount: 1, vramGb: 24, image: 'img', imageBytes: 0, inputBytes: 0, outputBytes: 0, workSeconds: 1, pricePaidUsd: 0, sensitivity: 'public', deadlineSeconds: 0, labels: {} }) as JobOut;

/** Offline events per slot-hour in [from, to), and per online slot-hour. */
function churn(changes: { atTraceUs: number; event: { online?: boolean } }[], initiallyOnline: number, slots: number, from: number, to: number) {
  let online = initiallyOnline;
  let last = from;
  let onlineUs = 0;
  let offline = 0;
  for (const c of changes) {
    if (c.atTraceUs < from || c.atTraceUs >= to) continue;
    onlineUs += online * (c.atTraceUs - last);
    last = c.atTraceUs;
    if (c.event.online) online++;
    else {
      online--;
      offline++;
    }
  }
  onlineUs += online * (to - last);
  return { perSlotHour: offline / (slots * ((to - from) / HOUR)), perOnlineHour: offline / (onlineUs / HOUR) };
}

describe('length-biased draws', () => {
  it('draw Gamma and length-biased Weibull with the stated means', () => {
    const r = seededRandom(3);
    const g = Array.from({ length: 40_000 }, () => gammaDraw(r, 2.5, 2));
    expect(g.reduce((a, b) => a + b, 0) / g.length).toBeCloseTo(5, 1);
    // E[L*] = E[L²] / E[L] for a length-biased draw.
    const k = 0.6;
    const lb = Array.from({ length: 40_000 }, () => weibullLengthBiased(r, k, 1));
    const expected = gamma(1 + 2 / k) / gamma(1 + 1 / k);
    expect(lb.reduce((a, b) => a + b, 0) / lb.length / expected).toBeGreaterThan(0.95);
    expect(lb.reduce((a, b) => a + b, 0) / lb.length / expected).toBeLessThan(1.05);
  });
});

describe('stationary start: churn in the first 48 h equals the steady state', () => {
  it('on the decentralized network (provider stream), where losses per provider-hour are 1 ÷ mean session length', () => {
    const providers = 3000;
    const m = decentralizedModel(7, { providers, relay_outage_per_day: 0 });
    m.plan(job('j0', T0));
    const meanL = weibullMean(0.6, 30);
    const meanG = 20 / 60;
    const steadyPerSlot = 1 / (meanL + meanG);
    const start = m.population(T0).length;
    const first = churn(m.providerChanges(T0, T0 + 48 * HOUR), start, providers, T0, T0 + 48 * HOUR);
    // Within 10 % of the steady state (about 3,100 events: sampling noise is ~2 %).
    expect(first.perSlotHour / steadyPerSlot).toBeGreaterThan(0.9);
    expect(first.perSlotHour / steadyPerSlot).toBeLessThan(1.1);
    expect(first.perOnlineHour * meanL).toBeGreaterThan(0.9);
    expect(first.perOnlineHour * meanL).toBeLessThan(1.1);
    // And the same later in the run.
    const later = m.providerChanges(T0 + 48 * HOUR, T0 + 400 * HOUR);
    const onlineAt48 = m.population(T0 + 48 * HOUR).length;
    const l = churn(later, onlineAt48, providers, T0 + 48 * HOUR, T0 + 400 * HOUR);
    expect(l.perOnlineHour * meanL).toBeGreaterThan(0.9);
    expect(l.perOnlineHour * meanL).toBeLessThan(1.1);
  });

  it('on the baseline (instances of a group that was already running)', () => {
    const p = resolveParams('baseline', BASELINE_PARAMS);
    const slots = 4000;
    let ends = 0;
    for (let i = 0; i < slots; i++) {
      const slot = new SessionSlot(`i${i}`, seededRandom(11 ^ hash32(`st/${i}`)), 0, instanceDraw(p, 5.53), instanceStationaryStart(p, 5.53));
      ends += slot.boundaries(0, 48 * HOUR).filter((b) => !b.online).length;
    }
    const meanL = weibullMean(p.lifetime_shape, p.lifetime_scale_h);
    const meanG = p.cold_start_fixed_min / 60 + lognormalMean(p.cold_start_median_min, p.cold_start_sigma) / 60;
    const ratio = ends / (slots * 48) / (1 / (meanL + meanG));
    // About 1,400 interruptions expected: within 12 %.
    expect(ratio).toBeGreaterThan(0.88);
    expect(ratio).toBeLessThan(1.12);
  });
});
