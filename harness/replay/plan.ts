// What a run will send to one target, counted before it starts: jobs, GPU
// hours of recorded work, the longest job and the arrival span. A bridge to a
// paid backend sizes its payment from it.
import type { Job } from '../trace/job.ts';
import { selectJobs, type Selection } from './select.ts';

export interface RunPlan {
  jobs: number;
  /** Σ work_seconds × max(1, gpu_count) / 3600. */
  gpuHours: number;
  maxWorkSeconds: number;
  /** Trace seconds from the first to the last selected arrival. */
  spanSeconds: number;
}

export async function planRun(jobs: AsyncIterable<Job>, selection: Selection, keep: (job: Job) => boolean = () => true): Promise<RunPlan> {
  const plan: RunPlan = { jobs: 0, gpuHours: 0, maxWorkSeconds: 0, spanSeconds: 0 };
  let first: number | undefined;
  for await (const job of selectJobs(jobs, selection)) {
    if (!keep(job)) continue;
    plan.jobs++;
    plan.gpuHours += (job.work_seconds * Math.max(1, job.gpu_count)) / 3600;
    plan.maxWorkSeconds = Math.max(plan.maxWorkSeconds, job.work_seconds);
    first ??= job.submitted_at;
    plan.spanSeconds = (job.submitted_at - first) / 1e6;
  }
  return plan;
}
