import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../harness/common/random.ts';
import { DEFAULTS } from '../../../../harness/common/defaults.ts';
import { bottomLineOf } from '../../../../reports/bottom-line.ts';
import type { PairRow } from '../../../../reports/queries.ts';
import { atLeast, atMost, decide, decisionSection } from '../../../../reports/sections/decision.ts';
import type { DecisionMetric } from '../../../../reports/summary-types.ts';
import { sectionInput } from '../../../helpers/section-input.ts';

const rule = DEFAULTS.report.decision;
const m = (estimate: number, lo: number, hi: number, verdict: DecisionMetric['verdict']): DecisionMetric => ({ estimate, ci: [lo, hi], margin: null, verdict });

describe('decision rule', () => {
  it('judges an interval against a margin: met only when the whole interval is on the right side', () => {
    expect(atMost([0.5, 0.7], 0.8)).toBe('meets');
    expect(atMost([0.7, 0.9], 0.8)).toBe('unclear');
    expect(atMost([0.9, 1.1], 0.8)).toBe('misses');
    expect(atLeast([-0.5, 0.5], -1)).toBe('meets');
    expect(atLeast([-2, 0], -1)).toBe('unclear');
    expect(atLeast([-5, -2], -1)).toBe('misses');
  });

  it('sorts rows into could move / with conditions / keep and says why', () => {
    const ok = { pairs: 100, costRatio: m(0.4, 0.38, 0.42, 'meets'), p99Ratio: m(1, 0.9, 1.1, 'meets'), successChangePts: m(0, -0.5, 0.5, 'meets') };
    expect(decide(ok, rule, 30)).toEqual({ decision: 'could move', conditions: [] });
    const slowTail = decide({ ...ok, p99Ratio: m(3, 2.5, 3.5, 'misses') }, rule, 30);
    expect(slowTail.decision).toBe('could move with conditions');
    expect(slowTail.conditions[0]).toMatch(/p99 latency 2\.5×–3\.5×, above 1\.5×/);
    expect(decide({ ...ok, costRatio: m(1.1, 1, 1.2, 'misses') }, rule, 30).decision).toBe('keep');
    expect(decide({ ...ok, successChangePts: m(-8, -10, -6, 'misses') }, rule, 30).decision).toBe('keep');
    expect(decide({ ...ok, pairs: 10 }, rule, 30)).toEqual({ decision: 'keep', conditions: ['too few jobs to tell (10 paired, fewer than 30)'] });
  });
});

describe('decision section (seeded simulation of four workloads)', () => {
  // Each workload's truth is known: the matrix must sort them as the rule says.
  const r = seededRandom(7);
  const workloads = [
    { profile: 'studio', task: 'rendering', cost: 0.42, slow: () => 1, fail: 0 }, // cheap, as fast: could move
    { profile: 'startup', task: 'llm_inference', cost: 0.4, slow: () => (r.next() < 0.1 ? 4 : 1), fail: 0 }, // cheap, slow tail: with conditions
    { profile: 'lab', task: 'training', cost: 1.3, slow: () => 1, fail: 0 }, // dearer: keep
    { profile: 'shop', task: 'image_generation', cost: 0.4, slow: () => 1, fail: 0.15 }, // cheap but fails 15% more: keep
  ];
  const pairs: PairRow[] = [];
  const cells: { job_id: string; profile: string; task_type: string }[] = [];
  let n = 0;
  for (const w of workloads) {
    // 1,000 jobs: a p99 ratio needs 10 jobs completed on both beyond the quantile (the verdict path's rule).
    for (let i = 0; i < 1_000; i++) {
      const job = `job-${n++}`;
      const base = 5 + 20 * r.next();
      pairs.push({ job_id: job, target: 'baseline', status: 'completed', total_us: Math.round(base * 1e6), cost_usd: 0.01 * (0.8 + 0.4 * r.next()) });
      pairs.push({ job_id: job, target: 'decentralized', status: r.next() < w.fail ? 'failed' : 'completed', total_us: Math.round(base * w.slow() * 1e6), cost_usd: 0.01 * w.cost * (0.8 + 0.4 * r.next()) });
      cells.push({ job_id: job, profile: w.profile, task_type: w.task });
    }
  }
  const { decision } = decisionSection.build({ pairs, cells }, sectionInput({ jobs: n }));

  it('finds each workload where its truth puts it, sorted could move first', () => {
    expect(decision!.rows.map((x) => [x.taskType, x.decision])).toEqual([
      ['rendering', 'could move'],
      ['llm_inference', 'could move with conditions'],
      ['image_generation', 'keep'],
      ['training', 'keep'],
    ]);
    const render = decision!.rows[0]!;
    expect(render.pairs).toBe(1_000);
    // Around the true 0.42 (a 95 % interval may miss it: this seed's ends at 0.4196).
    expect(render.costRatio.ci[0]).toBeGreaterThan(0.38);
    expect(render.costRatio.ci[1]).toBeLessThan(0.46);
    expect(render.costRatio.ci[1] - render.costRatio.ci[0]).toBeGreaterThan(0.005);
    expect(render.p50Ratio).toMatchObject({ estimate: 1, verdict: '~', margin: null });
    expect(decision!.rows[2]!.successChangePts.estimate).toBeLessThan(-10);
    // The slow tail is read from the censored p99 of every paired job, and judged against the rule's 1.5×.
    expect(decision!.rows[1]!.p99Ratio.verdict).toBe('misses');
    // 15 % failures censor the candidate's p99: no interval, and the reason is kept.
    expect(decision!.rows[2]!.p99Ratio.reason).toMatch(/failed on a target|completed/);
    expect(decision!.rule.statement).toMatch(/at most 0\.8× the baseline's, its p99 latency at most 1\.5× and its success rate down by at most 1 point/);
  });

  it('gives the bottom line in one sentence with intervals and the workload count', () => {
    const comparisons = [
      { metric: 'cost per job', unit: 'USD', baseline: 1, candidate: 0.4, ratio: 0.4, ci: [0.37, 0.42] as [number, number], pValue: 0, verdict: 'better' as const, pairs: 100 },
      { metric: 'p50 latency', unit: 's', baseline: 1, candidate: 4.5, ratio: 4.5, ci: [4.2, 4.9] as [number, number], pValue: 0, verdict: 'worse' as const, pairs: 100 },
      { metric: 'p99 latency', unit: 's', baseline: 1, candidate: 1, ratio: 1.02, ci: [0.9, 1.1] as [number, number], pValue: 0.5, verdict: '~' as const, pairs: 100 },
    ];
    const b = bottomLineOf({ baseline: 'baseline', candidate: 'decentralized', comparisons, decision, confidence: 0.95 });
    expect(b.sentence).toBe(
      'On decentralized against baseline: cost per job is 58–63% lower; median latency is 4.5× longer (4.2–4.9×); the tail (p99 latency) is no different (0.9–1.1×); of 4 workloads, 1 could move, 1 could with conditions and 2 should stay (95% intervals, paired by job).',
    );
    expect(b.workloads).toEqual({ couldMove: 1, withConditions: 1, keep: 2, total: 4 });
    expect(bottomLineOf({ baseline: 'b', candidate: null, comparisons: [], decision: null, confidence: 0.95 }).sentence).toMatch(/nothing to compare/);
  });
});
