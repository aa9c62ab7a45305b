// A run's report: queries → statistics → index.html + summary.json under
// <outDir>/<runId>/.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../harness/store/store.ts';
import { barChart, cdfChart, inFlightChart, overTimeChart, renderSvg, survivalChart } from './charts.ts';
import { renderHtml } from './html.ts';
import { summarize, type ReportSummary } from './summary.ts';

export type { ReportSummary } from './summary.ts';

export interface BuildReportResult {
  dir: string;
  htmlPath: string;
  summaryPath: string;
  summary: ReportSummary;
}

export async function buildReport(store: Store, runId: string, opts: { outDir: string; thresholds?: readonly string[] }): Promise<BuildReportResult> {
  const summary = await summarize(store, runId, { thresholds: opts.thresholds });
  const sessions = summary.survival.filter((c) => c.kind === 'provider_session');
  const firstLoss = summary.survival.filter((c) => c.kind === 'first_loss');
  const [cdf, overTime, cost, errors, inFlight, sessionSurvival, lossSurvival] = await Promise.all([
    renderSvg(cdfChart(summary.cdf)),
    renderSvg(overTimeChart(summary.overTime)),
    renderSvg(
      barChart(
        'Cost in USD',
        summary.targets.flatMap((t) => [
          { target: t.name, label: 'per job ×1000', value: t.costUsd.perJob * 1000 },
          { target: t.name, label: 'per useful GPU-hour', value: t.costUsd.perUsefulGpuHour },
          { target: t.name, label: 'per billed GPU-hour', value: t.costUsd.perWallGpuHour },
        ]),
        'USD',
      ),
    ),
    renderSvg(barChart('Failed jobs by error class', summary.errorClasses.map((e) => ({ target: e.target, label: e.errorClass, value: e.count })), 'jobs')),
    renderSvg(inFlightChart(summary.inFlight)),
    sessions.length ? renderSvg(survivalChart('Provider online sessions', 'session length (trace hours)', sessions)) : Promise.resolve(''),
    firstLoss.length ? renderSvg(survivalChart('Time to first provider loss', 'hours since the first provider was assigned (trace time)', firstLoss)) : Promise.resolve(''),
  ]);
  const dir = join(opts.outDir, runId);
  await mkdir(dir, { recursive: true });
  const htmlPath = join(dir, 'index.html');
  const summaryPath = join(dir, 'summary.json');
  await writeFile(htmlPath, renderHtml(summary, { cdf, overTime, cost, errors, inFlight, sessionSurvival, lossSurvival }));
  await writeFile(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  return { dir, htmlPath, summaryPath, summary };
}
