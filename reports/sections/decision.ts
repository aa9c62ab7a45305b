// The per-workload decision matrix: for each customer profile × task type,
// candidate vs baseline paired by job, on the headline's verdict path
// (harness/stats/paired-compare.ts) restricted to that workload's jobs in
// submission order: cost ratio of means and p50/p99 ratios of time to success
// with failures censored, each from the paired circular-block bootstrap; the
// success change from McNemar/Tango. Judged against the scenario's rule
// (report.decision) and sorted into "could move", "could move with
// conditions" and "keep". (It used a per-job bootstrap over jobs completed on
// both targets: a workload that fails its slow jobs looked fast, and jobs
// correlated in time counted as independent evidence.)
import { hash32, seededRandom } from '../../harness/common/random.ts';
import { comparePaired, type PairedLine } from '../../harness/stats/paired-compare.ts';
import type { PairRow } from '../queries.ts';
import type { Decision, DecisionMetric, DecisionRow, ReportSummary } from '../summary-types.ts';
import { bootstrapSubset, loadPairRows, pairedJobs, pairModulo, pairsOf, type JobPair } from './paired.ts';
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
  const bounded = (x: DecisionMetric) => Number.isFinite(x.ci[0]) && Number.isFinite(x.ci[1]);
  if (c.verdict === 'unclear') conditions.push(bounded(c) ? `cost ${fmtX(c.ci[0])}–${fmtX(c.ci[1])} may not reach ${rule.maxCostRatio}×: more jobs would settle it` : `cost cannot be bounded yet`);
  if (t.verdict === 'misses') conditions.push(`p99 latency ${fmtX(t.ci[0])}–${fmtX(t.ci[1])}, above ${rule.maxP99Ratio}×: only for jobs that tolerate a slower tail`);
  if (t.verdict === 'unclear') {
    conditions.push(bounded(t) ? `p99 latency ${fmtX(t.ci[0])}–${fmtX(t.ci[1])} may exceed ${rule.maxP99Ratio}×` : `p99 latency not told yet: ${t.reason ?? 'its interval is unbounded'}`);
  }
  if (s.verdict === 'unclear') conditions.push(bounded(s) ? `success ${fmtPts(s.ci[0])} to ${fmtPts(s.ci[1])} may fall below ${rule.minSuccessChangePts} pt` : 'success change cannot be bounded yet');
  return { decision: conditions.length ? 'could move with conditions' : 'could move', conditions };
}

/** A line's estimate and interval as the matrix shows them (success in points), judged by `verdict`. */
function metricOf(line: PairedLine | undefined, margin: number | null, verdict: (ci: [number, number]) => DecisionMetric['verdict'], scale = 1): DecisionMetric {
  if (!line) return { estimate: NaN, ci: [NaN, NaN], margin, verdict: 'unclear' };
  const ci: [number, number] = [line.interval[0] * scale, line.interval[1] * scale];
  const bounded = Number.isFinite(ci[0]) && Number.isFinite(ci[1]);
  return {
    estimate: line.estimate * scale, ci, margin,
    verdict: bounded ? verdict(ci) : 'unclear',
    ...(line.reason ? { reason: line.reason } : !bounded ? { reason: 'its interval is unbounded' } : {}),
  };
}

export function decisionRows(pairs: readonly JobPair[], cellOf: ReadonlyMap<string, { profile: string; taskType: string }>, opts: { runId: string; rule: DecisionRule; confidence: number; resamples: number; minSamples: number }): DecisionRow[] {
  const cells = new Map<string, { profile: string; taskType: string; pairs: JobPair[] }>();
  // `pairs` are in submission order, so each cell's jobs are too: the block bootstrap's series.
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
    // Margin 0: the matrix judges the intervals against its own rule, not the headline's margin.
    const lines = boot.length >= 2
      ? comparePaired(pairedJobs(boot), { confidence: opts.confidence, resamples: opts.resamples, margin: 0, quantiles: [0.5, 0.99], random: seededRandom(hash32(`${opts.runId}/decision/${key}`)) })
      : [];
    const line = (metric: string) => lines.find((l) => l.metric === metric);
    const metrics = {
      pairs: cell.pairs.length,
      costRatio: metricOf(line('cost per job'), opts.rule.maxCostRatio, (ci) => atMost(ci, opts.rule.maxCostRatio)),
      p50Ratio: metricOf(line('p50 latency'), null, bySignificance),
      p99Ratio: metricOf(line('p99 latency'), opts.rule.maxP99Ratio, (ci) => atMost(ci, opts.rule.maxP99Ratio)),
      successChangePts: metricOf(line('success rate'), opts.rule.minSuccessChangePts, (ci) => atLeast(ci, opts.rule.minSuccessChangePts), 100),
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
