// The campaigns' index page: every scheduled run with its verdicts, gates and
// regressions, and the trend of each campaign's key ratios over time. Pure:
// rows in, HTML out.
import type { TopLevelSpec } from 'vega-lite';
import type { CampaignRunRow } from '../harness/events/schema.ts';
import { mean as ssMean } from 'simple-statistics';
import { delta, pct } from './format.ts';
import { esc, pageEnd, pageHead } from './page.ts';
import type { TargetDigest } from './campaign-changes.ts';
import type { RegressionCheck } from './regression.ts';
import type { ReplicateSetSummary } from './replicates.ts';
import type { ReportSummary } from './summary.ts';

export interface RunDigest {
  comparisons: Pick<ReportSummary['comparisons'][number], 'metric' | 'ratio' | 'verdict'>[];
  successRates: Record<string, number>;
  /** Per-target figures whose series across runs are searched for change points (absent in older rows). */
  targets?: TargetDigest[];
  /** Present when the campaign run was a replicate set: its runs (r1 first) and how many the scenario asked for. */
  replicates?: { set: string; runs: string[]; planned: number };
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
      // Per running provider-hour: per job-hour would divide by queueing too, so a target that makes jobs wait looked more reliable.
      lossesPerRunningHour: t.jobs ? finite(t.lossesPerRunningHour) : null,
    })),
  };
}

/** Mean of the finite figures; null when there is none (simple-statistics' mean throws on an empty list). */
const mean = (vs: readonly (number | null | undefined)[]): number | null => {
  const xs = vs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length ? ssMean(xs) : null;
};

/**
 * A replicate set's digest, in the same shape as one run's so the index, the
 * trend chart and the change-point series read it unchanged. The verdicts are
 * the combined lines' (the set's between-replicate verdicts, not one
 * replicate's); a ratio line's figure is the combined estimate, a difference
 * line's (success) is the ratio of the combined replicates' mean success rates,
 * as one run's digest gives candidate ÷ baseline there. Per-target figures are
 * the mean over the replicates that have them: a set is one point of a
 * campaign's series, steadier than one run's.
 */
export function setDigestOf(set: ReplicateSetSummary, runs: readonly ReportSummary[]): RunDigest {
  const per = runs.map(digestOf);
  const names = [...new Set(per.flatMap((d) => (d.targets ?? []).map((t) => t.name)))];
  const field = (name: string, f: keyof Omit<TargetDigest, 'name'>) => mean(per.map((d) => d.targets?.find((t) => t.name === name)?.[f]));
  return {
    comparisons: set.combined.lines.map((l) => {
      let ratio = l.estimate ?? NaN;
      if (l.scale === 'difference') {
        const used = runs.filter((_, i) => l.replicates[i]?.combined);
        const own = (used.length ? used : runs).map((r) => r.comparisons.find((c) => c.metric === l.metric));
        const b = mean(own.map((c) => c?.baseline));
        const c = mean(own.map((c) => c?.candidate));
        ratio = b !== null && c !== null && b > 0 ? c / b : NaN;
      }
      return { metric: l.metric, ratio, verdict: l.verdict };
    }),
    successRates: Object.fromEntries(names.map((n) => [n, mean(per.map((d) => d.successRates[n])) ?? NaN])),
    targets: names.map((name) => ({
      name,
      p50: field(name, 'p50'),
      p99: field(name, 'p99'),
      costPerJob: field(name, 'costPerJob'),
      successRate: field(name, 'successRate'),
      lossesPerRunningHour: field(name, 'lossesPerRunningHour'),
    })),
    replicates: { set: set.set, runs: set.replicates.map((r) => r.runId), planned: set.planned },
  };
}

function parse<T>(json: string, fallback: T): T {
  try {
    return json ? (JSON.parse(json) as T) : fallback;
  } catch {
    return fallback;
  }
}

/**
 * One row per scheduled run: campaign_runs is rewritten as a run progresses and
 * its first row (no run id yet) sorts apart from the later ones, so FINAL can
 * return both; the newest version (updated_at_us) of each schedule slot wins.
 */
export function latestRows(rows: readonly CampaignRunRow[]): CampaignRunRow[] {
  const best = new Map<string, CampaignRunRow>();
  for (const r of rows) {
    const key = `${r.campaign}\u0000${r.scenario}\u0000${r.scheduled_at_us}`;
    const seen = best.get(key);
    if (!seen || r.updated_at_us > seen.updated_at_us || (r.updated_at_us === seen.updated_at_us && r.run_id > seen.run_id)) best.set(key, r);
  }
  return [...best.values()];
}

/** Candidate ÷ baseline per metric over time, one panel per metric, regressions marked. */
export function trendChart(rows: readonly CampaignRunRow[]): TopLevelSpec {
  const values = latestRows(rows)
    .filter((r) => r.status === 'completed')
    .flatMap((r) => {
      // Regressions are checked per useful GPU-hour; the trend shows cost per job: the closest panel.
      const regressed = new Set<string>(parse<RegressionCheck[]>(r.regressions_json, []).filter((c) => c.verdict === 'worse').map((c) => (c.metric === 'cost per useful GPU-hour' ? 'cost per job' : c.metric)));
      const at = new Date(r.scheduled_at_us / 1000).toISOString();
      return parse<RunDigest>(r.summary_json, { comparisons: [], successRates: {} })
        .comparisons.filter((c) => Number.isFinite(c.ratio) && c.ratio > 0)
        .map((c) => ({ campaign: r.campaign, metric: c.metric, at, ratio: c.ratio, regression: regressed.has(c.metric) ? 'regression' : 'no regression', tip: `${r.campaign} ${at}: ${c.metric} ${delta(c.ratio)} (${c.verdict})${regressed.has(c.metric) ? ', regression' : ''}` }));
    });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Candidate ÷ baseline over time, per metric', subtitle: 'Triangles: a regression against the previous run (paired, Holm-corrected).' },
    data: { values },
    facet: { row: { field: 'metric', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 640,
      height: 120,
      encoding: {
        x: { field: 'at', type: 'temporal', title: 'scheduled (UTC)' },
        y: { field: 'ratio', type: 'quantitative', title: 'ratio (×, log scale)', scale: { type: 'log' } },
        color: { field: 'campaign', type: 'nominal', title: 'campaign' },
      },
      layer: [
        { mark: { type: 'line' } },
        {
          mark: { type: 'point', filled: true, size: 50 },
          encoding: {
            shape: { field: 'regression', type: 'nominal', title: 'run', scale: { domain: ['no regression', 'regression'], range: ['circle', 'triangle-up'] } },
            description: { field: 'tip', type: 'nominal' },
          },
        },
      ],
    },
  } as TopLevelSpec;
}

/** The change-point section: its chart (SVG) and table (see campaign-changes.ts). */
export interface ChangeSection {
  chartSvg: string;
  tableHtml: string;
}

export function renderCampaignIndex(rows: readonly CampaignRunRow[], chartSvg: string, generatedAt: string, changes?: ChangeSection): string {
  const sorted = latestRows(rows).sort((a, b) => b.scheduled_at_us - a.scheduled_at_us);
  const body = sorted
    .map((r) => {
      const digest = parse<RunDigest>(r.summary_json, { comparisons: [], successRates: {} });
      const regressions = parse<RegressionCheck[]>(r.regressions_json, []).filter((c) => c.verdict === 'worse');
      const gates = parse<{ expression: string; passed: boolean }[]>(r.thresholds_json, []);
      const verdicts = digest.comparisons.map((c) => `${esc(c.metric)} ${esc(delta(c.ratio))} <strong data-verdict="${esc(c.verdict)}">${esc(c.verdict)}</strong>`).join('<br>');
      const gateCell = gates.length ? gates.map((g) => `${g.passed ? 'pass' : '<strong class="fail">FAIL</strong>'} ${esc(g.expression)}`).join('<br>') : '–';
      const regCell = regressions.length ? regressions.map((c) => `<strong class="fail">${esc(c.target)} ${esc(c.metric)} ${esc(delta(c.ratio))}</strong>`).join('<br>') : r.previous_run_id ? 'none' : '–';
      const set = digest.replicates ? `<br><small>replicate set: ${esc(digest.replicates.runs.length)} of ${esc(digest.replicates.planned)} runs, verdicts combined</small>` : '';
      const run = r.run_id ? `<a href="../${esc(r.run_id)}/index.html">${esc(r.run_id)}</a>${set}` : '–';
      const success = Object.entries(digest.successRates).map(([t, v]) => `${esc(t)} ${esc(pct(v))}`).join('<br>');
      return `<tr data-campaign="${esc(r.campaign)}" data-status="${esc(r.status)}"><td>${esc(new Date(r.scheduled_at_us / 1000).toISOString())}</td><td>${esc(r.campaign)}</td><td>${esc(r.status)}${r.error ? `<br><small>${esc(r.error)}</small>` : ''}</td><td>${run}</td><td>${success}</td><td>${verdicts || '–'}</td><td>${gateCell}</td><td>${regCell}</td></tr>`;
    })
    .join('');
  return `${pageHead('mirrorbench campaigns')}
<body><h1>Campaigns</h1><p>${esc(sorted.length)} scheduled runs, newest first · generated ${esc(generatedAt)}. Regressions compare each run with the previous completed run of the same scenario, paired by job (Holm-corrected); for a replicate set, its replicate 1 with the previous one's (the same seeds).</p>
<div class="chart" id="trend-chart">${chartSvg}</div>
${changes ? `<h2>Change points</h2>${changes.tableHtml}<div class="chart" id="change-point-chart">${changes.chartSvg}</div>` : ''}
<p class="population note">Every scheduled run (skipped ticks included), one row each.</p>
<div class="table-wrap"><table id="campaign-runs" class="sortable" data-population="scheduled runs"><thead><tr><th scope="col">scheduled</th><th scope="col">campaign</th><th scope="col">status</th><th scope="col">run</th><th scope="col">success</th><th scope="col">verdicts</th><th scope="col">gates</th><th scope="col">regressions</th></tr></thead><tbody>${body}</tbody></table></div>
${pageEnd}`;
}
