// What every bridge's gRPC side does the same way: refuse runs that are not
// real-time, fan provider changes out to watchers (a late watcher first gets
// the providers already known), and cancel a running job by run and job id.
import * as grpc from '@grpc/grpc-js';
import type { ComputeTargetHandlers, JobEvent, ProviderEvent, RunJobOut } from '../../proto/types.ts';

type RunCall = Parameters<ComputeTargetHandlers['Run']>[0];
type WatchCall = Parameters<ComputeTargetHandlers['WatchProviders']>[0];

export const jobKey = (runId: string, jobId: string) => `${runId}/${jobId}`;

export type RealTimeRequest = RunJobOut & { job: NonNullable<RunJobOut['job']> };

/** The request if it can run on a real backend; otherwise the call is failed with INVALID_ARGUMENT and undefined returned. */
export function realTimeJob(call: RunCall): RealTimeRequest | undefined {
  const req = call.request;
  if (!req.job || !req.jobId || req.speed !== 1) {
    call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'a real backend runs in real time: RunJob needs a job and speed 1' });
    return undefined;
  }
  return req as RealTimeRequest;
}

export class ProviderBroadcast {
  private readonly watchers = new Set<WatchCall>();

  /** Adds a watcher after sending it the providers known now. */
  add(call: WatchCall, known: ProviderEvent[]): void {
    for (const e of known) call.write(e);
    this.watchers.add(call);
    const drop = () => this.watchers.delete(call);
    call.on('cancelled', drop);
    call.on('error', drop);
  }

  get size(): number {
    return this.watchers.size;
  }

  publish(e: ProviderEvent): void {
    for (const w of this.watchers) w.write(e);
  }
}

/** The Cancel RPC over the bridge's map of running jobs (jobKey → cancel). */
export function cancelHandler(running: Map<string, () => void>): ComputeTargetHandlers['Cancel'] {
  return (call, cb) => {
    const cancel = running.get(jobKey(call.request.runId, call.request.jobId));
    cancel?.();
    cb(null, { found: cancel !== undefined });
  };
}

/** One job's stream on a bridge, registered for Cancel until it is closed. */
export interface BridgeRun {
  req: RealTimeRequest;
  /** Sends an event unless the stream is closed (a late backend answer after a cancel goes nowhere). */
  write(e: Omit<JobEvent, 'jobId'>): void;
  /** No more events, no longer cancellable; ends the stream unless the client already went away (`end: false`). */
  close(opts?: { end?: boolean }): void;
  readonly closed: boolean;
}

/** Opens a Run call's stream: refuses what cannot run in real time, registers `cancel` under the job's key. */
export function openRun(call: RunCall, running: Map<string, () => void>, cancel: () => void): BridgeRun | undefined {
  const req = realTimeJob(call);
  if (!req) return undefined;
  const key = jobKey(req.runId, req.jobId);
  let closed = false;
  running.set(key, cancel);
  return {
    req,
    write: (e) => {
      if (!closed) call.write({ ...e, jobId: req.jobId });
    },
    close: ({ end = true } = {}) => {
      if (closed) return;
      closed = true;
      running.delete(key);
      if (end) call.end();
    },
    get closed() {
      return closed;
    },
  };
}
