// Per target and task type: jobs, success rate, latency quantiles, cost per job, provider losses.
import type { RunQueries } from '../queries.ts';
import { section } from './section.ts';

type Rows = Awaited<ReturnType<RunQueries['byTaskType']>>;

export const byTaskTypeSection = section({
  fills: ['byTaskType'],
  load: (q) => q.byTaskType(),
  build: (rows: Rows) => ({
    byTaskType: rows.map((r) => ({
      target: r.target, taskType: r.task_type, jobs: r.jobs, successRate: r.jobs ? r.completed / r.jobs : 0, p50: r.p50, p90: r.p90, p99: r.p99, costPerJobUsd: r.cost_per_job_usd, providerLosses: r.losses,
    })),
  }),
});
