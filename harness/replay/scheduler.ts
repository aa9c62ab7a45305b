// The open-model arrival clock: each job is released at its trace time divided
// by the speed factor, whatever the targets are doing. One chained timer fires
// everything that is due and sleeps until the next arrival: a timer per job
// is tens of ms late under load (lateness is measured by `npm run bench -- replay`).
import type { Clock } from '../common/clock.ts';
import type { Job } from '../trace/job.ts';
import type { Pick } from './select.ts';

export interface ScheduleOptions {
  clock: Clock;
  speed: number;
  /** Wall time (epoch µs) at which the first job's trace time falls. */
  startAtUs: number;
  /** Trace time (epoch µs) that maps to startAtUs; the first job's time when omitted. */
  traceStartUs?: number;
  signal?: AbortSignal;
  /** Called before each release; awaiting it holds the clock (database back-pressure). */
  beforeRelease?: () => Promise<void> | void;
  /**
   * Which jobs of the stream go out (select.ts jobSelector), asked of each job
   * before anything else: the same as scheduling selectJobs(jobs), without
   * an async generator between the two (its promises per job were a share of
   * the replay's garbage). Every job goes out when omitted.
   */
  select?: (job: Job) => Pick;
}

export interface Release {
  job: Job;
  intendedAtUs: number;
}

/** Maps a trace time to the wall time the job should be sent. */
export function intendedWallUs(submittedUs: number, traceStartUs: number, startAtUs: number, speed: number): number {
  return startAtUs + Math.round((submittedUs - traceStartUs) / speed);
}

/**
 * Releases jobs at their intended wall time. A job that arrives out of order or
 * after its time is released at once; its lateness shows in the results.
 */
export async function schedule(
  jobs: AsyncIterable<Job> | Iterable<Job>,
  opts: ScheduleOptions,
  release: (r: Release) => void,
): Promise<{ released: number; traceStartUs: number | undefined; interrupted: boolean }> {
  const { clock, speed, startAtUs, signal } = opts;
  let traceStartUs = opts.traceStartUs;
  let released = 0;
  const select = opts.select;
  for await (const job of jobs) {
    if (select) {
      const p = select(job);
      if (p === 'stop') break;
      if (p === 'skip') continue;
    }
    if (signal?.aborted) return { released, traceStartUs, interrupted: true };
    traceStartUs ??= job.submitted_at;
    const intendedAtUs = speed === Infinity ? clock.nowUs() : intendedWallUs(job.submitted_at, traceStartUs, startAtUs, speed);
    const waitUs = intendedAtUs - clock.nowUs();
    // Sleep only when the wait is worth a timer; below 1 ms setTimeout is no more precise.
    if (waitUs >= 1000) {
      try {
        await clock.sleep(waitUs / 1000, signal);
      } catch {
        return { released, traceStartUs, interrupted: true };
      }
    }
    if (opts.beforeRelease) await opts.beforeRelease();
    release({ job, intendedAtUs });
    released++;
  }
  return { released, traceStartUs, interrupted: signal?.aborted ?? false };
}
