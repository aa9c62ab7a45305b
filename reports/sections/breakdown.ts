// Customer profile × task type: a signed-rank test of the paired latencies
// per cell, Holm-corrected across cells.
import { quantileOf } from '../../harness/stats/bootstrap.ts';
import { holm } from '../../harness/stats/compare.ts';
import { signedRankTest } from '../../harness/stats/rank-tests.ts';
import type { PairRow } from '../queries.ts';
import type { ReportSummary } from '../summary-types.ts';
import { bothCompleted, loadPairRows, pairModulo, pairsOf } from './paired.ts';
import { section } from './section.ts';

export interface BreakdownData {
  pairs: PairRow[];
  cells: { job_id: string; profile: string; task_type: string }[];
}

export const breakdownSection = section({
  fills: ['breakdown'],
  async load(q, input): Promise<BreakdownData> {
    if (!input.candidate) return { pairs: [], cells: [] };
    return { pairs: await loadPairRows(q, input), cells: await q.jobCells(pairModulo(input.jobs)) };
  },
  build(data: BreakdownData, input) {
    const breakdown: ReportSummary['breakdown'] = [];
    if (!input.candidate) return { breakdown };
    const cells = new Map<string, { a: number[]; b: number[]; profile: string; taskType: string }>();
    const jobCell = new Map<string, string>();
    for (const j of data.cells) jobCell.set(j.job_id, `${j.profile}\u0000${j.task_type}`);
    for (const p of bothCompleted(pairsOf(data.pairs, input.baseline, input.candidate))) {
      const key = jobCell.get(p.a.job_id);
      if (!key) continue;
      const [profile, taskType] = key.split('\u0000') as [string, string];
      const c = cells.get(key) ?? { a: [], b: [], profile, taskType };
      c.a.push(p.a.total_us / 1e6);
      c.b.push(p.b.total_us / 1e6);
      cells.set(key, c);
    }
    const list = [...cells.values()];
    const ps = list.map((c) => signedRankTest(c.a, c.b).p);
    const adj = holm(ps);
    const median = quantileOf(0.5);
    list.forEach((c, i) => {
      const a50 = median(Float64Array.from(c.a));
      const b50 = median(Float64Array.from(c.b));
      const ratio = b50 / a50;
      const p = adj[i]!;
      breakdown.push({
        profile: c.profile,
        taskType: c.taskType,
        jobs: c.a.length,
        baselineP50: a50,
        candidateP50: b50,
        ratio,
        pValue: ps[i]!,
        pHolm: p,
        verdict: p < 1 - input.config.report.confidence ? (ratio > 1 ? 'worse' : 'better') : '~',
      });
    });
    return { breakdown };
  },
});
