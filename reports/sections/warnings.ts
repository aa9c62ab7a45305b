// The warnings on the report's first screen: what limits how far its figures
// can be trusted, each with a severity — blocking (do not decide on this run),
// caution (read the figure it names with care), note (context). Pure, over
// the finished summary.
import { DEFAULTS } from '../../harness/common/defaults.ts';
import type { ReportSummary, Warning } from '../summary-types.ts';
import type { RunConfig } from './run-config.ts';

/**
 * Harness lateness beyond this (ms) is blocking: arrivals a second or more
 * late change queueing and concurrency on the targets, so the latency
 * comparison no longer describes the trace. Over the bound but below this, the
 * replay was merely imprecise.
 */
export const BLOCKING_LATENESS_MS = 1_000;

const SEVERITY_ORDER = { blocking: 0, caution: 1, note: 2 } as const;

export function warningsOf(summary: Omit<ReportSummary, 'warnings' | 'bottomLine' | 'thresholds'>, config: RunConfig): Warning[] {
  const warnings: Warning[] = [];
  const { minSamples } = config.report;
  const bound = DEFAULTS.replay.latenessBoundMs;
  for (const t of summary.targets) {
    if (t.lateness.p99Ms > bound) {
      warnings.push({
        severity: t.lateness.p99Ms > BLOCKING_LATENESS_MS ? 'blocking' : 'caution',
        code: 'harness-lateness',
        message: `Harness lateness p99 on ${t.name} is ${t.lateness.p99Ms.toFixed(1)} ms, over the ${bound} ms bound: arrivals were not replayed on time.`,
      });
    }
    if (t.completed < minSamples) warnings.push({ severity: 'caution', code: 'few-samples', message: `Only ${t.completed} completed jobs on ${t.name}: fewer than ${minSamples}, percentiles are not trustworthy.` });
  }
  for (const t of summary.targets) {
    if (t.withheld > 0) {
      warnings.push({
        severity: 'note',
        code: 'withheld',
        message: `${t.withheld} jobs (${((100 * t.withheld) / (t.withheld + t.jobs)).toFixed(1)}%) were withheld from ${t.name} by the data policy: its figures and the paired comparisons cover the other jobs only.`,
      });
    }
  }
  if (config.skippedLines > 0) warnings.push({ severity: 'caution', code: 'skipped-lines', message: `${config.skippedLines} malformed trace lines were skipped (policy "skip"): those jobs were not replayed.` });
  if (summary.run.status !== 'completed') warnings.push({ severity: 'blocking', code: 'run-incomplete', message: `The run is ${summary.run.status}: it did not replay the whole trace.` });
  if (summary.assumptions.length) warnings.push({ severity: 'note', code: 'assumptions', message: `${summary.assumptions.length} simulator parameters are assumptions ([A]); see "Assumptions" and test them with sweeps.` });
  return warnings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
