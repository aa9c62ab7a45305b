// The head of the report: per-target figures, and which target is the
// baseline and which the candidate every comparison is made against.
import { wilson } from '../../harness/stats/intervals.ts';
import type { RunQueries, TargetRow } from '../queries.ts';
import type { ReportSummary, TargetSummary } from '../summary-types.ts';

export interface TargetsData {
  rows: TargetRow[];
  withheld: { target: string; n: number }[];
}

export async function loadTargets(q: RunQueries): Promise<TargetsData> {
  return { rows: await q.targets(), withheld: await q.withheld() };
}

/**
 * `twin`: the noise floor's A/A twin (a second instance of `twinOf`), a target
 * of the run that is never the baseline or the candidate; listed last, marked.
 */
export function buildTargets(data: TargetsData, confidence: number, twin?: string, twinOf?: string): Pick<ReportSummary, 'targets' | 'baseline' | 'candidate'> {
  const withheldBy = new Map(data.withheld.map((r) => [r.target, Number(r.n)]));
  const targets: TargetSummary[] = data.rows.map((r) => {
    const spanH = Math.max(r.span_s / 3600, 1e-9);
    return {
      name: r.target,
      kind: r.kind,
      jobs: r.jobs,
      completed: r.completed,
      failed: r.failed,
      successRate: r.jobs ? r.completed / r.jobs : 0,
      successRateCI: wilson(r.completed, r.jobs, confidence),
      latency: { p50: r.p50, p90: r.p90, p99: r.p99 },
      queueP50: r.queue_p50,
      execP50: r.exec_p50,
      throughputJobsPerHour: r.completed / spanH,
      gpuHoursPerHour: r.useful_gpu_s / 3600 / spanH,
      costUsd: {
        total: r.cost_usd,
        perJob: r.jobs ? r.cost_usd / r.jobs : 0,
        perUsefulGpuHour: r.useful_gpu_s ? r.cost_usd / (r.useful_gpu_s / 3600) : 0,
        perWallGpuHour: r.billed_gpu_s ? r.cost_usd / (r.billed_gpu_s / 3600) : 0,
      },
      costNative: { total: r.cost_native, currency: r.currency },
      providerLosses: r.losses,
      lossesPerJobHour: r.job_hours ? r.losses / r.job_hours : 0,
      lossesPerRunningHour: r.running_hours ? r.losses / r.running_hours : 0,
      attemptsMean: r.attempts_mean,
      retriedJobs: r.retried,
      lateness: { p50Ms: r.late_p50_us / 1000, p99Ms: r.late_p99_us / 1000, maxMs: r.late_max_us / 1000 },
      withheld: withheldBy.get(r.target) ?? 0,
      ...(twin !== undefined && r.target === twin ? { aaTwinOf: twinOf ?? '' } : {}),
    };
  });
  const compared = targets.filter((t) => t.name !== twin);
  // The twin after the targets compared, so tables read baseline, candidate, then the A/A twin.
  targets.sort((a, b) => Number(a.name === twin) - Number(b.name === twin));
  const baseline = compared.find((t) => t.kind === 'baseline')?.name ?? compared[0]?.name ?? '';
  const candidate = compared.find((t) => t.name !== baseline)?.name ?? null;
  return { targets, baseline, candidate };
}
