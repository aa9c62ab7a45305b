// One target's jobs on one RunMany stream. A Run call per job costs an HTTP/2
// stream of its own — a dozen objects, timers and promises per job in grpc-js
// and node:http2 — and on two cores that capped the replay near 4,000 jobs/s
// with every scavenge holding the release clock (README, "Replay engine
// figures"). Here a job is a request in a message out and its events in
// messages back, routed by tag, each message carrying what its side had ready
// in one turn of the event loop; each job keeps a Run call's deadline (checked
// by a sweep, not a timer per job) and ends the way a Run call ends, so the
// caller sees no difference.
import * as grpc from '@grpc/grpc-js';
import { decodeRunManyReplies } from '../proto/decode-replies.ts';
import type { ComputeTargetClient, JobEventOut, RunManyRepliesOut } from '../proto/types.ts';
import { runManyMethod } from './run-request.ts';

type Reply = RunManyRepliesOut['replies'][number];

/** What a job on the stream hears: its events, then exactly one end with a gRPC status code. */
export interface StreamedJob {
  /** When its deadline passes (Date.now() ms): set by start(), kept on the job so the stream adds no object of its own per job. */
  deadlineAt: number;
  onEvent(ev: JobEventOut): void;
  /** `here`: this side ended it (cancel, deadline, interrupt), not the target. */
  onEnd(code: number, details: string, here: boolean): void;
}

/** A message gathered from many jobs is cut at about this size (gRPC servers refuse messages over 4 MB by default). */
const MAX_MESSAGE_BYTES = 1 << 20;

/**
 * Replies handed to their jobs per turn of the event loop; the rest of a
 * message wait for the next turn (setImmediate). A target answers what it
 * had ready in one turn in one message, so at a high rate one message ends
 * thousands of jobs: handled in one go, the jobs started in their place left
 * only after all of it (the target waiting meanwhile: the two sides took
 * turns in convoys of the whole in-flight window), and the release clock
 * waited as long. In slices, the new jobs go out after each slice and the
 * clock's timer fires between them (README, "Replay speed").
 */
const REPLIES_PER_TURN = 128;

/** Deadlines are checked this often, so a job may end up to this late (a Run call's timer is exact). */
const SWEEP_MS = 100;

export class RunStream {
  private call: grpc.ClientDuplexStream<Buffer, RunManyRepliesOut> | undefined;
  /** This turn's messages, written together at its end (see encodeMany). */
  private outgoing: Buffer[] = [];
  /** A write of this stream has not called back yet (flush). */
  private writing = false;
  /** close() was called: the stream ends once the last write has called back. */
  private closing = false;
  private readonly live = new Map<number, StreamedJob>();
  private sweep: NodeJS.Timeout | undefined;
  /** Replies read and not yet handed to their jobs, oldest first (REPLIES_PER_TURN); `pendingAt` indexes the first message. */
  private pending: Reply[][] = [];
  private pendingAt = 0;
  private nextSlice: NodeJS.Immediate | undefined;
  /** Replies seen on the current stream: a stream refused before any reply means the target has no RunMany. */
  private replied = false;
  /** The target answered RunMany with UNIMPLEMENTED: its jobs go as Run calls. */
  unsupported = false;
  private readonly method = runManyMethod();

  constructor(private readonly client: ComputeTargetClient) {}

  get size(): number {
    return this.live.size;
  }

  /** Sends one job (`bytes`: its RunManyRequest, encoded once for every target). */
  start(tag: number, bytes: Buffer, deadlineMs: number, job: StreamedJob): void {
    if (!this.call) this.open();
    job.deadlineAt = Date.now() + deadlineMs;
    this.live.set(tag, job);
    if (!this.sweep) {
      this.sweep = setInterval(() => this.overdue(), SWEEP_MS);
      this.sweep.unref();
    }
    this.send(bytes);
  }

  private send(bytes: Buffer): void {
    if (this.outgoing.length === 0 && !this.writing) queueMicrotask(() => this.flush());
    this.outgoing.push(bytes);
  }

  /**
   * Writes what is waiting as one message, unless a write is still on its way
   * out: then it waits for that write's callback and goes with whatever came
   * meanwhile. grpc-js keeps every write of a stream until it has gone out
   * (calling back at once while the call's 1 MB retry buffer has room, later
   * when it is full) and copies its list of waiting writes each time one goes,
   * so writes queued behind HTTP/2 flow control cost the square of their
   * number: at 5,000 jobs/s, ~600 waiting and 37 KB copied per job. One write
   * in flight at a time costs nothing when the stream is free (the callback
   * comes before the next job) and batches the jobs when it is not.
   */
  private flush(): void {
    if (this.writing || this.outgoing.length === 0 || !this.call) return;
    const out = this.outgoing;
    this.outgoing = [];
    const call = this.call;
    this.writing = true;
    const done = () => {
      if (this.call !== call) return; // a new stream has its own writes
      this.writing = false;
      this.flush();
      if (this.closing && !this.writing) call.end();
    };
    if (out.length === 1) return void call.write(out[0]!, done);
    // A long wait gathers many jobs: messages stay well under a server's default 4 MB receive limit.
    let from = 0;
    let bytes = 0;
    for (let i = 0; i < out.length; i++) {
      bytes += out[i]!.length;
      const last = i === out.length - 1;
      if (bytes < MAX_MESSAGE_BYTES && !last) continue;
      const part = out.slice(from, i + 1);
      if (last) call.write(Buffer.concat(part), done);
      else call.write(Buffer.concat(part));
      from = i + 1;
      bytes = 0;
    }
  }

  /** Ends a job from this side and tells the target, which stops it as it would a cancelled Run call. */
  cancel(tag: number, code: number = grpc.status.CANCELLED, details = 'cancelled by the harness'): void {
    const l = this.live.get(tag);
    if (!l) return;
    this.settle(tag);
    if (this.call) this.send(this.method.requestSerialize({ requests: [{ tag, cancel: true }] }));
    l.onEnd(code, details, true);
  }

  /** Ends every job from this side (an interrupt) and the stream with them. */
  cancelAll(): void {
    const call = this.call;
    this.call = undefined;
    // Every job ends here now: replies still waiting would find none of them.
    if (this.nextSlice) clearImmediate(this.nextSlice);
    this.nextSlice = undefined;
    this.pending = [];
    this.pendingAt = 0;
    for (const [tag, l] of [...this.live]) {
      this.settle(tag);
      l.onEnd(grpc.status.CANCELLED, 'cancelled by the harness', true);
    }
    call?.cancel();
  }

  private open(): grpc.ClientDuplexStream<Buffer, RunManyRepliesOut> {
    // No deadline on the stream itself: it lives as long as the run; each job on it has its own. Replies are
    // read by the lean decoder (decode-replies.ts), which gives what the method's own codec would.
    const call = this.client.makeBidiStreamRequest<Buffer, RunManyRepliesOut>(this.method.path, (b: Buffer) => b, decodeRunManyReplies);
    this.call = call;
    this.outgoing = [];
    this.writing = false;
    this.closing = false;
    this.replied = false;
    call.on('data', (batch: RunManyRepliesOut) => {
      this.replied = true;
      if (batch.replies.length === 0) return;
      this.pending.push(batch.replies);
      // Behind earlier replies still waiting for their turn: in order, after them.
      if (!this.nextSlice) this.deliver(REPLIES_PER_TURN);
    });
    const lost = (code: number, details: string) => {
      if (this.call !== call) return; // already replaced (cancelAll) or handled
      // What the target answered before it went is its jobs' answer, not the loss.
      this.deliver(Infinity);
      this.call = undefined;
      this.outgoing = [];
      if (code === grpc.status.UNIMPLEMENTED && !this.replied) this.unsupported = true;
      // Every job still on the stream ends as its own Run call would have when the connection went.
      for (const [tag, l] of [...this.live]) {
        this.settle(tag);
        l.onEnd(code, details, false);
      }
    };
    call.on('error', (err: grpc.ServiceError) => lost(err.code, err.details));
    call.on('status', (s: grpc.StatusObject) => lost(s.code === grpc.status.OK ? grpc.status.UNAVAILABLE : s.code, s.code === grpc.status.OK ? 'the target ended the stream with jobs still running' : s.details));
    return call;
  }

  /** Hands up to `limit` waiting replies to their jobs; what is left goes in the next turn. */
  private deliver(limit: number): void {
    if (this.nextSlice) {
      clearImmediate(this.nextSlice);
      this.nextSlice = undefined;
    }
    let n = 0;
    while (this.pending.length > 0) {
      const replies = this.pending[0]!;
      while (this.pendingAt < replies.length) {
        if (n++ >= limit) {
          this.nextSlice = setImmediate(() => {
            this.nextSlice = undefined;
            this.deliver(REPLIES_PER_TURN);
          });
          return;
        }
        const m = replies[this.pendingAt++]!;
        const l = this.live.get(m.tag);
        if (!l) continue; // a job ended here already (deadline, cancel): its late replies go nowhere, as on a cancelled call
        if (m.event) l.onEvent(m.event);
        if (m.end) {
          this.settle(m.tag);
          l.onEnd(m.end.code, m.end.details, false);
        }
      }
      this.pending.shift();
      this.pendingAt = 0;
    }
  }

  private settle(tag: number): void {
    this.live.delete(tag);
    if (this.live.size === 0 && this.sweep) {
      clearInterval(this.sweep);
      this.sweep = undefined;
    }
  }

  private overdue(): void {
    const now = Date.now();
    // forEach, not for…of: an entry array per live job on every sweep was a share of the replay's garbage.
    this.live.forEach((l, tag) => {
      if (l.deadlineAt <= now) this.cancel(tag, grpc.status.DEADLINE_EXCEEDED, 'deadline exceeded');
    });
  }

  /** No more jobs: the target ends the stream once the jobs on it have ended. */
  close(): void {
    this.closing = true;
    this.flush();
    if (!this.writing) this.call?.end();
  }
}
