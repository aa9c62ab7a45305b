// The Run call's request bytes, encoded once per released job and sent as they
// are to every target. The request is the same for all of them (run, job,
// intended time), and the reflection codec of @grpc/proto-loader builds a
// message object and one writer operation per field on every encode: encoding
// per target doubled that garbage, and garbage is what delays the release
// clock (each scavenge stops it; README, "Replay engine figures").
import type * as grpc from '@grpc/grpc-js';
import { loadComputeProto } from '../proto/load.ts';
import type { JobEventOut, RunJob, RunManyRepliesOut, RunManyRequests } from '../proto/types.ts';
import type { Job } from '../trace/job.ts';
import { encodeRunManyStart } from './encode-run-many.ts';
import type { Release } from './release.ts';
import { toProtoJob } from './to-proto.ts';

/** The Run method as the generated client calls it: its path and its codecs. */
export function runMethod(): grpc.MethodDefinition<RunJob, JobEventOut> {
  const service = loadComputeProto().mirrorbench.compute.v1.ComputeTarget.service as unknown as Record<string, grpc.MethodDefinition<RunJob, JobEventOut>>;
  return service.Run!;
}

/** The RunMany method (run-stream.ts): its path and its codecs. */
export function runManyMethod(): grpc.MethodDefinition<RunManyRequests, RunManyRepliesOut> {
  const service = loadComputeProto().mirrorbench.compute.v1.ComputeTarget.service as unknown as Record<string, grpc.MethodDefinition<RunManyRequests, RunManyRepliesOut>>;
  return service.RunMany!;
}

/** Sends bytes encoded beforehand unchanged (the serializer grpc-js calls per call). */
export const sendEncoded = (bytes: Buffer): Buffer => bytes;

export class RunRequestEncoder {
  private readonly serialize: (req: RunJob) => Buffer;
  private lastJob: Job | undefined;
  private lastIntendedAtUs = 0;
  private lastBytes: Buffer | undefined;
  /** Tags name a job on a RunMany stream; one counter for the run's clients, so a release has one tag on every target. */
  private nextTag = 1;

  constructor(private readonly runId: string, private readonly speed: number) {
    this.serialize = runMethod().requestSerialize;
  }

  private request(job: Job, intendedAtUs: number): RunJob {
    return {
      runId: this.runId,
      jobId: job.job_id,
      idempotencyKey: `${this.runId}/${job.job_id}`,
      speed: this.speed,
      job: toProtoJob(job),
      intendedAtUs,
    };
  }

  /**
   * The RunMany message that starts the released job with a deadline of
   * `deadlineMs`; it and its tag (`release.tag`) are kept on the release for
   * every target it goes to, however far apart their sends are (release.ts). A message with one
   * request: protobuf appends a repeated field's items when messages are
   * concatenated, so a turn's messages joined are one message with all its jobs.
   */
  encodeMany(release: Release, deadlineMs: number): Buffer {
    if (release.bytes && release.deadlineMs === deadlineMs) return release.bytes;
    const { job, intendedAtUs } = release;
    const tag = this.nextTag++;
    // The bytes runManyMethod().requestSerialize would give for { requests: [{ tag, run: this.request(job, intendedAtUs), deadlineMs }] }, written directly (encode-run-many.ts).
    const bytes = encodeRunManyStart(job, {
      tag, runId: this.runId, idempotencyKey: `${this.runId}/${job.job_id}`, speed: this.speed, intendedAtUs, deadlineMs: Math.min(Math.ceil(deadlineMs), 0xffffffff),
    });
    release.tag = tag;
    release.bytes = bytes;
    release.deadlineMs = deadlineMs;
    return bytes;
  }

  /**
   * The request for `job` released at `intendedAtUs`. The targets of one
   * release ask in turn for the same job, so keeping the last encoding is
   * enough; a job sent later from a target's queue is encoded again.
   */
  encode(job: Job, intendedAtUs: number): Buffer {
    if (job === this.lastJob && intendedAtUs === this.lastIntendedAtUs && this.lastBytes) return this.lastBytes;
    const bytes = this.serialize(this.request(job, intendedAtUs));
    this.lastJob = job;
    this.lastIntendedAtUs = intendedAtUs;
    this.lastBytes = bytes;
    return bytes;
  }
}
