// What every bridge's gRPC side does the same way: refuse runs that are not
// real-time, fan provider changes out to watchers (a late watcher first gets
// the providers already known), and cancel a running job by run and job id.
import * as grpc from '@grpc/grpc-js';
import type { ComputeTargetHandlers, ProviderEvent, RunJobOut } from '../../proto/types.ts';

type RunCall = Parameters<ComputeTargetHandlers['Run']>[0];
type WatchCall = Parameters<ComputeTargetHandlers['WatchProviders']>[0];

export const jobKey = (runId: string, jobId: string) => `${runId}/${jobId}`;

/** The request if it can run on a real backend; otherwise the call is failed with INVALID_ARGUMENT and undefined returned. */
export function realTimeJob(call: RunCall): (RunJobOut & { job: NonNullable<RunJobOut['job']> }) | undefined {
  const req = call.request;
  if (!req.job || !req.jobId || req.speed !== 1) {
    call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'a real backend runs in real time: RunJob needs a job and speed 1' });
    return undefined;
  }
  return req as RunJobOut & { job: NonNullable<RunJobOut['job']> };
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
