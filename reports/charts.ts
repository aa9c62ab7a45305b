// Charts as inline SVG, rendered at build time by Vega-Lite + Vega (no browser,
// no network): the page works offline and prints. Okabe–Ito colours, which
// stay distinct for the common colour-vision deficiencies.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

const CONFIG = {
  font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
  range: { category: OKABE_ITO },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e5e5e5' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' },
  view: { stroke: null },
} as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export function cdfChart(series: { target: string; quantiles: number[] }[]): TopLevelSpec {
  const values = series.flatMap((s) => s.quantiles.map((v, i) => ({ target: s.target, latency: Math.max(v, 1e-3), p: (i + 1) / 100 })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 640,
    height: 300,
    title: 'Latency distribution (completed jobs, trace seconds, log scale)',
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: {
      x: { field: 'latency', type: 'quantitative', scale: { type: 'log' }, title: 'latency from intended send (s)' },
      y: { field: 'p', type: 'quantitative', title: 'fraction of jobs', axis: { format: '%' } },
      color: { field: 'target', type: 'nominal', title: 'target' },
      strokeDash: { field: 'target', type: 'nominal', legend: null },
    },
  };
}

/** A per-target line over trace hours; `step` draws a level held until the next hour. */
function perHourChart<K extends string>(title: string, rows: ({ target: string; hour: number } & Record<K, number>)[], field: K, axis: string, opts: { height: number; step: boolean }): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 640,
    height: opts.height,
    title,
    data: { values: rows },
    mark: opts.step ? { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 } : { type: 'line', point: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'hour', type: 'quantitative', title: 'trace hour' },
      y: { field, type: 'quantitative', title: axis },
      color: { field: 'target', type: 'nominal', title: 'target' },
      strokeDash: { field: 'target', type: 'nominal', legend: null },
    },
  };
}

export function overTimeChart(rows: { target: string; hour: number; completed: number }[]): TopLevelSpec {
  return perHourChart('Completed jobs per trace hour', rows, 'completed', 'jobs completed', { height: 220, step: false });
}

export function barChart(title: string, rows: { target: string; label: string; value: number }[], axis: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 640,
    height: { step: 18 },
    title,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: '-x' },
      yOffset: { field: 'target' },
      x: { field: 'value', type: 'quantitative', title: axis },
      color: { field: 'target', type: 'nominal', title: 'target' },
    },
  };
}

export function inFlightChart(rows: { target: string; hour: number; inFlight: number }[]): TopLevelSpec {
  return perHourChart('Jobs in flight per trace hour', rows, 'inFlight', 'jobs in flight', { height: 200, step: true });
}

/** Kaplan–Meier step curves with their confidence band, one colour per target. */
export function survivalChart(title: string, axis: string, series: { target: string; curve: { t: number; s: number; lo: number; hi: number }[] }[]): TopLevelSpec {
  // Each curve starts at S(0) = 1 so the first step is drawn.
  const values = series.flatMap((c) => [{ target: c.target, t: 0, s: 1, lo: 1, hi: 1 }, ...c.curve.map((p) => ({ target: c.target, ...p }))]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 640,
    height: 240,
    title,
    data: { values },
    encoding: {
      x: { field: 't', type: 'quantitative', title: axis },
      color: { field: 'target', type: 'nominal', title: 'target' },
    },
    layer: [
      { mark: { type: 'area', interpolate: 'step-after', opacity: 0.18 }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      {
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: { y: { field: 's', type: 'quantitative', title: 'still up (Kaplan–Meier)', axis: { format: '%' }, scale: { domain: [0, 1] } }, strokeDash: { field: 'target', type: 'nominal', legend: null } },
      },
    ],
  };
}
