// The page of a parameter sweep: the same trace replayed once per value, and
// how each comparison's ratio, interval and verdict move with the value.
// Pure: takes the runs' summaries, returns the JSON and the HTML.
import type { TopLevelSpec } from 'vega-lite';
import { OKABE_ITO } from './charts.ts';
import { delta, pct, pValue } from './format.ts';
import { esc } from './html.ts';
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
  const values = s.points.flatMap((p) => p.comparisons.map((c) => ({ value: p.value, metric: c.metric, ratio: c.ratio, lo: c.ci[0], hi: c.ci[1] })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 560,
    height: 260,
    title: `Ratio to the baseline as ${s.target}.${s.parameter} varies (95% CI)`,
    data: { values },
    encoding: {
      x: { field: 'value', type: 'quantitative', title: `${s.parameter} (${s.unit})` },
      color: { field: 'metric', type: 'nominal', title: 'metric', scale: { range: OKABE_ITO } },
    },
    layer: [
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'lo', type: 'quantitative', scale: { type: 'log' }, title: 'ratio (log scale)' }, y2: { field: 'hi' } } },
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'ratio', type: 'quantitative' }, strokeDash: { field: 'metric', type: 'nominal', legend: null } } },
      { mark: { type: 'rule', color: '#777', strokeDash: [4, 4] }, encoding: { y: { datum: 1 } } },
    ],
  };
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
    ? `<p class="warn"><strong>The conclusion depends on this parameter</strong> for: ${s.verdictChanges.map(esc).join(', ')}. Measure it on the real backend before deciding.</p>`
    : '<p>The verdict is the same at every value: the conclusion does not rest on this parameter within the range swept.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mirrorbench sweep — ${esc(s.scenario)} — ${esc(s.target)}.${esc(s.parameter)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;margin:1rem 0}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}.warn{background:#fff4e0;border-left:4px solid #E69F00;padding:.5rem .8rem}</style></head>
<body><h1>Sweep of ${esc(s.target)}.${esc(s.parameter)} — ${esc(s.scenario)}</h1>
<p>${esc(s.parameter)}: ${esc(s.unit)}; ${esc(s.basis)}. The same trace and seed at every value; each value is a stored run with its own report.</p>
${moved}
<div class="chart">${chartSvg}</div>
<table id="sweep-table"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>
</body></html>
`;
}
