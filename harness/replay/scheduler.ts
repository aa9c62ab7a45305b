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
  /** Two arguments, not an object: one fewer allocation per job. */
  release: (job: Job, intendedAtUs: number) => void,
): Promise<{ released: number; traceStartUs: number | undefined; interrupted: boolean }> {
  const { clock, speed, startAtUs, signal } = opts;
  let traceStartUs = opts.traceStartUs;
  let released = 0;
  const select = opts.select;
  // A job list in memory is walked synchronously: `for await` over a plain
  // iterable wraps every job in promises and a microtask turn, a share of the
  // replay's garbage at thousands of jobs a second (README, "Replay speed").
  // A stream (the trace readers) is awaited job by job as before.
  const sync = Symbol.iterator in jobs ? (jobs as Iterable<Job>)[Symbol.iterator]() : undefined;
  const stream = sync ? undefined : (jobs as AsyncIterable<Job>)[Symbol.asyncIterator]();
  // Jobs already due are released in one turn; past YIELD_AFTER_US of that the loop lets I/O and signals in.
  let turnStartUs = clock.nowUs();
  try {
    for (;;) {
      const next = sync ? sync.next() : await stream!.next();
      if (next.done) break;
      const job = next.value;
      if (select) {
        const p = select(job);
        if (p === 'stop') break;
        if (p === 'skip') continue;
      }
      if (signal?.aborted) return { released, traceStartUs, interrupted: true };
      traceStartUs ??= job.submitted_at;
      const nowUs = clock.nowUs();
      const intendedAtUs = speed === Infinity ? nowUs : intendedWallUs(job.submitted_at, traceStartUs, startAtUs, speed);
      const waitUs = intendedAtUs - nowUs;
      // Sleep only when the wait is worth a timer; below 1 ms setTimeout is no more precise.
      if (waitUs >= 1000) {
        try {
          await clock.sleep(waitUs / 1000, signal);
        } catch {
          return { released, traceStartUs, interrupted: true };
        }
        turnStartUs = clock.nowUs();
      } else if (sync && nowUs - turnStartUs > YIELD_AFTER_US) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turnStartUs = clock.nowUs();
        if (signal?.aborted) return { released, traceStartUs, interrupted: true };
      }
      if (opts.beforeRelease) await opts.beforeRelease();
      release(job, intendedAtUs);
      released++;
    }
  } finally {
    // Stopped early (selection window, interrupt): the reader closes its file.
    if (stream) await stream.return?.();
    else sync?.return?.();
  }
  return { released, traceStartUs, interrupted: signal?.aborted ?? false };
}

/** Longest stretch of due jobs released without letting the event loop in (I/O, signals). */
const YIELD_AFTER_US = 20_000;
