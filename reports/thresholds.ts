// Campaign gates: "p99_ratio < 1.5", "success_rate > 0.98",
// "decentralized.p99 <= 120". A failing gate makes `mirrorbench report` exit 3.
import { NO_PAIRS } from '../harness/stats/paired-compare.ts';
import { UsageError } from '../harness/common/errors.ts';
import { errorMessage } from '../harness/common/errors.ts';
import type { LlmTargetSummary, ReportSummary, TargetSummary, ThresholdResult } from './summary-types.ts';

/** What a gate reads: the comparisons and the per-target figures (LLM figures when the run has token-counted requests). */
type Gated = Pick<ReportSummary, 'comparisons' | 'targets' | 'baseline' | 'candidate'> & Partial<Pick<ReportSummary, 'llm'>>;

const OPS = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '==': (a: number, b: number) => a === b,
} as const;

/**
 * Each metric with what a target needs for it to mean anything: latency
 * quantiles need a completed job (the store's quantile of nothing reads 0,
 * which would pass "p99 < 1"), rates and costs need a job sent.
 */
const TARGET_METRICS: Record<string, { of: (t: TargetSummary) => number; needs: 'jobs' | 'completed' }> = {
  success_rate: { of: (t) => t.successRate, needs: 'jobs' },
  p50: { of: (t) => t.latency.p50, needs: 'completed' },
  p90: { of: (t) => t.latency.p90, needs: 'completed' },
  p99: { of: (t) => t.latency.p99, needs: 'completed' },
  cost_per_job: { of: (t) => t.costUsd.perJob, needs: 'jobs' },
  cost_total: { of: (t) => t.costUsd.total, needs: 'jobs' },
  throughput: { of: (t) => t.throughputJobsPerHour, needs: 'jobs' },
  losses_per_job_hour: { of: (t) => t.lossesPerJobHour, needs: 'jobs' },
  losses_per_running_hour: { of: (t) => t.lossesPerRunningHour, needs: 'jobs' },
};

/**
 * LLM requests' figures per target (reports/sections/llm.ts): TTFT and TPOT
 * quantiles in seconds (a bound may say "3s" or "100ms"), goodput as a share
 * and a rate per second. null: the target has no such figure.
 */
const LLM_METRICS: Record<string, { of: (t: LlmTargetSummary) => number | null | undefined; time: boolean; higherIsBetter?: boolean }> = {
  ttft_p50: { of: (t) => t.ttft?.p50, time: true },
  ttft_p90: { of: (t) => t.ttft?.p90, time: true },
  ttft_p99: { of: (t) => t.ttft?.p99, time: true },
  tpot_p50: { of: (t) => t.tpot?.p50, time: true },
  tpot_p90: { of: (t) => t.tpot?.p90, time: true },
  tpot_p99: { of: (t) => t.tpot?.p99, time: true },
  goodput_ratio: { of: (t) => t.goodput?.share, time: false, higherIsBetter: true },
  goodput_rate: { of: (t) => t.goodput?.ratePerSecond, time: false, higherIsBetter: true },
};

function llmValue(s: Gated, target: string, metric: string): Measured {
  const t = s.llm?.targets.find((x) => x.target === target);
  if (!t || t.requests === 0) return { value: null, noData: `no token-counted LLM request was sent to ${target}` };
  if (metric.startsWith('goodput') && !s.llm?.slo) return { value: null, noData: 'the scenario gives no slo: { ttftMs, tpotMs }, so no goodput' };
  if (!t.streaming) return { value: null, noData: `${target} sent no first-token event (it does not stream), so no ${metric}` };
  const v = LLM_METRICS[metric]!.of(t);
  return v === null || v === undefined || !Number.isFinite(v) ? { value: null, noData: `no ${metric} on ${target} (no request completed with it)` } : { value: v };
}

const RATIOS: Record<string, string> = {
  p50_ratio: 'p50 latency',
  p90_ratio: 'p90 latency',
  p99_ratio: 'p99 latency',
  cost_ratio: 'cost per job',
  success_ratio: 'success rate',
};

/** A gate's figure, or why there is none: a gate on no data fails, it never passes. */
type Measured = { value: number } | { value: null; noData: string };

function targetValue(t: TargetSummary, metric: string): Measured {
  const m = TARGET_METRICS[metric]!;
  if (t.jobs === 0) return { value: null, noData: `no job was sent to ${t.name}` };
  if (m.needs === 'completed' && t.completed === 0) return { value: null, noData: `no job completed on ${t.name}` };
  const value = m.of(t);
  return Number.isFinite(value) ? { value } : { value: null, noData: `${metric} on ${t.name} is not a number (${value})` };
}

function metricValue(s: Gated, metric: string, expr: string): Measured {
  if (metric in RATIOS) {
    if (!s.candidate) throw new UsageError(`threshold "${expr}": ${metric} needs two targets to compare`);
    const c = s.comparisons.find((x) => x.metric === RATIOS[metric]);
    if (!c || c.reason === NO_PAIRS) return { value: null, noData: `fewer than two jobs completed on both ${s.baseline} and ${s.candidate}, so no ${RATIOS[metric]} ratio` };
    return Number.isFinite(c.ratio) ? { value: c.ratio } : { value: null, noData: `the ${RATIOS[metric]} ratio is undefined (baseline ${c.baseline}, candidate ${c.candidate})` };
  }
  const dot = metric.indexOf('.');
  if (dot > 0) {
    const name = metric.slice(0, dot);
    const m = metric.slice(dot + 1);
    const t = s.targets.find((x) => x.name === name);
    if (!t) throw new UsageError(`threshold "${expr}": no target "${name}" in this run (targets: ${s.targets.map((x) => x.name).join(', ')})`);
    if (LLM_METRICS[m]) return llmValue(s, name, m);
    if (!TARGET_METRICS[m]) throw new UsageError(`threshold "${expr}": unknown metric "${m}"; known: ${Object.keys(TARGET_METRICS).join(', ')}`);
    return targetValue(t, m);
  }
  if (LLM_METRICS[metric]) {
    // Every target with LLM requests must meet it: the worst one is gated; a run without any has no data (the gate fails).
    const targets = s.llm?.targets ?? [];
    if (!targets.length) return { value: null, noData: 'the run has no token-counted LLM requests (prompt_tokens/output_tokens in the trace)' };
    const measured = targets.map((t) => llmValue(s, t.target, metric));
    const missing = measured.flatMap((m) => (m.value === null ? [m.noData] : []));
    if (missing.length) return { value: null, noData: missing.join('; ') };
    const values = measured.flatMap((m) => (m.value === null ? [] : [m.value]));
    return { value: LLM_METRICS[metric].higherIsBetter ? Math.min(...values) : Math.max(...values) };
  }
  if (!TARGET_METRICS[metric]) throw new UsageError(`threshold "${expr}": unknown metric "${metric}"; known: ${KNOWN()}`);
  // The noise floor's A/A twin is a second instance of a target, not one the scenario compares: a bare gate leaves it out (`<twin>.<metric>` names it).
  const gated = s.targets.filter((t) => t.aaTwinOf === undefined);
  if (gated.length === 0) return { value: null, noData: 'no target has any job in this run' };
  // Without a target, the gate must hold for every target: take the worst one; a target without data fails it.
  const measured = gated.map((t) => targetValue(t, metric));
  const missing = measured.flatMap((m) => (m.value === null ? [m.noData] : []));
  if (missing.length) return { value: null, noData: missing.join('; ') };
  const values = measured.flatMap((m) => (m.value === null ? [] : [m.value]));
  const higherIsBetter = metric === 'success_rate' || metric === 'throughput';
  return { value: higherIsBetter ? Math.min(...values) : Math.max(...values) };
}

const KNOWN = () => [...Object.keys(RATIOS), ...Object.keys(TARGET_METRICS), ...Object.keys(LLM_METRICS), '<target>.<metric>'].join(', ');

/** Parses a gate without a run: the syntax and the metric name (target names are checked against a run). */
export function parseThreshold(expression: string): { metric: string; op: keyof typeof OPS; bound: number } {
  const m = /^\s*([A-Za-z0-9_.~-]+)\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*(ms|s)?\s*$/.exec(expression);
  if (!m) throw new UsageError(`threshold "${expression}": expected "<metric> <op> <number>", e.g. "p99_ratio < 1.5" or "ttft_p99 < 3s"`);
  const [, metric, op, num, unit] = m as unknown as [string, string, keyof typeof OPS, string, 'ms' | 's' | undefined];
  const bare = metric.includes('.') ? metric.slice(metric.indexOf('.') + 1) : metric;
  if (!(bare in TARGET_METRICS) && !(metric in RATIOS) && !(bare in LLM_METRICS)) {
    throw new UsageError(`threshold "${expression}": unknown metric "${bare}"; known: ${KNOWN()}`);
  }
  // A unit is for times only (TTFT and TPOT, in seconds): "3s", "100ms".
  if (unit && !LLM_METRICS[bare]?.time) throw new UsageError(`threshold "${expression}": a unit (${unit}) is for the ttft_* and tpot_* metrics only`);
  return { metric, op, bound: unit === 'ms' ? Number(num) / 1000 : Number(num) };
}

function evaluateOne(s: Gated, expression: string): ThresholdResult {
  const { metric, op, bound } = parseThreshold(expression);
  const measured = metricValue(s, metric, expression);
  if (measured.value === null) return { expression, passed: false, value: null, detail: `${metric}: no data: ${measured.noData}` };
  return { expression, passed: OPS[op](measured.value, bound), value: measured.value, detail: `${metric} = ${Number(measured.value.toPrecision(4))}` };
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
