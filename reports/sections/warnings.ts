// The warnings on the report's first screen: what limits how far its figures
// can be trusted. Pure, over the finished summary.
import { DEFAULTS } from '../../harness/common/defaults.ts';
import type { ReportSummary } from '../summary-types.ts';
import type { RunConfig } from './run-config.ts';

export function warningsOf(summary: Omit<ReportSummary, 'warnings'>, config: RunConfig): string[] {
  const warnings: string[] = [];
  const { minSamples } = config.report;
  for (const t of summary.targets) {
    if (t.lateness.p99Ms > DEFAULTS.replay.latenessBoundMs) warnings.push(`Harness lateness p99 on ${t.name} is ${t.lateness.p99Ms.toFixed(1)} ms, over the ${DEFAULTS.replay.latenessBoundMs} ms bound: arrivals were not replayed on time.`);
    if (t.completed < minSamples) warnings.push(`Only ${t.completed} completed jobs on ${t.name}: fewer than ${minSamples}, percentiles are not trustworthy.`);
  }
  for (const t of summary.targets) {
    if (t.withheld > 0) warnings.push(`${t.withheld} jobs (${((100 * t.withheld) / (t.withheld + t.jobs)).toFixed(1)}%) were withheld from ${t.name} by the data policy: its figures and the paired comparisons cover the other jobs only.`);
  }
  if (config.skippedLines > 0) warnings.push(`${config.skippedLines} malformed trace lines were skipped (policy "skip"): those jobs were not replayed.`);
  if (summary.run.status !== 'completed') warnings.push(`The run is ${summary.run.status}: it did not replay the whole trace.`);
  if (summary.assumptions.length) warnings.push(`${summary.assumptions.length} simulator parameters are assumptions ([A]); see "Assumptions" and test them with sweeps.`);
  return warnings;
}
