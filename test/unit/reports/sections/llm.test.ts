// The LLM section on hand-made requests: TTFT and TPOT quantiles per target,
// goodput under the scenario's SLOs with its interval, paired comparisons
// through the verdict path, and the gates that read them.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../harness/common/random.ts';
import { buildLlm, llmTarget, meetsSlo, type LlmRequest } from '../../../../reports/sections/llm.ts';
import { evaluateThresholds, parseThreshold } from '../../../../reports/thresholds.ts';
import { sectionInput } from '../../../helpers/section-input.ts';

const SLO = JSON.stringify({ scenario: { slo: { ttftMs: 2000, tpotMs: 100 } } });

/** n requests one second apart on both targets; the candidate's TTFT is `ratio`× the baseline's, its TPOT `tpotRatio`×; every `failEvery`th candidate request fails. */
function requests(n: number, o: { ratio?: number; tpotRatio?: number; failEvery?: number } = {}): LlmRequest[] {
  const out: LlmRequest[] = [];
  for (let i = 0; i < n; i++) {
    const wobble = 1 + 0.3 * Math.sin(i * 12.9898);
    const ttft = (0.3 + (i % 23) * 0.1) * 1e6;
    const tpot = 40_000 * wobble;
    const base = { job_id: `j${String(i).padStart(4, '0')}`, submitted_at_us: i * 1e6, output_tokens: 50, streams_lost: 0 };
    out.push({ ...base, target: 'baseline', status: 'completed', ttft_us: ttft, tpot_us: tpot, total_us: ttft + 49 * tpot });
    const failed = o.failEvery ? i % o.failEvery === 0 : false;
    const cTtft = ttft * (o.ratio ?? 1) * (2 - wobble);
    const cTpot = tpot * (o.tpotRatio ?? 1);
    out.push({ ...base, target: 'decentralized', status: failed ? 'failed' : 'completed', ttft_us: failed ? 0 : cTtft, tpot_us: failed ? 0 : cTpot, total_us: cTtft + 49 * cTpot, streams_lost: failed ? 1 : 0 });
  }
  return out;
}

describe('LLM section', () => {
  it('gives TTFT and TPOT quantiles per target and goodput as the share and rate meeting every SLO, with intervals', () => {
    const llm = buildLlm(requests(400, { ratio: 1.6, failEvery: 10 }), sectionInput({}, SLO))!;
    expect(llm.slo).toEqual({ ttftMs: 2000, tpotMs: 100 });
    const [b, c] = llm.targets;
    expect(b).toMatchObject({ target: 'baseline', requests: 400, completed: 400, streamsLost: 0 });
    // Baseline TTFT cycles 0.3 … 2.5 s: 17 of every 23 are ≤ 2 s; TPOT 28–52 ms is always within 100 ms.
    expect(b!.ttft!.p50).toBeCloseTo(1.4, 1);
    expect(b!.tpot!.p99).toBeLessThan(0.053);
    const expectedShare = requests(400).filter((r) => r.target === 'baseline' && r.ttft_us <= 2e6).length / 400;
    expect(b!.goodput!.share).toBeCloseTo(expectedShare, 9);
    expect(b!.goodput!.shareCi[0]).toBeLessThan(expectedShare);
    expect(b!.goodput!.shareCi[1]).toBeGreaterThan(expectedShare);
    // 400 requests over 399 s of arrivals.
    expect(b!.goodput!.ratePerSecond).toBeCloseTo((expectedShare * 400) / 399, 9);
    expect(c).toMatchObject({ completed: 360, streamsLost: 40 });
    expect(c!.goodput!.share).toBeLessThan(b!.goodput!.share);
  });

  it('compares TTFT, TPOT and goodput paired by job through the verdict path', () => {
    const llm = buildLlm(requests(400, { ratio: 1.6, tpotRatio: 1, failEvery: 10 }), sectionInput({}, SLO))!;
    const by = (m: string) => llm.comparisons.find((c) => c.metric === m)!;
    expect(llm.comparisons.map((c) => c.metric)).toEqual(['p50 TTFT', 'p90 TTFT', 'p99 TTFT', 'p50 TPOT', 'p90 TPOT', 'p99 TPOT', 'goodput (share meeting all SLOs)']);
    expect(by('p50 TTFT').verdict).toBe('worse');
    expect(by('p50 TTFT').ratio).toBeGreaterThan(1.3);
    // Same TPOT on both: no difference called.
    expect(by('p50 TPOT').ratio).toBeCloseTo(1, 6);
    expect(['~', '~ (within margin)']).toContain(by('p50 TPOT').verdict);
    expect(by('goodput (share meeting all SLOs)').verdict).toBe('worse');
  });

  it('has no goodput without an SLO, and no section without token-counted requests', () => {
    const llm = buildLlm(requests(50), sectionInput())!;
    expect(llm.slo).toBeNull();
    expect(llm.targets.every((t) => t.goodput === null)).toBe(true);
    expect(llm.comparisons.some((c) => c.metric.startsWith('goodput'))).toBe(false);
    expect(buildLlm([], sectionInput())).toBeNull();
  });

  it('a target that sends no first token (it does not stream) has no TTFT, TPOT or goodput, which is not a failure, and no comparison', () => {
    const silent = requests(100).map((r) => (r.target === 'decentralized' ? { ...r, ttft_us: 0, tpot_us: 0 } : r));
    const llm = buildLlm(silent, sectionInput({}, SLO))!;
    const c = llm.targets.find((t) => t.target === 'decentralized')!;
    expect(c).toMatchObject({ streaming: false, requests: 100, completed: 100, ttft: null, tpot: null, goodput: null });
    expect(llm.targets.find((t) => t.target === 'baseline')!.streaming).toBe(true);
    expect(llm.comparisons).toEqual([]);
    const gate = evaluateThresholds({ comparisons: [], targets: [...sectionInput().targets], baseline: 'baseline', candidate: 'decentralized', llm }, ['goodput_ratio > 0.5']);
    expect(gate.passed).toBe(false);
    expect(gate.results[0]!.detail).toMatch(/decentralized sent no first-token event/);
  });

  it('a request meets the SLOs only when it completed within both bounds; TPOT is not asked of a one-token reply', () => {
    const r: LlmRequest = { job_id: 'j', target: 't', status: 'completed', total_us: 1e6, submitted_at_us: 0, ttft_us: 1.5e6, tpot_us: 120_000, output_tokens: 10, streams_lost: 0 };
    expect(meetsSlo(r, { ttftMs: 2000, tpotMs: 100 })).toBe(false);
    expect(meetsSlo({ ...r, tpot_us: 90_000 }, { ttftMs: 2000, tpotMs: 100 })).toBe(true);
    expect(meetsSlo({ ...r, output_tokens: 1, tpot_us: 0 }, { ttftMs: 2000, tpotMs: 100 })).toBe(true);
    expect(meetsSlo({ ...r, status: 'failed' }, { ttftMs: 2000 })).toBe(false);
  });
});

describe('LLM gates', () => {
  const summary = (input = requests(200, { ratio: 1.6, failEvery: 4 })) => {
    const s = sectionInput({}, SLO);
    return { comparisons: [], targets: [...s.targets], baseline: 'baseline', candidate: 'decentralized', llm: buildLlm(input, s) };
  };

  it('reads TTFT and TPOT bounds with units, and gates on the worst target', () => {
    expect(parseThreshold('ttft_p99 < 3s')).toEqual({ metric: 'ttft_p99', op: '<', bound: 3 });
    expect(parseThreshold('tpot_p90 <= 100ms')).toEqual({ metric: 'tpot_p90', op: '<=', bound: 0.1 });
    expect(() => parseThreshold('p99 < 3s')).toThrow(/unit \(s\) is for the ttft_\* and tpot_\* metrics only/);
    const s = summary();
    const worst = Math.max(...s.llm!.targets.map((t) => t.ttft!.p99));
    expect(evaluateThresholds(s, ['ttft_p99 < 10s']).passed).toBe(true);
    expect(evaluateThresholds(s, [`ttft_p99 < ${worst * 0.99}`]).passed).toBe(false);
  });

  it('fails a goodput gate the candidate misses, passes it where every target meets it, and has no data without LLM requests', () => {
    const s = summary();
    const shares = s.llm!.targets.map((t) => t.goodput!.share);
    expect(Math.min(...shares)).toBeLessThan(0.9);
    const low = evaluateThresholds(s, ['goodput_ratio > 0.9']);
    expect(low.passed).toBe(false);
    expect(low.results[0]!.value).toBeCloseTo(Math.min(...shares), 9);
    expect(evaluateThresholds(s, ['baseline.goodput_ratio > 0.5']).passed).toBe(true);
    expect(evaluateThresholds(s, ['goodput_ratio > 0.3']).passed).toBe(true);
    const none = evaluateThresholds({ ...s, llm: null }, ['goodput_ratio > 0.9']);
    expect(none.passed).toBe(false);
    expect(none.results[0]!.detail).toMatch(/no token-counted LLM requests/);
  });
});

describe('goodput interval, by simulation', () => {
  // Each request meets the SLOs with probability 0.85; congestion makes neighbours alike when phi > 0 (AR(1) on a latent score).
  function coverage(phi: number, reps: number, n: number, seed: number): number {
    const rnd = seededRandom(seed);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rnd.next())) * Math.cos(2 * Math.PI * rnd.next());
    const cut = 1.0364; // P(Z < 1.0364) = 0.85
    let covered = 0;
    for (let k = 0; k < reps; k++) {
      let z = normal();
      const reqs: LlmRequest[] = [];
      for (let i = 0; i < n; i++) {
        z = phi * z + Math.sqrt(1 - phi * phi) * normal();
        reqs.push({ job_id: `j${i}`, target: 't', status: 'completed', total_us: 1e6, submitted_at_us: i * 1e6, ttft_us: z < cut ? 0.5e6 : 5e6, tpot_us: 0, output_tokens: 1, streams_lost: 0 });
      }
      const [lo, hi] = llmTarget('t', reqs, { ttftMs: 1000 }, 0.95).goodput!.shareCi;
      if (lo <= 0.85 && 0.85 <= hi) covered++;
    }
    return covered / reps;
  }

  it('covers the true share about 95 % of the time for independent requests, and near it under congestion shared by neighbours (design effect; README)', () => {
    const independent = coverage(0, 1000, 300, 1);
    expect(independent).toBeGreaterThan(0.93);
    expect(independent).toBeLessThan(0.975);
    // Plain Wilson covered 64 % here; over n ÷ design effect, 91 % (seeded, 400 replications).
    const congested = coverage(0.8, 400, 300, 2);
    expect(congested).toBeGreaterThan(0.88);
    console.log(`goodput share Wilson interval coverage: independent ${independent}, AR(1) phi 0.8 ${congested}`);
  });
});
