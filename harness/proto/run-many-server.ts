// RunMany on a target's side, made from its Run handler. Each RunManyRequest
// becomes a job call that behaves towards the handler as a Run call does
// (request, write, end, an 'error' that carries a status, 'cancelled' when the
// caller cancels or the deadline passes), so a target writes Run once and
// serves both, and the two paths cannot drift apart in what a job does.
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import type { ComputeTargetHandlers, JobEvent, RunJobOut, RunManyReply, RunManyRequestsOut } from './types.ts';

type RunHandler = ComputeTargetHandlers['Run'];
type RunCall = Parameters<RunHandler>[0];
type ManyCall = Parameters<ComputeTargetHandlers['RunMany']>[0];

/** How often a stream looks for jobs past their deadline (a Run call's deadline fires on its own timer). */
const SWEEP_MS = 100;

/**
 * Replies of one turn of the event loop go as one message: grpc-js and
 * node:http2 cost about as much per message as the message's content does, and
 * a target answering many jobs at once (or one job's outcome and settlement)
 * writes them in the same turn. Nothing waits beyond the turn.
 */
class ReplyBatch {
  private pending: RunManyReply[] = [];

  constructor(private readonly stream: ManyCall) {}

  push(reply: RunManyReply): boolean {
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(reply);
    return true;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    if (this.stream.cancelled) {
      this.pending = [];
      return;
    }
    const replies = this.pending;
    this.pending = [];
    this.stream.write({ replies });
  }
}

class JobCall extends EventEmitter {
  private state: 'running' | 'ended' | 'cancelled' = 'running';

  constructor(
    readonly request: RunJobOut,
    private readonly tag: number,
    private readonly replies: ReplyBatch,
    readonly deadlineAt: number,
    private readonly done: (tag: number) => void,
  ) {
    super();
    // A handler ends a Run call with a status by emitting 'error' on it; here that status becomes the job's end.
    this.on('error', (err: Partial<grpc.StatusObject>) => this.finish(err.code ?? grpc.status.UNKNOWN, err.details ?? ''));
  }

  get cancelled(): boolean {
    return this.state === 'cancelled';
  }

  /** Sends one event of this job; after its end or a cancel it goes nowhere, as on a closed Run call. */
  write(event: JobEvent): boolean {
    if (this.state !== 'running') return false;
    return this.replies.push({ tag: this.tag, event });
  }

  end(): void {
    this.finish(grpc.status.OK, '');
  }

  getDeadline(): Date {
    return new Date(this.deadlineAt);
  }


  /** The caller cancelled it, its deadline passed or the stream went: the handler hears 'cancelled', nothing more is sent. */
  cancel(): void {
    if (this.state !== 'running') return;
    this.state = 'cancelled';
    this.done(this.tag);
    this.emit('cancelled');
  }

  private finish(code: number, details: string): void {
    if (this.state !== 'running') return;
    this.state = 'ended';
    this.done(this.tag);
    this.replies.push({ tag: this.tag, end: { code, details } });
  }
}

/** The RunMany handler that serves each job of the stream through `run`. */
export function runManyFrom(run: RunHandler): ComputeTargetHandlers['RunMany'] {
  return (stream) => {
    const live = new Map<number, JobCall>();
    const replies = new ReplyBatch(stream);
    let halfClosed = false;
    let sweep: NodeJS.Timeout | undefined;
    const done = (tag: number) => {
      live.delete(tag);
      if (live.size === 0 && sweep) {
        clearInterval(sweep);
        sweep = undefined;
      }
      // The caller sends no more jobs and every job has ended: the stream ends as a Run call would.
      if (halfClosed && live.size === 0) queueMicrotask(() => {
        replies.flush();
        stream.end();
      });
    };
    const overdue = () => {
      const now = Date.now();
      for (const call of live.values()) if (call.deadlineAt <= now) call.cancel();
    };
    const refuse = (tag: number, details: string) => replies.push({ tag, end: { code: grpc.status.INVALID_ARGUMENT, details } });
    const start = (m: RunManyRequestsOut['requests'][number]) => {
      if (m.cancel) {
        live.get(m.tag)?.cancel();
        return;
      }
      if (!m.run) return refuse(m.tag, 'RunManyRequest needs run or cancel');
      if (live.has(m.tag)) return refuse(m.tag, `tag ${m.tag} is already running on this stream`);
      const call = new JobCall(m.run, m.tag, replies, m.deadlineMs > 0 ? Date.now() + m.deadlineMs : Number.POSITIVE_INFINITY, done);
      live.set(m.tag, call);
      if (m.deadlineMs > 0 && !sweep) {
        sweep = setInterval(overdue, SWEEP_MS);
        sweep.unref();
      }
      try {
        run(call as unknown as RunCall);
      } catch (err) {
        // A handler that throws fails its job, not the other jobs of the stream.
        call.emit('error', { code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) });
      }
    };
    stream.on('data', (m: RunManyRequestsOut) => {
      for (const r of m.requests) start(r);
    });
    stream.on('end', () => {
      halfClosed = true;
      if (live.size === 0) queueMicrotask(() => {
        replies.flush();
        stream.end();
      });
    });
    const gone = () => {
      if (sweep) clearInterval(sweep);
      for (const call of [...live.values()]) call.cancel();
    };
    stream.on('cancelled', gone);
    stream.on('error', gone);
  };
}

/** What a target implements: every method but RunMany, which comes from its Run. */
export type TargetHandlers = Pick<ComputeTargetHandlers, 'Describe' | 'Run' | 'WatchProviders' | 'WatchPrices' | 'Cancel'>;

/** A target's handlers with RunMany served through its Run. */
export function withRunMany(handlers: TargetHandlers): ComputeTargetHandlers {
  return { ...handlers, RunMany: runManyFrom(handlers.Run) };
}
