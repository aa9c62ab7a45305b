// The campaigns' index page: every scheduled run with its verdicts, gates and
// regressions, and the trend of each campaign's key ratios over time. Pure:
// rows in, HTML out.
import type { TopLevelSpec } from 'vega-lite';
import type { CampaignRunRow } from '../harness/events/schema.ts';
import { delta, pct } from './format.ts';
import { esc } from './html.ts';
import type { TargetDigest } from './campaign-changes.ts';
import type { RegressionCheck } from './regression.ts';
import type { ReportSummary } from './summary.ts';

export interface RunDigest {
  comparisons: Pick<ReportSummary['comparisons'][number], 'metric' | 'ratio' | 'verdict'>[];
  successRates: Record<string, number>;
  /** Per-target figures whose series across runs are searched for change points (absent in older rows). */
  targets?: TargetDigest[];
}

const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function digestOf(s: ReportSummary): RunDigest {
  return {
    comparisons: s.comparisons.map((c) => ({ metric: c.metric, ratio: c.ratio, verdict: c.verdict })),
    successRates: Object.fromEntries(s.targets.map((t) => [t.name, t.successRate])),
    targets: s.targets.map((t) => ({
      name: t.name,
      // A target with no completed job has no latency figure (data's null), not a latency of 0.
      p50: t.completed ? finite(t.latency.p50) : null,
      p99: t.completed ? finite(t.latency.p99) : null,
      costPerJob: t.jobs ? finite(t.costUsd.perJob) : null,
      successRate: t.jobs ? finite(t.successRate) : null,
      lossesPerJobHour: finite(t.lossesPerJobHour),
    })),
  };
}

function parse<T>(json: string, fallback: T): T {
  try {
    return json ? (JSON.parse(json) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function trendChart(rows: readonly CampaignRunRow[]): TopLevelSpec {
  const values = rows
    .filter((r) => r.status === 'completed')
    .flatMap((r) => parse<RunDigest>(r.summary_json, { comparisons: [], successRates: {} }).comparisons.filter((c) => c.metric === 'p99 latency' || c.metric === 'cost per job').map((c) => ({ campaign: r.campaign, metric: c.metric, at: new Date(r.scheduled_at_us / 1000).toISOString(), ratio: c.ratio })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 640,
    height: 220,
    title: 'Candidate ÷ baseline over time',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'at', type: 'temporal', title: 'scheduled' },
      y: { field: 'ratio', type: 'quantitative', title: 'ratio', scale: { type: 'log' } },
      color: { field: 'campaign', type: 'nominal' },
      strokeDash: { field: 'metric', type: 'nominal' },
    },
  };
}

/** The change-point section: its chart (SVG) and table (see campaign-changes.ts). */
export interface ChangeSection {
  chartSvg: string;
  tableHtml: string;
}

export function renderCampaignIndex(rows: readonly CampaignRunRow[], chartSvg: string, generatedAt: string, changes?: ChangeSection): string {
  const sorted = [...rows].sort((a, b) => b.scheduled_at_us - a.scheduled_at_us);
  const body = sorted
    .map((r) => {
      const digest = parse<RunDigest>(r.summary_json, { comparisons: [], successRates: {} });
      const regressions = parse<RegressionCheck[]>(r.regressions_json, []).filter((c) => c.verdict === 'worse');
      const gates = parse<{ expression: string; passed: boolean }[]>(r.thresholds_json, []);
      const verdicts = digest.comparisons.map((c) => `${esc(c.metric)} ${esc(delta(c.ratio))} <strong data-verdict="${esc(c.verdict)}">${esc(c.verdict)}</strong>`).join('<br>');
      const gateCell = gates.length ? gates.map((g) => `${g.passed ? 'pass' : '<strong class="bad">FAIL</strong>'} ${esc(g.expression)}`).join('<br>') : '–';
      const regCell = regressions.length ? regressions.map((c) => `<strong class="bad">${esc(c.target)} ${esc(c.metric)} ${esc(delta(c.ratio))}</strong>`).join('<br>') : r.previous_run_id ? 'none' : '–';
      const run = r.run_id ? `<a href="../${esc(r.run_id)}/index.html">${esc(r.run_id)}</a>` : '–';
      const success = Object.entries(digest.successRates).map(([t, v]) => `${esc(t)} ${esc(pct(v))}`).join('<br>');
      return `<tr data-campaign="${esc(r.campaign)}" data-status="${esc(r.status)}"><td>${esc(new Date(r.scheduled_at_us / 1000).toISOString())}</td><td>${esc(r.campaign)}</td><td>${esc(r.status)}${r.error ? `<br><small>${esc(r.error)}</small>` : ''}</td><td>${run}</td><td>${success}</td><td>${verdicts || '–'}</td><td>${gateCell}</td><td>${regCell}</td></tr>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mirrorbench campaigns</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1200px;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}.bad{color:#D55E00}</style></head>
<body><h1>Campaigns</h1><p>${esc(rows.length)} scheduled runs, newest first · generated ${esc(generatedAt)}. Regressions compare each run with the previous completed run of the same scenario, paired by job (Holm-corrected).</p>
<div class="chart">${chartSvg}</div>
${changes ? `<h2>Change points</h2>${changes.tableHtml}<div class="chart" id="change-point-chart">${changes.chartSvg}</div>` : ''}
<table id="campaign-runs"><thead><tr><th>scheduled</th><th>campaign</th><th>status</th><th>run</th><th>success</th><th>verdicts</th><th>gates</th><th>regressions</th></tr></thead><tbody>${body}</tbody></table>
</body></html>
`;
}
