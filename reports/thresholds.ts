// Campaign gates: "p99_ratio < 1.5", "success_rate > 0.98",
// "decentralized.p99 <= 120". A failing gate makes `mirrorbench report` exit 3.
import { UsageError } from '../harness/common/errors.ts';
import { errorMessage } from '../harness/common/errors.ts';
import type { ReportSummary, TargetSummary, ThresholdResult } from './summary-types.ts';

/** What a gate reads: the comparisons and the per-target figures. */
type Gated = Pick<ReportSummary, 'comparisons' | 'targets'>;

const OPS = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '==': (a: number, b: number) => a === b,
} as const;

const TARGET_METRICS: Record<string, (t: TargetSummary) => number> = {
  success_rate: (t) => t.successRate,
  p50: (t) => t.latency.p50,
  p90: (t) => t.latency.p90,
  p99: (t) => t.latency.p99,
  cost_per_job: (t) => t.costUsd.perJob,
  cost_total: (t) => t.costUsd.total,
  throughput: (t) => t.throughputJobsPerHour,
  losses_per_job_hour: (t) => t.lossesPerJobHour,
  losses_per_running_hour: (t) => t.lossesPerRunningHour,
};

const RATIOS: Record<string, string> = {
  p50_ratio: 'p50 latency',
  p90_ratio: 'p90 latency',
  p99_ratio: 'p99 latency',
  cost_ratio: 'cost per job',
  success_ratio: 'success rate',
};

function metricValue(s: Gated, metric: string, expr: string): number {
  if (metric in RATIOS) {
    const c = s.comparisons.find((x) => x.metric === RATIOS[metric]);
    if (!c) throw new UsageError(`threshold "${expr}": ${metric} needs two targets to compare`);
    return c.ratio;
  }
  const dot = metric.indexOf('.');
  if (dot > 0) {
    const name = metric.slice(0, dot);
    const m = metric.slice(dot + 1);
    const t = s.targets.find((x) => x.name === name);
    if (!t) throw new UsageError(`threshold "${expr}": no target "${name}" in this run (targets: ${s.targets.map((x) => x.name).join(', ')})`);
    const f = TARGET_METRICS[m];
    if (!f) throw new UsageError(`threshold "${expr}": unknown metric "${m}"; known: ${Object.keys(TARGET_METRICS).join(', ')}`);
    return f(t);
  }
  const f = TARGET_METRICS[metric];
  if (!f) throw new UsageError(`threshold "${expr}": unknown metric "${metric}"; known: ${[...Object.keys(RATIOS), ...Object.keys(TARGET_METRICS), '<target>.<metric>'].join(', ')}`);
  // Without a target, the gate must hold for every target: take the worst one.
  const values = s.targets.map(f);
  const higherIsBetter = metric === 'success_rate' || metric === 'throughput';
  return higherIsBetter ? Math.min(...values) : Math.max(...values);
}

/** Parses a gate without a run: the syntax and the metric name (target names are checked against a run). */
export function parseThreshold(expression: string): { metric: string; op: keyof typeof OPS; bound: number } {
  const m = /^\s*([A-Za-z0-9_.-]+)\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/.exec(expression);
  if (!m) throw new UsageError(`threshold "${expression}": expected "<metric> <op> <number>", e.g. "p99_ratio < 1.5"`);
  const [, metric, op, num] = m as unknown as [string, string, keyof typeof OPS, string];
  const bare = metric.includes('.') ? metric.slice(metric.indexOf('.') + 1) : metric;
  if (!(bare in TARGET_METRICS) && !(metric in RATIOS)) {
    throw new UsageError(`threshold "${expression}": unknown metric "${bare}"; known: ${[...Object.keys(RATIOS), ...Object.keys(TARGET_METRICS), '<target>.<metric>'].join(', ')}`);
  }
  return { metric, op, bound: Number(num) };
}

function evaluateOne(s: Gated, expression: string): ThresholdResult {
  const { metric, op, bound } = parseThreshold(expression);
  const value = metricValue(s, metric, expression);
  const passed = OPS[op](value, bound);
  return { expression, passed, value: Number.isFinite(value) ? value : null, detail: `${metric} = ${Number.isFinite(value) ? Number(value.toPrecision(4)) : 'n/a'}` };
}

/** Evaluates gates; an expression that does not apply to this run throws (a usage error for the CLI). */
export function evaluateThresholds(s: Gated, expressions: readonly string[]): { passed: boolean; results: ThresholdResult[] } {
  const results = expressions.map((e) => evaluateOne(s, e));
  return { passed: results.every((r) => r.passed), results };
}

/** The same for summary.json: a gate that does not apply is a failed result saying why, never a failed report. */
export function thresholdResults(s: Gated, expressions: readonly string[]): { passed: boolean; results: ThresholdResult[] } {
  const results = [...new Set(expressions)].map((expression): ThresholdResult => {
    try {
      return evaluateOne(s, expression);
    } catch (err) {
      return { expression, passed: false, value: null, detail: errorMessage(err) };
    }
  });
  return { passed: results.every((r) => r.passed), results };
}
