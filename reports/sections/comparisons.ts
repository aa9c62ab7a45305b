// Candidate vs baseline, paired by job: one estimand per metric with its own
// test and interval (harness/stats/paired-compare.ts), Holm across the five
// headline lines, a practical margin, and "insufficient data" where a
// quantile has too few jobs beyond it or is censored by failures.
import { hash32, seededRandom } from '../../harness/common/random.ts';
import { comparePaired, DEFAULT_QUANTILES, MIN_TAIL, type PairedLine } from '../../harness/stats/paired-compare.ts';
import { applyNoiseFloor, floorOf, NOISE_FLOOR_RULE } from '../../harness/stats/noise-floor.ts';
import type { PairRow } from '../queries.ts';
import type { Comparison, NoiseFloor, ReportSummary } from '../summary-types.ts';
import { bootstrapSubset, loadPairRows, pairedJobs, pairsOf, type JobPair } from './paired.ts';
import { section } from './section.ts';

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** A verdict line as summary.json carries it; ratio/ci stay on the ratio scale for the tables and gates that read them. */
export function comparisonOf(l: PairedLine): Comparison {
  const asRatio = (v: number) => (l.scale === 'ratio' ? v : (l.baseline + v) / l.baseline);
  return {
    metric: l.metric, unit: l.unit, baseline: l.baseline, candidate: l.candidate,
    ratio: l.scale === 'ratio' ? l.estimate : l.candidate / l.baseline,
    ci: [asRatio(l.interval[0]), asRatio(l.interval[1])],
    pValue: l.pValue, verdict: l.verdict, pairs: l.n,
    estimand: l.estimand, scale: l.scale, estimate: l.estimate,
    interval: [finiteOrNull(l.interval[0]), finiteOrNull(l.interval[1])],
    pHolm: finiteOrNull(l.pHolm), method: l.method, blockLength: l.blockLength, replicates: l.replicates,
    ...(l.reason ? { reason: l.reason } : {}),
  };
}

export const comparisonsSection = section({
  fills: ['comparisons', 'verdictRule'],
  load: loadPairRows,
  build(rows: PairRow[], input) {
    const { confidence, bootstrapResamples, margin } = input.config.report;
    const verdictRule: ReportSummary['verdictRule'] = {
      adjustment: 'holm', family: [], alpha: 1 - confidence, margin, minTail: MIN_TAIL,
      quantiles: 'comparisons: Harrell–Davis quantiles over the Kaplan–Meier curve of time to success (failures censored at their failure time), jobs run on both targets; targets and task-type tables: exact order statistic (ClickHouse quantileExact) over each target\'s completed jobs',
    };
    if (!input.candidate) return { comparisons: [], verdictRule };
    const pairs = bootstrapSubset(pairsOf(rows, input.baseline, input.candidate));
    if (pairs.length < 2) return { comparisons: [], verdictRule };
    const compare = (jobs: readonly JobPair[], stream: string) =>
      comparePaired(pairedJobs(jobs), { confidence, resamples: bootstrapResamples, margin, quantiles: DEFAULT_QUANTILES, random: seededRandom(hash32(`${input.runId}/${stream}`)) });
    let lines = compare(pairs, 'comparisons');
    const nf = input.config.noiseFloor;
    let noiseFloor: NoiseFloor | undefined;
    if (nf) {
      // The floor target is a (the twin b), so its ratio reads like the headline's candidate ÷ baseline.
      const aaPairs = bootstrapSubset(pairsOf(rows, nf.target, nf.twin));
      const aa = aaPairs.length >= 2 ? compare(aaPairs, 'noise-floor') : [];
      lines = applyNoiseFloor(lines, aa);
      noiseFloor = {
        ...nf, rule: NOISE_FLOOR_RULE, pairs: aaPairs.length,
        lines: aa.map((l) => ({ metric: l.metric, scale: l.scale, estimate: finiteOrNull(l.estimate), interval: [finiteOrNull(l.interval[0]), finiteOrNull(l.interval[1])], floor: floorOf(l) })),
      };
    }
    const comparisons = lines.map(comparisonOf);
    return { comparisons, verdictRule: { ...verdictRule, family: comparisons.filter((c) => c.pHolm !== null).map((c) => c.metric), ...(noiseFloor ? { noiseFloor } : {}) } };
  },
});
