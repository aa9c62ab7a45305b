// Customer profile × task type: each cell's p50 line by the same estimand,
// test, interval and rules as the headline comparisons (paired-compare.ts),
// Holm across cells, the direction from the tested estimate.
import { hash32, seededRandom } from '../../harness/common/random.ts';
import { comparePaired, withHolm, type PairedLine } from '../../harness/stats/paired-compare.ts';
import type { PairRow } from '../queries.ts';
import type { ReportSummary } from '../summary-types.ts';
import { loadPairRows, pairedJobs, pairModulo, pairsOf, type JobPair } from './paired.ts';
import { section } from './section.ts';

export interface BreakdownData {
  pairs: PairRow[];
  cells: { job_id: string; profile: string; task_type: string }[];
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

export const breakdownSection = section({
  fills: ['breakdown'],
  async load(q, input): Promise<BreakdownData> {
    if (!input.candidate) return { pairs: [], cells: [] };
    return { pairs: await loadPairRows(q, input), cells: await q.jobCells(pairModulo(input.jobs)) };
  },
  build(data: BreakdownData, input) {
    const breakdown: ReportSummary['breakdown'] = [];
    if (!input.candidate) return { breakdown };
    const { confidence, bootstrapResamples, margin } = input.config.report;
    const cells = new Map<string, { pairs: JobPair[]; profile: string; taskType: string }>();
    const jobCell = new Map<string, string>();
    for (const j of data.cells) jobCell.set(j.job_id, `${j.profile}\u0000${j.task_type}`);
    for (const p of pairsOf(data.pairs, input.baseline, input.candidate)) {
      const key = jobCell.get(p.a.job_id);
      if (!key) continue;
      const [profile, taskType] = key.split('\u0000') as [string, string];
      const c = cells.get(key) ?? { pairs: [], profile, taskType };
      c.pairs.push(p);
      cells.set(key, c);
    }
    const list = [...cells.values()];
    const lines: PairedLine[] = list.map((c) =>
      comparePaired(pairedJobs(c.pairs), {
        confidence, resamples: bootstrapResamples, margin, quantiles: [0.5], only: ['latency'],
        random: seededRandom(hash32(`${input.runId}/breakdown/${c.profile}/${c.taskType}`)),
      })[0]!,
    );
    withHolm(lines, 1 - confidence, margin).forEach((l, i) => {
      const c = list[i]!;
      breakdown.push({
        profile: c.profile, taskType: c.taskType, jobs: l.n, baselineP50: l.baseline, candidateP50: l.candidate, ratio: l.estimate,
        ci: [finiteOrNull(l.interval[0]), finiteOrNull(l.interval[1])], pValue: finiteOrNull(l.pValue), pHolm: finiteOrNull(l.pHolm), verdict: l.verdict,
      });
    });
    return { breakdown };
  },
});
