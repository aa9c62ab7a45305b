// One job handed out by the release clock, shared by every target it goes to.
// A target at its in-flight cap queues this same object, and the first target
// to send the job keeps its encoded request here for the others: one object
// per release instead of a queue entry per target and a cache keyed on every
// job (a WeakMap entry per job was an ephemeron for every collection to trace).
import type { Job } from '../trace/job.ts';

export class Release {
  /** The RunMany message that starts the job, once a target has sent it (run-request.ts encodeMany), its tag and the deadline it carries. */
  tag = 0;
  bytes: Buffer | undefined = undefined;
  deadlineMs = 0;

  /** `releasedAtUs`: when the release clock handed the job out (harness wall µs); the wait in a target's queue counts from here. */
  constructor(
    readonly job: Job,
    readonly intendedAtUs: number,
    readonly releasedAtUs: number,
  ) {}
}

/** A release as a spill-queue line (the encoded request is not kept: it is made again when the job is sent). */
export function releaseToLine(r: Release): string {
  return JSON.stringify([r.job, r.intendedAtUs, r.releasedAtUs]);
}

export function releaseFromLine(line: string): Release {
  const [job, intendedAtUs, releasedAtUs] = JSON.parse(line) as [Job, number, number];
  return new Release(job, intendedAtUs, releasedAtUs);
}
