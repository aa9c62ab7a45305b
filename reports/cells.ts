// The cells of the targets and headline-comparison tables, defined once: the
// HTML page and the terminal print the same figures in the same formats (the
// terminal shows a subset of the columns, chosen by heading).
import { deltaWithCi, latencyCell, pct, pValue, secs, sig, usd } from './format.ts';
import { esc, type Cell } from './page.ts';
import type { Comparison, TargetSummary } from './summary-types.ts';

export interface Column<T> {
  head: string;
  cell: (row: T) => Cell;
}

/** A cell's plain text, as the terminal prints it. */
export const cellText = (c: Cell): string => (typeof c === 'object' ? String(c.text) : String(c));

/** A target's name in a table; the noise floor's twin says what it is (it is in no comparison). */
export function targetLabel(t: TargetSummary): Cell {
  return t.aaTwinOf === undefined ? t.name : { text: `${t.name} (A/A twin of ${t.aaTwinOf})`, sort: t.name, cls: 'aa-twin', attrs: { title: 'the noise floor\'s second instance: in no verdict or comparison' } };
}

export function targetColumns(ci: string): Column<TargetSummary>[] {
  const success = (t: TargetSummary) => `${pct(t.successRate)} [${pct(t.successRateCI[0])}, ${pct(t.successRateCI[1])}]`;
  return [
    { head: 'target', cell: targetLabel },
    { head: 'kind', cell: (t) => t.kind },
    { head: 'jobs', cell: (t) => t.jobs },
    { head: `success [${ci} CI]`, cell: (t) => ({ text: success(t), sort: t.successRate, html: `${esc(pct(t.successRate))}<br><span class="ci">[${esc(pct(t.successRateCI[0]))}, ${esc(pct(t.successRateCI[1]))}]</span>` }) },
    { head: 'p50', cell: (t) => ({ text: latencyCell(t, 'p50'), sort: t.latency.p50 }) },
    { head: 'p90', cell: (t) => ({ text: latencyCell(t, 'p90'), sort: t.latency.p90 }) },
    { head: 'p99', cell: (t) => ({ text: latencyCell(t, 'p99'), sort: t.latency.p99 }) },
    { head: 'jobs/h', cell: (t) => sig(t.throughputJobsPerHour) },
    { head: 'GPU-h/h', cell: (t) => sig(t.gpuHoursPerHour) },
    { head: 'cost (USD)', cell: (t) => ({ text: sig(t.costUsd.total, 4), sort: t.costUsd.total }) },
    { head: 'cost/job (USD)', cell: (t) => ({ text: sig(t.costUsd.perJob), sort: t.costUsd.perJob }) },
    { head: 'USD/useful GPU-h', cell: (t) => ({ text: sig(t.costUsd.perUsefulGpuHour), sort: t.costUsd.perUsefulGpuHour }) },
    { head: 'USD/billed GPU-h', cell: (t) => ({ text: sig(t.costUsd.perWallGpuHour), sort: t.costUsd.perWallGpuHour }) },
    { head: 'losses/running provider-h', cell: (t) => ({ text: sig(t.lossesPerRunningHour), sort: t.lossesPerRunningHour }) },
    { head: 'withheld', cell: (t) => t.withheld },
  ];
}

const valueOf = (c: Comparison, v: number) => (c.unit === 's' ? secs(v) : c.unit === 'USD' ? usd(v) : pct(v));
export const pOrDash = (p: number | null) => (p === null || !Number.isFinite(p) ? '–' : pValue(p));

/** The headline comparison's figures; the verdict cell is the renderer's (it greys verdicts of an invalid run). */
export function comparisonColumns(ci: string, baseline: string, candidate: string): Column<Comparison>[] {
  return [
    { head: 'metric', cell: (c) => c.metric },
    { head: `change [${ci} CI]`, cell: (c) => ({ text: deltaWithCi(c.ratio, c.ci), sort: c.ratio }) },
    { head: baseline, cell: (c) => valueOf(c, c.baseline) },
    { head: candidate, cell: (c) => valueOf(c, c.candidate) },
    { head: 'p', cell: (c) => ({ text: `${pOrDash(c.pValue)}${c.pHolm !== null ? ` (Holm ${pValue(c.pHolm)})` : ''}`, sort: c.pValue, html: `${esc(pOrDash(c.pValue))}${c.pHolm !== null ? `<br><small>Holm ${esc(pValue(c.pHolm))}</small>` : ''}` }) },
    { head: 'pairs', cell: (c) => c.pairs },
  ];
}
