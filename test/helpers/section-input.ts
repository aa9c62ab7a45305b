// Hand-made inputs for testing one report section alone (reports/sections/).
import type { PairRow } from '../../reports/queries.ts';
import { parseRunConfig } from '../../reports/sections/run-config.ts';
import type { SectionInput } from '../../reports/sections/section.ts';
import type { TargetSummary } from '../../reports/summary-types.ts';

export function target(name: string, over: Partial<TargetSummary> = {}): TargetSummary {
  return {
    name, kind: name === 'baseline' ? 'baseline' : 'decentralized', jobs: 100, completed: 100, failed: 0, successRate: 1, successRateCI: [0.96, 1],
    latency: { p50: 1, p90: 2, p99: 3 }, queueP50: 0, execP50: 1, throughputJobsPerHour: 10, gpuHoursPerHour: 1,
    costUsd: { total: 10, perJob: 0.1, perUsefulGpuHour: 1, perWallGpuHour: 1 }, costNative: { total: 10, currency: 'USD' },
    providerLosses: 0, lossesPerJobHour: 0, lossesPerRunningHour: 0, attemptsMean: 1, retriedJobs: 0, lateness: { p50Ms: 0, p99Ms: 1, maxMs: 2 }, withheld: 0, ...over,
  };
}

export function sectionInput(over: Partial<SectionInput> = {}, configJson = '{}'): SectionInput {
  return {
    runId: 'r1', speed: 1, config: parseRunConfig(configJson), jobs: 100,
    targets: [target('baseline'), target('decentralized')], baseline: 'baseline', candidate: 'decentralized', ...over,
  };
}

/** Per-job rows of both targets: baseline latency `base(i)` seconds, candidate `ratio`× that; every `failEvery`th candidate job failed. */
export function pairRows(n: number, opts: { base?: (i: number) => number; ratio?: number; failEvery?: number; costs?: [number, number] } = {}): PairRow[] {
  const base = opts.base ?? ((i: number) => 5 + (i % 17));
  const out: PairRow[] = [];
  for (let i = 0; i < n; i++) {
    const job = `job-${String(i).padStart(4, '0')}`;
    out.push({ job_id: job, target: 'baseline', status: 'completed', total_us: Math.round(base(i) * 1e6), cost_usd: opts.costs?.[0] ?? 0.01, submitted_at_us: i * 1e6 });
    const failed = opts.failEvery ? i % opts.failEvery === 0 : false;
    out.push({ job_id: job, target: 'decentralized', status: failed ? 'failed' : 'completed', total_us: Math.round(base(i) * (opts.ratio ?? 1) * 1e6), cost_usd: opts.costs?.[1] ?? 0.004, submitted_at_us: i * 1e6 });
  }
  return out;
}
