// The page of a parameter sweep: the same trace replayed once per value, and
// how each comparison's ratio, interval and verdict move with the value.
// Pure: takes the runs' summaries, returns the JSON and the HTML.
import type { TopLevelSpec } from 'vega-lite';
import { OKABE_ITO } from './charts.ts';
import { delta, pct, pValue } from './format.ts';
import { esc, pageEnd, pageHead } from './page.ts';
import type { ReportSummary } from './summary.ts';

export interface SweepPoint {
  value: number;
  runId: string;
  summary: ReportSummary;
}

export interface SweepResult {
  scenario: string;
  target: string;
  parameter: string;
  unit: string;
  basis: string;
  points: { value: number; runId: string; comparisons: ReportSummary['comparisons']; successRates: Record<string, number> }[];
  /** Metrics whose verdict is not the same at every value: the conclusion depends on this parameter. */
  verdictChanges: string[];
}

export function sweepResult(meta: Omit<SweepResult, 'points' | 'verdictChanges'>, points: SweepPoint[]): SweepResult {
  const rows = points.map((p) => ({
    value: p.value,
    runId: p.runId,
    comparisons: p.summary.comparisons,
    successRates: Object.fromEntries(p.summary.targets.map((t) => [t.name, t.successRate])),
  }));
  const metrics = [...new Set(rows.flatMap((r) => r.comparisons.map((c) => c.metric)))];
  const verdictChanges = metrics.filter((m) => new Set(rows.map((r) => r.comparisons.find((c) => c.metric === m)?.verdict ?? '–')).size > 1);
  return { ...meta, points: rows, verdictChanges };
}

export function sweepChart(s: SweepResult): TopLevelSpec {
  const values = s.points.flatMap((p) => p.comparisons.map((c) => ({ value: p.value, metric: c.metric, ratio: c.ratio, lo: c.ci[0], hi: c.ci[1], tip: `${s.parameter} = ${p.value}: ${c.metric} ${delta(c.ratio)} [${delta(c.ci[0])}, ${delta(c.ci[1])}] ${c.verdict}` })));
  const x = { field: 'value', type: 'quantitative', title: `${s.parameter} (${s.unit})` } as const;
  const y = { type: 'quantitative', scale: { type: 'log' }, title: 'candidate ÷ baseline (×, log scale)' } as const;
  const color = { field: 'metric', type: 'nominal', title: 'metric', scale: { range: OKABE_ITO } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 560,
    height: 260,
    title: { text: `Ratio to the baseline as ${s.target}.${s.parameter} varies`, subtitle: 'Bars: 95% intervals; dashed line: no change (ratio 1).' },
    layer: [
      { data: { values }, mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
      { data: { values }, mark: { type: 'line', point: true }, encoding: { x, y: { ...y, field: 'ratio' }, color, strokeDash: { field: 'metric', type: 'nominal', title: 'metric' }, description: { field: 'tip', type: 'nominal' } } },
      // Its own one-row data and no x: a horizontal line across the plot, not a dash at each swept value.
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: '#555', strokeDash: [4, 4] }, encoding: { y: { ...y, field: 'one' } } },
    ],
  } as TopLevelSpec;
}

export function renderSweepHtml(s: SweepResult, chartSvg: string): string {
  const metrics = [...new Set(s.points.flatMap((p) => p.comparisons.map((c) => c.metric)))];
  const head = ['value', ...metrics, 'runs'];
  const body = s.points
    .map((p) => {
      const cells = metrics.map((m) => {
        const c = p.comparisons.find((x) => x.metric === m);
        return c ? `<td data-verdict="${esc(c.verdict)}">${esc(delta(c.ratio))} [${esc(delta(c.ci[0]))}, ${esc(delta(c.ci[1]))}] ${esc(pValue(c.pValue))} <strong>${esc(c.verdict)}</strong></td>` : '<td>–</td>';
      });
      return `<tr><td>${esc(p.value)}</td>${cells.join('')}<td><a href="../${esc(p.runId)}/index.html">${esc(p.runId)}</a> (${Object.entries(p.successRates).map(([t, r]) => `${esc(t)} ${esc(pct(r))}`).join(', ')})</td></tr>`;
    })
    .join('');
  const moved = s.verdictChanges.length
    ? `<div class="warnings caution"><strong>The conclusion depends on this parameter</strong> for: ${s.verdictChanges.map(esc).join(', ')}. Measure it on the real backend before deciding.</div>`
    : '<p>The verdict is the same at every value: the conclusion does not rest on this parameter within the range swept.</p>';
  return `${pageHead(`mirrorbench sweep — ${s.scenario} — ${s.target}.${s.parameter}`)}
<body><h1>Sweep of ${esc(s.target)}.${esc(s.parameter)} — ${esc(s.scenario)}</h1>
<p>${esc(s.parameter)}: ${esc(s.unit)}; ${esc(s.basis)}. The same trace and seed at every value; each value is a stored run with its own report.</p>
${moved}
<div class="chart">${chartSvg}</div>
<p class="population note">Each row: one run at that value; ratios paired by job (every job ran on both targets), 95% intervals.</p>
<div class="table-wrap"><table id="sweep-table" class="sortable" data-population="one run per value"><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div>
${pageEnd}`;
}
