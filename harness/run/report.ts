// A stored run's report and its gates: what `replay` does after the run and
// what `report --run` does again later from the store alone.
import { resolve } from 'node:path';
import { DEFAULTS } from '../common/defaults.ts';
import type { Store } from '../store/store.ts';
import { buildReport, type BuildReportResult } from '../../reports/build.ts';
import { evaluateThresholds } from '../../reports/thresholds.ts';

export interface ReportedRun {
  report: BuildReportResult;
  thresholds: ReturnType<typeof evaluateThresholds>;
}

export async function reportRun(store: Store, runId: string, opts: { reportsDir?: string; thresholds: readonly string[]; signal?: AbortSignal }): Promise<ReportedRun> {
  const report = await buildReport(store, runId, { outDir: resolve(opts.reportsDir ?? DEFAULTS.reportsDir), thresholds: opts.thresholds, signal: opts.signal });
  return { report, thresholds: evaluateThresholds(report.summary, opts.thresholds) };
}
