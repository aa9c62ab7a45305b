// Charts as inline SVG, rendered at build time by Vega-Lite + Vega (no browser,
// no network): the page works offline and prints. Every chart has a legend,
// units in its axis titles, and the same colour for a target everywhere on the
// page (Okabe–Ito, distinct for the common colour-vision deficiencies; the
// target list fixes the scale's domain, so a chart where one target has no
// data does not shift the others' colours). Hover text: each point carries a
// `tip` that Vega writes as the mark's aria-label, which the page's small
// script shows as a tooltip (reports/page.ts).
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { secs } from './format.ts';
import type { DecisionRow, ReportSummary } from './summary-types.ts';

export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
/** Categories that are not targets (error classes, metrics) take Paul Tol's muted scheme, so they never read as a target. */
export const TOL_MUTED = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#DDDDDD'];

const CONFIG = {
  font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
  range: { category: OKABE_ITO },
  axis: { labelFontSize: 12, titleFontSize: 12, gridColor: '#e5e5e5' },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', direction: 'horizontal', columns: 4 },
  title: { fontSize: 14, anchor: 'start' },
  view: { stroke: null },
} as const;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
/** Whole trace hours on the axis, never "0.4". */
const HOUR_AXIS = { format: 'd', tickMinStep: 1 } as const;
const WIDTH = 640;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** The page's target colours: one scale, the same domain in every chart. */
export function targetColor(targets: readonly string[]) {
  return { field: 'target', type: 'nominal', title: 'target', scale: { domain: [...targets], range: OKABE_ITO.slice(0, Math.max(1, targets.length)) } } as const;
}

/** Dashes by target as well as colour (for print and colour-blind readers), merged into the colour legend. */
const targetDash = (targets: readonly string[]) => ({ field: 'target', type: 'nominal', title: 'target', scale: { domain: [...targets] } }) as const;

const hoverPoints = (size = 24) => ({ mark: { type: 'point', filled: true, size, opacity: 0.85 }, encoding: { description: { field: 'tip', type: 'nominal' } } }) as const;

const n3 = (v: number) => String(Number(v.toPrecision(3)));

/** The frame every single-view chart shares: full width, a title with its subtitle, inline data. */
const frame = (height: number, text: string, subtitle: string | undefined, values: unknown[]) => ({ $schema: SCHEMA, width: WIDTH, height, title: subtitle ? { text, subtitle } : { text }, data: { values } });

/** Latency CDF of all jobs: failed jobs never finish, so each curve levels off at the target's success rate. */
export function cdfChart(series: { target: string; quantiles: number[] }[], targets: readonly Pick<ReportSummary['targets'][number], 'name' | 'successRate'>[]): TopLevelSpec {
  const names = targets.map((t) => t.name);
  const success = new Map(targets.map((t) => [t.name, t.successRate]));
  const values = series.flatMap((s) =>
    s.quantiles.map((v, i) => {
      const p = ((i + 1) / 100) * (success.get(s.target) ?? 1);
      return { target: s.target, latency: Math.max(v, 1e-3), p, tip: `${s.target}: ${(p * 100).toFixed(0)}% of all jobs done within ${secs(v)}` };
    }),
  );
  return {
    ...frame(300, 'Latency distribution, failed jobs included', 'A failed job never finishes: each curve levels off at its target’s success rate. Trace time.', values),
    encoding: {
      x: { field: 'latency', type: 'quantitative', scale: { type: 'log' }, title: 'latency from intended send (s, log scale)' },
      y: { field: 'p', type: 'quantitative', title: 'jobs done by then (% of all jobs)', axis: { format: '%' }, scale: { domain: [0, 1] } },
      color: targetColor(names),
    },
    layer: [{ mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 }, encoding: { strokeDash: targetDash(names) } }, hoverPoints(10)],
  } as TopLevelSpec;
}

/** p50 and p99 per trace hour of submission, each with its interval as a band. */
export function latencyOverTimeChart(rows: ReportSummary['timeline']['latency'], targets: readonly string[]): TopLevelSpec {
  const values = rows.flatMap((r) =>
    (['p50', 'p99'] as const).map((q) => {
      const v = q === 'p50' ? r.p50 : r.p99;
      const lo = q === 'p50' ? r.p50Lo : r.p99Lo;
      const hi = q === 'p50' ? r.p50Hi : r.p99Hi;
      return { target: r.target, hour: r.hour, quantile: q, v: Math.max(v, 1e-3), lo: Math.max(lo, 1e-3), hi: Math.max(hi, 1e-3), tip: `${r.target}, hour ${r.hour}: ${q} ${secs(v)} [${secs(lo)}, ${secs(hi)}], ${r.n} jobs` };
    }),
  );
  return {
    ...frame(260, 'Latency p50 and p99 per trace hour', 'Completed jobs by hour of submission; bands are distribution-free intervals of each quantile.', values),
    encoding: {
      x: { field: 'hour', type: 'quantitative', title: 'trace hour since the first submission (h)', axis: HOUR_AXIS },
      color: targetColor(targets),
    },
    layer: [
      { mark: { type: 'area', opacity: 0.15 }, encoding: { y: { field: 'lo', type: 'quantitative', scale: { type: 'log' }, title: 'latency (s, log scale)' }, y2: { field: 'hi' }, detail: { field: 'quantile', type: 'nominal' } } },
      { mark: { type: 'line', strokeWidth: 1.8 }, encoding: { y: { field: 'v', type: 'quantitative' }, strokeDash: { field: 'quantile', type: 'nominal', title: 'quantile', scale: { domain: ['p50', 'p99'], range: [[1, 0], [5, 3]] } } } },
      { ...hoverPoints(16), encoding: { ...hoverPoints(16).encoding, y: { field: 'v', type: 'quantitative' }, shape: { field: 'quantile', type: 'nominal', title: 'quantile', scale: { domain: ['p50', 'p99'], range: ['circle', 'triangle-up'] } } } },
    ],
  } as TopLevelSpec;
}

/** Failed jobs per trace hour of outcome, stacked by error class, one row per target; null when nothing failed. */
export function failuresOverTimeChart(rows: ReportSummary['timeline']['failures'], targets: readonly string[]): TopLevelSpec | null {
  if (!rows.length) return null;
  const present = targets.filter((t) => rows.some((r) => r.target === t));
  return {
    $schema: SCHEMA,
    title: { text: 'Failed jobs per trace hour, by error class', subtitle: `Rows: ${present.join(', ')} (targets with no failure are left out).` },
    data: { values: rows.map((r) => ({ ...r, tip: `${r.target}, hour ${r.hour}: ${r.count} × ${r.errorClass}` })) },
    facet: { row: { field: 'target', type: 'nominal', title: 'target', sort: present } },
    spec: {
      width: WIDTH,
      height: 110,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'hour', type: 'quantitative', title: 'trace hour of the outcome (h)', bin: { step: 1 }, axis: HOUR_AXIS },
        y: { field: 'count', type: 'quantitative', aggregate: 'sum', title: 'failed jobs' },
        color: { field: 'errorClass', type: 'nominal', title: 'error class', scale: { range: TOL_MUTED } },
        description: { field: 'tip', type: 'nominal' },
      },
    },
  } as TopLevelSpec;
}

/** A per-target line over trace hours; `step` draws a level held until the next hour. */
function perHourChart(title: { text: string; subtitle?: string }, values: ({ target: string; hour: number } & Record<string, unknown>)[], field: string, axis: string, targets: readonly string[], opts: { height: number; step: boolean; xTitle?: string }): TopLevelSpec {
  return {
    ...frame(opts.height, title.text, title.subtitle, values),
    encoding: {
      x: { field: 'hour', type: 'quantitative', title: opts.xTitle ?? 'trace hour (h)', axis: HOUR_AXIS },
      y: { field, type: 'quantitative', title: axis },
      color: targetColor(targets),
    },
    layer: [{ mark: opts.step ? { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 } : { type: 'line', strokeWidth: 1.8 }, encoding: { strokeDash: targetDash(targets) } }, hoverPoints(16)],
  } as TopLevelSpec;
}

export function overTimeChart(rows: { target: string; hour: number; completed: number }[], targets: readonly string[]): TopLevelSpec {
  return perHourChart({ text: 'Completed jobs per trace hour' }, rows.map((r) => ({ ...r, tip: `${r.target}, hour ${r.hour}: ${r.completed} completed` })), 'completed', 'jobs completed (per hour)', targets, { height: 220, step: false, xTitle: 'trace hour of the outcome (h)' });
}

export function inFlightChart(rows: { target: string; hour: number; inFlight: number }[], targets: readonly string[]): TopLevelSpec {
  return perHourChart({ text: 'Jobs in flight per trace hour' }, rows.map((r) => ({ ...r, tip: `${r.target}, hour ${r.hour}: ${r.inFlight} in flight` })), 'inFlight', 'jobs in flight', targets, { height: 200, step: true });
}

/** Cumulative cost in USD by trace hour of outcome. */
export function cumulativeCostChart(rows: ReportSummary['timeline']['cost'], targets: readonly string[]): TopLevelSpec {
  const values: { target: string; hour: number; total: number; tip: string }[] = [];
  for (const t of targets) {
    let total = 0;
    for (const r of rows.filter((x) => x.target === t).sort((a, b) => a.hour - b.hour)) {
      total += r.costUsd;
      values.push({ target: t, hour: r.hour, total, tip: `${t}, by hour ${r.hour}: ${n3(total)} USD spent` });
    }
  }
  return perHourChart({ text: 'Cumulative cost', subtitle: 'USD at each target’s exchange rate when charged, by trace hour of the job’s outcome.' }, values, 'total', 'cost so far (USD)', targets, { height: 220, step: true, xTitle: 'trace hour of the outcome (h)' });
}

/** Providers online per hour, and provider losses per running provider-hour (queue time excluded). */
export function providersChart(online: ReportSummary['timeline']['providersOnline'], cost: ReportSummary['timeline']['cost'], targets: readonly string[]): TopLevelSpec {
  const losses = cost.filter((r) => r.lossesPerRunningHour !== null).map((r) => ({ target: r.target, hour: r.hour, rate: r.lossesPerRunningHour, tip: `${r.target}, hour ${r.hour}: ${r.losses} losses over ${n3(r.runningHours)} running provider-hours` }));
  const color = targetColor(targets);
  return {
    $schema: SCHEMA,
    title: { text: 'Providers online, and provider losses per running provider-hour' },
    vconcat: [
      {
        width: WIDTH,
        height: 160,
        data: { values: online.map((r) => ({ ...r, tip: `${r.target}, hour ${r.hour}: ${r.online} providers online` })) },
        encoding: { x: { field: 'hour', type: 'quantitative', title: 'trace hours since the target’s provider stream began (h)', axis: HOUR_AXIS }, y: { field: 'online', type: 'quantitative', title: 'providers online' }, color },
        layer: [{ mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 }, encoding: { strokeDash: targetDash(targets) } }, hoverPoints(14)],
      },
      {
        width: WIDTH,
        height: 160,
        data: { values: losses },
        encoding: { x: { field: 'hour', type: 'quantitative', title: 'trace hour of the job’s outcome (h)', axis: HOUR_AXIS }, y: { field: 'rate', type: 'quantitative', title: 'losses per running provider-hour', axis: { format: '~g' } }, color },
        layer: [{ mark: { type: 'line', strokeWidth: 1.8 }, encoding: { strokeDash: targetDash(targets) } }, hoverPoints(16)],
      },
    ],
  } as TopLevelSpec;
}

/** How the candidate ÷ baseline latency ratio is spread over jobs completed on both. */
export function ratioHistogramChart(bins: ReportSummary['timeline']['perJobRatios'], baseline: string, candidate: string, targets: readonly string[]): TopLevelSpec {
  const total = bins.reduce((a, b) => a + b.count, 0);
  const values = bins.map((b) => ({ ...b, target: candidate, tip: `${n3(b.lo)}× to ${n3(b.hi)}×: ${b.count} jobs (${((100 * b.count) / Math.max(1, total)).toFixed(1)}%)` }));
  return {
    $schema: SCHEMA,
    width: WIDTH,
    height: 200,
    title: { text: `Per-job latency ratio, ${candidate} ÷ ${baseline}`, subtitle: `Jobs completed on both (n = ${total}); left of the dashed line the candidate was faster.` },
    layer: [
      {
        data: { values },
        mark: { type: 'rect', opacity: 0.85, stroke: '#fff', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'lo', type: 'quantitative', scale: { type: 'log' }, title: 'latency ratio per job (×, log scale)' },
          x2: { field: 'hi' },
          y: { field: 'count', type: 'quantitative', title: 'jobs' },
          y2: { datum: 0 },
          color: targetColor(targets),
          description: { field: 'tip', type: 'nominal' },
        },
      },
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { x: { field: 'one', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** Per workload: each ratio with its interval, on a log axis with "no change" marked. */
export function forestChart(rows: readonly DecisionRow[]): TopLevelSpec {
  const metrics = [
    ['cost per job', (r: DecisionRow) => r.costRatio],
    ['p50 latency', (r: DecisionRow) => r.p50Ratio],
    ['p99 latency', (r: DecisionRow) => r.p99Ratio],
  ] as const;
  // A task type that runs under one profile only is named alone: shorter labels, nothing lost.
  const profilesOf = new Map<string, number>();
  for (const r of rows) profilesOf.set(r.taskType, (profilesOf.get(r.taskType) ?? 0) + 1);
  const name = (r: DecisionRow) => (profilesOf.get(r.taskType) === 1 ? r.taskType : `${r.taskType} · ${r.profile}`);
  const values = rows.flatMap((r) =>
    metrics
      .map(([metric, get]) => ({ workload: name(r), metric, m: get(r) }))
      .filter((x) => [x.m.estimate, x.m.ci[0], x.m.ci[1]].every((v) => Number.isFinite(v) && v > 0))
      .map((x) => ({ workload: x.workload, metric: x.metric, est: x.m.estimate, lo: x.m.ci[0], hi: x.m.ci[1], tip: `${x.workload}, ${x.metric}: ${n3(x.m.estimate)}× [${n3(x.m.ci[0])}, ${n3(x.m.ci[1])}] (${r.pairs} pairs)` })),
  );
  const order = [...new Set(rows.map(name))];
  return {
    $schema: SCHEMA,
    width: WIDTH - 120,
    height: { step: 42 },
    title: { text: 'Candidate ÷ baseline per workload, with intervals', subtitle: 'Left of the dashed line the candidate is cheaper or faster. Paired by job.' },
    layer: [
      {
        data: { values },
        encoding: {
          y: { field: 'workload', type: 'nominal', title: null, sort: order, axis: { labelLimit: 320 } },
          yOffset: { field: 'metric', type: 'nominal', sort: metrics.map((m) => m[0]) },
          color: { field: 'metric', type: 'nominal', title: 'ratio', scale: { domain: metrics.map((m) => m[0]), range: [TOL_MUTED[3], TOL_MUTED[0], TOL_MUTED[7]] } },
        },
        layer: [
          { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'lo', type: 'quantitative', scale: { type: 'log' }, title: 'ratio (×, log scale)' }, x2: { field: 'hi' } } },
          { mark: { type: 'point', filled: true, size: 50 }, encoding: { x: { field: 'est', type: 'quantitative' }, shape: { field: 'metric', type: 'nominal', title: 'ratio', sort: metrics.map((m) => m[0]) }, description: { field: 'tip', type: 'nominal' } } },
        ],
      },
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { x: { field: 'one', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

export function barChart(title: string, rows: { target: string; label: string; value: number }[], axis: string, targets: readonly string[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    width: WIDTH - 160,
    height: { step: 16 },
    title,
    data: { values: rows.map((r) => ({ ...r, tip: `${r.target}, ${r.label}: ${n3(r.value)} ${axis}` })) },
    mark: 'bar',
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: '-x' },
      yOffset: { field: 'target', type: 'nominal', scale: { domain: [...targets] } },
      x: { field: 'value', type: 'quantitative', title: axis },
      color: targetColor(targets),
      description: { field: 'tip', type: 'nominal' },
    },
  } as TopLevelSpec;
}

/** Kaplan–Meier step curves with their confidence band, one colour per target. */
export function survivalChart(title: string, axis: string, series: { target: string; curve: { t: number; s: number; lo: number; hi: number }[] }[], targets: readonly string[]): TopLevelSpec {
  // Each curve starts at S(0) = 1 so the first step is drawn.
  const values = series.flatMap((c) => [{ target: c.target, t: 0, s: 1, lo: 1, hi: 1 }, ...c.curve.map((p) => ({ target: c.target, ...p }))].map((p) => ({ ...p, tip: `${p.target}: ${(p.s * 100).toFixed(0)}% [${(p.lo * 100).toFixed(0)}, ${(p.hi * 100).toFixed(0)}] still up at ${n3(p.t)} h` })));
  return {
    ...frame(240, title, 'Kaplan–Meier estimate; the band is its pointwise confidence interval.', values),
    encoding: {
      x: { field: 't', type: 'quantitative', title: axis },
      color: targetColor(targets),
    },
    layer: [
      { mark: { type: 'area', interpolate: 'step-after', opacity: 0.18 }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      {
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: { y: { field: 's', type: 'quantitative', title: 'still up (%, Kaplan–Meier)', axis: { format: '%' }, scale: { domain: [0, 1] } }, strokeDash: targetDash(targets) },
      },
      { ...hoverPoints(12), encoding: { ...hoverPoints(12).encoding, y: { field: 's', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}
