// The per-workload decision matrix: for each customer profile × task type,
// candidate vs baseline paired by job (cost ratio, p50 and p99 ratios, success
// change, each with a paired bootstrap interval), judged against the
// scenario's rule (report.decision) and sorted into "could move", "could move
// with conditions" and "keep".
import { hash32, seededRandom } from '../../harness/common/random.ts';
import { bootstrapCI, meanOf, pairedBootstrapRatio, quantileOf } from '../../harness/stats/bootstrap.ts';
import type { PairRow } from '../queries.ts';
import type { Decision, DecisionMetric, DecisionRow, ReportSummary } from '../summary-types.ts';
import { bootstrapSubset, bothCompleted, loadPairRows, pairModulo, pairsOf, type JobPair } from './paired.ts';
import type { DecisionRule } from './run-config.ts';
import { section } from './section.ts';

export interface DecisionData {
  pairs: PairRow[];
  cells: { job_id: string; profile: string; task_type: string }[];
}

const ORDER: Record<Decision, number> = { 'could move': 0, 'could move with conditions': 1, keep: 2 };

/** Verdict of an interval against an upper margin ("at most"): met only when the whole interval is inside. */
export function atMost(ci: readonly [number, number], margin: number): DecisionMetric['verdict'] {
  return ci[1] <= margin ? 'meets' : ci[0] > margin ? 'misses' : 'unclear';
}

/** Verdict of an interval against a lower margin ("at least"). */
export function atLeast(ci: readonly [number, number], margin: number): DecisionMetric['verdict'] {
  return ci[0] >= margin ? 'meets' : ci[1] < margin ? 'misses' : 'unclear';
}

/** No margin: better / worse / ~ by whether the ratio's interval excludes 1. */
function bySignificance(ci: readonly [number, number]): DecisionMetric['verdict'] {
  return ci[1] < 1 ? 'better' : ci[0] > 1 ? 'worse' : '~';
}

export function ruleStatement(rule: DecisionRule, confidence: number): string {
  const pts = rule.minSuccessChangePts;
  return (
    `A workload could move when, at ${Math.round(confidence * 100)}% confidence, its cost per job is at most ${rule.maxCostRatio}× the baseline's, ` +
    `its p99 latency at most ${rule.maxP99Ratio}× and its success rate ${pts < 0 ? `down by at most ${-pts} point${pts === -1 ? '' : 's'}` : 'not lower'}. ` +
    'It is kept when its cost or success rate clearly misses its margin, or when too few jobs ran to tell; ' +
    'otherwise it could move with conditions, listed beside it (a slower tail, or a criterion the interval cannot settle yet).'
  );
}

const fmtX = (v: number) => `${Number(v.toPrecision(2))}×`;
const fmtPts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)} pt`;

/** Sorts one row by the rule; pure so the rule is tested on hand-made intervals. */
export function decide(row: Pick<DecisionRow, 'pairs' | 'costRatio' | 'p99Ratio' | 'successChangePts'>, rule: DecisionRule, minSamples: number): { decision: Decision; conditions: string[] } {
  if (row.pairs < minSamples) return { decision: 'keep', conditions: [`too few jobs to tell (${row.pairs} paired, fewer than ${minSamples})`] };
  const { costRatio: c, p99Ratio: t, successChangePts: s } = row;
  const conditions: string[] = [];
  if (c.verdict === 'misses') conditions.push(`cost ${fmtX(c.ci[0])}–${fmtX(c.ci[1])} the baseline's, above ${rule.maxCostRatio}×`);
  if (s.verdict === 'misses') conditions.push(`success ${fmtPts(s.ci[0])} to ${fmtPts(s.ci[1])}, below ${rule.minSuccessChangePts} pt`);
  if (conditions.length) return { decision: 'keep', conditions };
  if (c.verdict === 'unclear') conditions.push(`cost ${fmtX(c.ci[0])}–${fmtX(c.ci[1])} may not reach ${rule.maxCostRatio}×: more jobs would settle it`);
  if (t.verdict === 'misses') conditions.push(`p99 latency ${fmtX(t.ci[0])}–${fmtX(t.ci[1])}, above ${rule.maxP99Ratio}×: only for jobs that tolerate a slower tail`);
  if (t.verdict === 'unclear') conditions.push(`p99 latency ${fmtX(t.ci[0])}–${fmtX(t.ci[1])} may exceed ${rule.maxP99Ratio}×`);
  if (s.verdict === 'unclear') conditions.push(`success ${fmtPts(s.ci[0])} to ${fmtPts(s.ci[1])} may fall below ${rule.minSuccessChangePts} pt`);
  return { decision: conditions.length ? 'could move with conditions' : 'could move', conditions };
}

export function decisionRows(pairs: readonly JobPair[], cellOf: ReadonlyMap<string, { profile: string; taskType: string }>, opts: { runId: string; rule: DecisionRule; confidence: number; resamples: number; minSamples: number }): DecisionRow[] {
  const cells = new Map<string, { profile: string; taskType: string; pairs: JobPair[] }>();
  for (const p of pairs) {
    const c = cellOf.get(p.a.job_id);
    if (!c) continue;
    const key = `${c.profile}\u0000${c.taskType}`;
    const e = cells.get(key) ?? { ...c, pairs: [] };
    e.pairs.push(p);
    cells.set(key, e);
  }
  const rows: DecisionRow[] = [];
  for (const [key, cell] of [...cells].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const boot = bootstrapSubset(cell.pairs);
    const both = bothCompleted(boot);
    const random = (metric: string) => seededRandom(hash32(`${opts.runId}/decision/${key}/${metric}`));
    const o = { resamples: opts.resamples, confidence: opts.confidence };
    const nan: DecisionMetric = { estimate: NaN, ci: [NaN, NaN], margin: null, verdict: 'unclear' };
    const cost = pairedBootstrapRatio(boot.map((p) => p.a.cost_usd), boot.map((p) => p.b.cost_usd), meanOf, { ...o, random: random('cost') });
    const ratio = (q: number, margin: number | null): DecisionMetric => {
      if (both.length < 2) return { ...nan, margin };
      const r = pairedBootstrapRatio(both.map((p) => p.a.total_us), both.map((p) => p.b.total_us), quantileOf(q), { ...o, random: random(`p${q}`) });
      const ci: [number, number] = [r.lo, r.hi];
      return { estimate: r.estimate, ci, margin, verdict: margin === null ? bySignificance(ci) : atMost(ci, margin) };
    };
    const diffs = boot.map((p) => 100 * ((p.b.status === 'completed' ? 1 : 0) - (p.a.status === 'completed' ? 1 : 0)));
    const succ = bootstrapCI(diffs, meanOf, { ...o, random: random('success') });
    const costCi: [number, number] = [cost.lo, cost.hi];
    const succCi: [number, number] = [succ.lo, succ.hi];
    const metrics = {
      pairs: cell.pairs.length,
      costRatio: { estimate: cost.estimate, ci: costCi, margin: opts.rule.maxCostRatio, verdict: atMost(costCi, opts.rule.maxCostRatio) },
      p50Ratio: ratio(0.5, null),
      p99Ratio: ratio(0.99, opts.rule.maxP99Ratio),
      successChangePts: { estimate: succ.estimate, ci: succCi, margin: opts.rule.minSuccessChangePts, verdict: atLeast(succCi, opts.rule.minSuccessChangePts) },
    } satisfies Omit<DecisionRow, 'profile' | 'taskType' | 'decision' | 'conditions'>;
    rows.push({ profile: cell.profile, taskType: cell.taskType, ...metrics, ...decide(metrics, opts.rule, opts.minSamples) });
  }
  return rows.sort((a, b) => ORDER[a.decision] - ORDER[b.decision] || a.costRatio.estimate - b.costRatio.estimate);
}

export const decisionSection = section({
  fills: ['decision'],
  async load(q, input): Promise<DecisionData> {
    if (!input.candidate) return { pairs: [], cells: [] };
    return { pairs: await loadPairRows(q, input), cells: await q.jobCells(pairModulo(input.jobs)) };
  },
  build(data: DecisionData, input): Pick<ReportSummary, 'decision'> {
    if (!input.candidate) return { decision: null };
    const { confidence, bootstrapResamples, minSamples, decision: rule } = input.config.report;
    const cellOf = new Map(data.cells.map((c) => [c.job_id, { profile: c.profile, taskType: c.task_type }]));
    const rows = decisionRows(pairsOf(data.pairs, input.baseline, input.candidate), cellOf, { runId: input.runId, rule, confidence, resamples: bootstrapResamples, minSamples });
    return { decision: { rule: { ...rule, statement: ruleStatement(rule, confidence) }, rows } };
  },
});
