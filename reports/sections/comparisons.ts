// Candidate vs baseline, paired by job: each metric's ratio with a paired
// bootstrap interval, a p-value and a verdict.
import { hash32, seededRandom } from '../../harness/common/random.ts';
import { meanOf, pairedBootstrapRatio, quantileOf } from '../../harness/stats/bootstrap.ts';
import { verdictOf, type Direction } from '../../harness/stats/compare.ts';
import { signedRankTest } from '../../harness/stats/rank-tests.ts';
import type { PairRow } from '../queries.ts';
import type { Comparison } from '../summary-types.ts';
import { bootstrapSubset, bothCompleted, loadPairRows, pairsOf } from './paired.ts';
import { section } from './section.ts';

export const comparisonsSection = section({
  fills: ['comparisons'],
  load: loadPairRows,
  build(rows: PairRow[], input) {
    const comparisons: Comparison[] = [];
    if (!input.candidate) return { comparisons };
    const { confidence, bootstrapResamples } = input.config.report;
    const pairs = pairsOf(rows, input.baseline, input.candidate);
    const boot = bootstrapSubset(pairs);
    const both = bothCompleted(boot);
    const bothAll = bothCompleted(pairs);
    const add = (metric: string, unit: string, direction: Direction, a: number[], b: number[], stat: (v: Float64Array) => number, testP?: number) => {
      if (a.length < 2) return;
      const r = pairedBootstrapRatio(a, b, stat, { resamples: bootstrapResamples, confidence, random: seededRandom(hash32(`${input.runId}/${metric}`)) });
      const p = testP ?? r.p;
      comparisons.push({ metric, unit, baseline: stat(Float64Array.from(a)), candidate: stat(Float64Array.from(b)), ratio: r.estimate, ci: [r.lo, r.hi], pValue: p, verdict: verdictOf(r, p, direction, 1 - confidence), pairs: a.length });
    };
    const la = both.map((p) => p.a.total_us / 1e6);
    const lb = both.map((p) => p.b.total_us / 1e6);
    // The median's test is the signed-rank test over every completed pair, not the bootstrap's.
    const rank = signedRankTest(bothAll.map((p) => p.a.total_us), bothAll.map((p) => p.b.total_us));
    add('p50 latency', 's', 'lower-is-better', la, lb, quantileOf(0.5), rank.p);
    add('p90 latency', 's', 'lower-is-better', la, lb, quantileOf(0.9));
    add('p99 latency', 's', 'lower-is-better', la, lb, quantileOf(0.99));
    add('cost per job', 'USD', 'lower-is-better', boot.map((p) => p.a.cost_usd), boot.map((p) => p.b.cost_usd), meanOf);
    add('success rate', '', 'higher-is-better', boot.map((p) => (p.a.status === 'completed' ? 1 : 0)), boot.map((p) => (p.b.status === 'completed' ? 1 : 0)), meanOf);
    return { comparisons };
  },
});
