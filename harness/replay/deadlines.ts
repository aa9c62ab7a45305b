// How long one Run call may last, in trace time, taken from the job itself: a
// silent target then costs a job its own bound, not a week of wall time
// (issue 16.10). Pure; the scenario's `deadlines` block sets the policy.
import { DEFAULTS } from '../common/defaults.ts';
import type { Job } from '../trace/job.ts';

export interface DeadlinePolicy {
  /** A job without a deadline of its own may take its recorded work time × this, plus `queueAllowanceSeconds`. */
  workFactor: number;
  /** Trace seconds of queueing allowed on top of the work (a busy backend's queue is part of what is measured). */
  queueAllowanceSeconds: number;
  /** A job with its own deadline may run this many times it before the harness gives up (the target reports the miss itself first). */
  ownDeadlineFactor: number;
  /** No job's bound exceeds this (trace seconds). */
  capSeconds: number;
}

export const DEFAULT_DEADLINES: DeadlinePolicy = DEFAULTS.rpc.jobDeadline;

/** The job's bound in trace seconds: its own deadline × factor, else work × factor + queue allowance; never above the cap. */
export function jobDeadlineTraceSeconds(job: Pick<Job, 'deadline_seconds' | 'work_seconds'>, policy: DeadlinePolicy = DEFAULT_DEADLINES): number {
  const own = job.deadline_seconds > 0 ? job.deadline_seconds * policy.ownDeadlineFactor : job.work_seconds * policy.workFactor + policy.queueAllowanceSeconds;
  return Math.min(own, policy.capSeconds);
}

/** The defaults with a scenario's `deadlines` fields laid over them (fields left out keep their default). */
export function deadlinePolicy(over: Partial<DeadlinePolicy> = {}): DeadlinePolicy {
  const defined = Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) as Partial<DeadlinePolicy>;
  return { ...DEFAULT_DEADLINES, ...defined };
}
