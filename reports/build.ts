// A run's report: queries → statistics → index.html + summary.json under
// <outDir>/<runId>/.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../harness/store/store.ts';
import { barChart, cdfChart, cumulativeCostChart, failuresOverTimeChart, forestChart, inFlightChart, latencyOverTimeChart, overTimeChart, providersChart, ratioHistogramChart, renderSvg, survivalChart } from './charts.ts';
import { harnessQueueSection } from './harness-queue-section.ts';
import { llmHtmlSection } from './llm-section.ts';
import { renderHtml, type ExtraSection, type ReportCharts } from './html.ts';
import { render as renderSequentialStop } from './sequential-stop.ts';
import { summarize, type ReportSummary } from './summary.ts';

export type { ReportSummary } from './summary.ts';

/** Sections other parts of mirrorbench add to the page (see ExtraSection in html.ts). */
export const EXTRA_SECTIONS: ExtraSection[] = [{ id: 'sequential-stop', title: 'Sequential stopping', after: 'verdict', render: renderSequentialStop }, harnessQueueSection, llmHtmlSection];

export interface BuildReportResult {
  dir: string;
  htmlPath: string;
  summaryPath: string;
  summary: ReportSummary;
}

export async function buildReport(store: Store, runId: string, opts: { outDir: string; thresholds?: readonly string[]; signal?: AbortSignal }): Promise<BuildReportResult> {
  const summary = await summarize(store, runId, { thresholds: opts.thresholds, signal: opts.signal });
  const charts = await renderCharts(summary);
  const dir = join(opts.outDir, runId);
  await mkdir(dir, { recursive: true });
  const htmlPath = join(dir, 'index.html');
  const summaryPath = join(dir, 'summary.json');
  await writeFile(htmlPath, renderHtml(summary, charts, EXTRA_SECTIONS));
  await writeFile(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  return { dir, htmlPath, summaryPath, summary };
}

/**
 * The summary the charts draw: the noise floor's A/A twin left out of every
 * per-target chart (latency, cost and failures over time, providers, cost per
 * unit), which compare the scenario's targets; its figures stay in the tables, marked.
 */
function withoutTwin(s: ReportSummary): ReportSummary {
  const twins = new Set(s.targets.filter((t) => t.aaTwinOf !== undefined).map((t) => t.name));
  if (!twins.size) return s;
  const keep = <T extends { target: string }>(rows: readonly T[]) => rows.filter((r) => !twins.has(r.target));
  return {
    ...s,
    targets: s.targets.filter((t) => !twins.has(t.name)),
    cdf: keep(s.cdf),
    overTime: keep(s.overTime),
    inFlight: keep(s.inFlight),
    errorClasses: keep(s.errorClasses),
    survival: keep(s.survival),
    timeline: { ...s.timeline, latency: keep(s.timeline.latency), failures: keep(s.timeline.failures), cost: keep(s.timeline.cost), providersOnline: keep(s.timeline.providersOnline) },
  };
}

/** Every chart of the page as SVG; '' where a chart has nothing to show. */
export async function renderCharts(full: ReportSummary): Promise<ReportCharts> {
  const summary = withoutTwin(full);
  const names = summary.targets.map((t) => t.name);
  const sessions = summary.survival.filter((c) => c.kind === 'provider_session');
  const firstLoss = summary.survival.filter((c) => c.kind === 'first_loss');
  const svg = (spec: Parameters<typeof renderSvg>[0] | null) => () => (spec ? renderSvg(spec) : Promise.resolve(''));
  const tl = summary.timeline;
  const failures = failuresOverTimeChart(tl.failures, names);
  const entries = {
    cdf: svg(cdfChart(summary.cdf, summary.targets)),
    latencyOverTime: svg(tl.latency.length ? latencyOverTimeChart(tl.latency, names) : null),
    ratioHistogram: svg(summary.candidate && tl.perJobRatios.length ? ratioHistogramChart(tl.perJobRatios, summary.baseline, summary.candidate, names) : null),
    forest: svg(summary.decision?.rows.length ? forestChart(summary.decision.rows) : null),
    overTime: svg(overTimeChart(summary.overTime, names)),
    inFlight: svg(inFlightChart(summary.inFlight, names)),
    cumulativeCost: svg(tl.cost.length ? cumulativeCostChart(tl.cost, names) : null),
    cost: svg(
      barChart(
        'Cost per unit (USD)',
        summary.targets.flatMap((t) => [
          { target: t.name, label: 'per 1000 jobs', value: t.costUsd.perJob * 1000 },
          { target: t.name, label: 'per useful GPU-hour', value: t.costUsd.perUsefulGpuHour },
          { target: t.name, label: 'per billed GPU-hour', value: t.costUsd.perWallGpuHour },
        ]),
        'USD',
        names,
      ),
    ),
    failuresOverTime: svg(failures),
    errors: svg(summary.errorClasses.length ? barChart('Failed jobs by error class', summary.errorClasses.map((e) => ({ target: e.target, label: e.errorClass, value: e.count })), 'jobs', names) : null),
    providers: svg(tl.providersOnline.length || tl.cost.length ? providersChart(tl.providersOnline, tl.cost, names) : null),
    sessionSurvival: svg(sessions.length ? survivalChart('Provider online sessions', 'session length (trace hours)', sessions, names) : null),
    lossSurvival: svg(firstLoss.length ? survivalChart('Time to first provider loss', 'hours since the first provider was assigned (trace hours)', firstLoss, names) : null),
  };
  // One chart at a time: Vega's rendering is CPU-bound, and the page's order is kept.
  const out: Partial<ReportCharts> = {};
  for (const [k, render] of Object.entries(entries)) out[k as keyof ReportCharts] = await render();
  return out as ReportCharts;
}
