// One connection to one ComputeTarget: describes it, runs jobs on it with a
// deadline on every call, bounds jobs in flight, and follows its provider and
// price streams (reconnecting with backoff) for the whole run. Whatever the
// target does — refuse, hang, send garbage — ends as a recorded failure with an
// error class, never as an exception out of the replay.
import * as grpc from '@grpc/grpc-js';
import type { Clock } from '../common/clock.ts';
import { DEFAULTS } from '../common/defaults.ts';
import { TargetError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { backoffMs } from '../common/retry.ts';
import { dateOfUs, type JobResultRow, type RowOf } from '../events/schema.ts';
import { decodeJobEvent } from '../proto/decode-replies.ts';
import { loadComputeProto } from '../proto/load.ts';
import type { ComputeTargetClient, JobEventOut, PriceTickOut, ProviderEventOut, TargetInfoOut } from '../proto/types.ts';
import type { Job } from '../trace/job.ts';
import { ResultAssembler, type TargetContext } from './assemble.ts';
import { installLeanAsyncBind } from './async-resource-bind.ts';
import { jobDeadlineTraceSeconds, type DeadlinePolicy } from './deadlines.ts';
import { RunRequestEncoder, runMethod, sendEncoded } from './run-request.ts';
import { Release, releaseFromLine, releaseToLine } from './release.ts';
import { RunStream, type StreamedJob } from './run-stream.ts';
import { SpillQueue } from './spill-queue.ts';
import type { RecordSink } from './sink.ts';

export interface TargetEndpoint {
  /** Name used in stored rows and reports, e.g. "baseline". */
  name: string;
  /** host:port */
  address: string;
  /** TLS to the target (PEM contents, read by the caller); plaintext when absent. */
  tls?: TargetTls;
  /** This target's in-flight cap, over the run's maxInFlightPerTarget. */
  maxInFlight?: number;
}

/** What ghz takes as --cacert, --cert, --key and --cname. */
export interface TargetTls {
  /** CA certificates that sign the target's certificate; the system roots when absent. */
  ca?: Buffer;
  /** Client certificate and its key, for a target that asks for one (mutual TLS). */
  cert?: Buffer;
  key?: Buffer;
  /** The name the target's certificate is checked against, when it is not the address's host. */
  serverName?: string;
}

/** The channel's credentials and the options they need: TLS when the endpoint asks for it. */
function channelSecurity(tls: TargetTls | undefined): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  if (!tls) return { credentials: grpc.credentials.createInsecure(), options: {} };
  return {
    credentials: grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null),
    options: tls.serverName ? { 'grpc.ssl_target_name_override': tls.serverName, 'grpc.default_authority': tls.serverName } : {},
  };
}

export interface TargetClientOptions {
  clock: Clock;
  logger: Logger;
  sink: RecordSink;
  runId: string;
  speed: number;
  maxInFlight?: number;
  unaryDeadlineMs?: number;
  runDeadlineSlackMs?: number;
  /** How long a Run call may take in trace time (deadlines.ts); the job's own bound when omitted. */
  deadlines?: DeadlinePolicy;
  /** Entries of the harness-side queue kept in memory before the rest spills to disk. */
  queueMemoryItems?: number;
  /** Shared by the run's clients, so a released job's request is encoded once for all targets; one of its own when omitted. */
  requests?: RunRequestEncoder;
}

const EVENT_TYPES = new Set([
  'QUEUED', 'OFFER_RECEIVED', 'PROVIDER_ASSIGNED', 'IMAGE_PULLED', 'STARTED', 'PROGRESS', 'PROVIDER_LOST',
  'RETRYING', 'COMPLETED', 'FAILED', 'SETTLED', 'CANCELLED', 'DEBIT_NOTE', 'BILLED', 'FIRST_TOKEN', 'TOKENS',
]);

/** Stable error class per gRPC status of a call that ended without an outcome; other statuses are `rpc_<name>`. */
const ERROR_CLASS_OF_STATUS: ReadonlyMap<number, string> = new Map([
  [grpc.status.UNAVAILABLE, 'target_unavailable'],
  [grpc.status.DEADLINE_EXCEEDED, 'deadline_exceeded'],
  [grpc.status.CANCELLED, 'cancelled'],
  [grpc.status.INTERNAL, 'protocol_error'],
  [grpc.status.UNIMPLEMENTED, 'protocol_error'],
  [grpc.status.DATA_LOSS, 'protocol_error'],
  [grpc.status.RESOURCE_EXHAUSTED, 'target_overloaded'],
  [grpc.status.INVALID_ARGUMENT, 'rejected'],
]);

/** Stable error class for a call that ended without an outcome. */
export function errorClassOfStatus(code: number): string {
  return ERROR_CLASS_OF_STATUS.get(code) ?? `rpc_${(grpc.status[code] ?? String(code)).toLowerCase()}`;
}

/** Reconnecting a lost watch stream: 100 ms, doubling, at most 5 s apart. */
const WATCH_BACKOFF = { baseMs: 100, maxMs: 5_000 };
/** What a job in flight needs from its client. */
interface InFlightHost {
  readonly clock: Clock;
  readonly sink: RecordSink;
  eventRow(jobId: string, seq: number, ev: JobEventOut, receivedUs: number): RowOf<'job_events'>;
  cancel(f: InFlight): void;
  resend(f: InFlight): void;
  unsupported(): boolean;
  done(f: InFlight): void;
}

/**
 * One job on one target from its send to its end, on the RunMany stream or on
 * a Run call of its own: records its events as they arrive, folds them into
 * its row (it is its own ResultAssembler, so a job in flight is one object),
 * and ends once, with the failure a Run call's status gives.
 */
class InFlight extends ResultAssembler implements StreamedJob {
  tag = 0;
  deadlineAt = 0;
  call: grpc.ClientReadableStream<JobEventOut> | undefined;
  failure: { errorClass: string; atUs: number } | undefined;
  private seq = 0;
  private ended = false;

  constructor(
    private readonly host: InFlightHost,
    context: TargetContext,
    job: Job,
    intendedAtUs: number,
    releasedAtUs: number,
    readonly deadlineMs: number,
  ) {
    super(context, job, intendedAtUs, releasedAtUs);
  }

  onEvent(ev: JobEventOut): void {
    const { clock, sink } = this.host;
    const receivedUs = clock.nowUs();
    if (this.failure || this.ended) return;
    const jobId = this.job.job_id;
    if (!EVENT_TYPES.has(ev.type) || ev.jobId !== jobId) {
      // A target that answers with garbage gets its job failed, not the run.
      this.failure = { errorClass: 'protocol_error', atUs: receivedUs };
      sink.add('job_events', this.host.eventRow(jobId, this.seq++, { ...ev, type: String(ev.type) as JobEventOut['type'], detail: `unexpected event: type=${String(ev.type)} job=${ev.jobId}` }, receivedUs));
      this.host.cancel(this);
      return;
    }
    this.add(ev, receivedUs);
    sink.add('job_events', this.host.eventRow(jobId, this.seq++, ev, receivedUs));
  }

  onEnd(code: number, _details: string, here: boolean): void {
    if (this.ended) return;
    if (code === grpc.status.UNIMPLEMENTED && !this.call && this.host.unsupported()) return this.host.resend(this);
    this.ended = true;
    if (code !== grpc.status.OK && !this.failure && !(code === grpc.status.CANCELLED && this.hasOutcome)) {
      let errorClass = errorClassOfStatus(code);
      if (code === grpc.status.CANCELLED) errorClass = here ? 'interrupted' : 'target_unavailable';
      this.failure = { errorClass, atUs: this.host.clock.nowUs() };
    }
    if (!this.hasOutcome && !this.failure) this.failure = { errorClass: 'no_outcome', atUs: this.host.clock.nowUs() };
    this.host.done(this);
  }
}

export class TargetClient {
  readonly name: string;
  readonly address: string;
  kind = 'unknown';
  info: TargetInfoOut | undefined;
  /** Set when Describe failed: the target's jobs are recorded as target_unavailable, never sent. */
  unavailable: string | undefined;
  private readonly client: ComputeTargetClient;
  private readonly run = runMethod();
  private readonly requests: RunRequestEncoder;
  private readonly maxInFlight: number;
  /** Jobs waiting for room, as the release shared by every target (release.ts). */
  private readonly queue: SpillQueue<Release>;
  /** Jobs go here, one message each (run-stream.ts); as Run calls only to a target without RunMany. */
  private readonly stream: RunStream;
  private readonly host: InFlightHost;
  private readonly calls = new Set<grpc.ClientReadableStream<JobEventOut>>();
  /** Calls this client cancelled itself; a CANCELLED status on any other means the target dropped it. */
  private readonly cancelledHere = new WeakSet<grpc.ClientReadableStream<JobEventOut>>();
  private stopped = false;
  /** After an interrupt: nothing more leaves the queue. */
  private halted = false;
  private readonly watchers: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  readonly counters = { sent: 0, done: 0, completed: 0, failed: 0, inFlight: 0, queued: 0, withheld: 0, unfinished: 0, queuedMax: 0 };
  /** What this target's rows share; made again when Describe tells its kind. */
  private context: TargetContext;

  constructor(endpoint: TargetEndpoint, private readonly opts: TargetClientOptions) {
    // Before the first call: each http2 request otherwise keeps its call's objects alive through every scavenge (async-resource-bind.ts).
    installLeanAsyncBind();
    this.name = endpoint.name;
    this.address = endpoint.address;
    const { ComputeTarget } = loadComputeProto().mirrorbench.compute.v1;
    const security = channelSecurity(endpoint.tls);
    this.client = new ComputeTarget(endpoint.address, security.credentials, {
      // Many concurrent streams share one HTTP/2 connection; keep it alive across idle gaps in a trace.
      'grpc.keepalive_time_ms': 30_000,
      'grpc.max_concurrent_streams': 100_000,
      ...security.options,
    });
    this.context = { runId: opts.runId, target: this.name, targetKind: this.kind, speed: opts.speed };
    this.maxInFlight = endpoint.maxInFlight ?? opts.maxInFlight ?? DEFAULTS.replay.maxInFlightPerTarget;
    this.queue = new SpillQueue<Release>({ memoryItems: opts.queueMemoryItems, encode: releaseToLine, decode: releaseFromLine });
    this.requests = opts.requests ?? new RunRequestEncoder(opts.runId, opts.speed);
    this.stream = new RunStream(this.client);
    // What each InFlight calls back into: made once per client, not per job.
    this.host = {
      clock: this.opts.clock,
      sink: this.opts.sink,
      eventRow: (jobId, seq, ev, receivedUs) => this.eventRow(jobId, seq, ev, receivedUs),
      cancel: (f) => {
        if (f.call) {
          this.cancelledHere.add(f.call);
          f.call.cancel();
        } else this.stream.cancel(f.tag);
      },
      // The target answered RunMany with UNIMPLEMENTED before running anything: the job goes again as a Run call.
      resend: (f) => this.runOnCall(f),
      unsupported: () => this.stream.unsupported,
      done: (f) => {
        this.counters.inFlight--;
        this.finishRow(f, f.failure);
        this.pump();
      },
    };
  }

  private deadline(ms: number): Date {
    return new Date(Date.now() + ms);
  }

  /** Waits for the target to answer Describe (it may still be starting). */
  async describe(timeoutMs: number = DEFAULTS.rpc.connectDeadlineMs): Promise<TargetInfoOut> {
    await new Promise<void>((resolve, reject) =>
      this.client.waitForReady(this.deadline(timeoutMs), (err) =>
        err ? reject(new TargetError('TARGET_UNAVAILABLE', this.name, `no answer at ${this.address} within ${timeoutMs} ms`, { cause: err })) : resolve(),
      ),
    );
    const info = await new Promise<TargetInfoOut>((resolve, reject) =>
      this.client.describe({}, { deadline: this.deadline(this.opts.unaryDeadlineMs ?? DEFAULTS.rpc.unaryDeadlineMs) }, (err, res) =>
        err || !res ? reject(new TargetError('TARGET_UNAVAILABLE', this.name, `Describe failed: ${err?.message ?? 'empty reply'}`, { cause: err })) : resolve(res),
      ),
    );
    this.info = info;
    this.kind = info.kind === 'BASELINE' ? 'baseline' : info.kind === 'DECENTRALIZED' ? 'decentralized' : 'unknown';
    this.context = { ...this.context, targetKind: this.kind };
    return info;
  }

  /** Records that the data policy keeps `job` from this target (nothing is sent). */
  withhold(job: Job, intendedAtUs: number): JobResultRow {
    const row = new ResultAssembler(this.context, job, intendedAtUs).withheld();
    this.counters.withheld++;
    this.opts.sink.add('job_results', row);
    return row;
  }

  /**
   * Hands a released job to this target: sent at once when it has room,
   * otherwise queued here (in order, memory-bounded) until a call ends. A
   * full target never holds the release clock, so it never delays another
   * target; its queued jobs' latency still counts from the intended time.
   */
  submit(release: Release): void {
    if (this.unavailable !== undefined) {
      this.finishRow(new ResultAssembler(this.context, release.job, release.intendedAtUs, release.releasedAtUs), { errorClass: 'target_unavailable', atUs: release.releasedAtUs });
      return;
    }
    if (this.halted) {
      this.holdUnfinished(release);
      return;
    }
    if (this.counters.inFlight < this.maxInFlight && this.queue.length === 0) {
      this.start(release);
      return;
    }
    this.queue.push(release);
    this.counters.queued = this.queue.length;
    if (this.counters.queued > this.counters.queuedMax) this.counters.queuedMax = this.counters.queued;
  }

  /** Resolves when nothing is queued or in flight for this target. */
  idle(): Promise<void> {
    if (this.counters.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Sends one job and records what comes back; its row is written when it
   * ends (InFlight). The per-job state is one object with methods rather than
   * closures: at thousands of jobs a second, what a job allocates is what
   * the collector pauses the release clock for.
   */
  private start(release: Release): void {
    const { clock, speed } = this.opts;
    const { job } = release;
    this.counters.inFlight++;
    this.counters.sent++;
    const deadlineMs = (jobDeadlineTraceSeconds(job, this.opts.deadlines) * 1000) / speed + (this.opts.runDeadlineSlackMs ?? DEFAULTS.rpc.runDeadlineSlackMs);
    const f = new InFlight(this.host, this.context, job, release.intendedAtUs, release.releasedAtUs, deadlineMs);
    f.markSent(clock.nowUs());
    if (this.stream.unsupported) return this.runOnCall(f);
    const bytes = this.requests.encodeMany(release, deadlineMs);
    f.tag = release.tag;
    this.stream.start(release.tag, bytes, deadlineMs, f);
  }

  /** The job as a Run call of its own, for a target without RunMany. */
  private runOnCall(f: InFlight): void {
    // What client.run does, with the request bytes encoded once for every target and events read by the lean decoder.
    const call = this.client.makeServerStreamRequest<Buffer, JobEventOut>(
      this.run.path, sendEncoded, decodeJobEvent, this.requests.encode(f.job, f.intendedAtUs),
      { deadline: this.deadline(f.deadlineMs) },
    );
    f.call = call;
    this.calls.add(call);
    call.on('data', (ev: JobEventOut) => f.onEvent(ev));
    call.on('error', (err: grpc.ServiceError) => {
      this.calls.delete(call);
      f.onEnd(err.code, err.details, this.cancelledHere.has(call));
    });
    // A failed call emits 'error' first; 'end' comes after the last event was read, so no event is missed.
    call.on('end', () => {
      this.calls.delete(call);
      f.onEnd(grpc.status.OK, '', false);
    });
  }

  private finishRow(asm: ResultAssembler, failure?: { errorClass: string; atUs: number }): void {
    const row = asm.row(failure);
    if (row.status === 'unfinished') this.counters.unfinished++;
    else {
      this.counters.done++;
      if (row.status === 'completed') this.counters.completed++;
      else this.counters.failed++;
    }
    this.opts.sink.add('job_results', row);
    const tokens = asm.tokenRow(row);
    if (tokens) this.opts.sink.add('job_tokens', tokens);
  }

  /** Starts queued jobs while there is room; wakes idle() waiters when all is done. */
  private pump(): void {
    while (!this.halted && this.counters.inFlight < this.maxInFlight) {
      const next = this.queue.shift();
      if (!next) break;
      this.start(next);
    }
    this.counters.queued = this.queue.length;
    if (this.counters.inFlight === 0 && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** A released job that never left the harness queue before the interrupt: censored, resent by --resume. */
  private holdUnfinished(h: Release): void {
    this.finishRow(new ResultAssembler(this.context, h.job, h.intendedAtUs, h.releasedAtUs), { errorClass: 'held', atUs: this.opts.clock.nowUs() });
  }

  /**
   * Interrupt: nothing more leaves the queue; every queued job is recorded as
   * unfinished (held), so the report and --resume know it was never sent.
   */
  halt(): void {
    this.halted = true;
    for (const h of this.queue.drain()) this.holdUnfinished(h);
    this.pump();
  }

  /** Marks the target dead (Describe failed): later submits are recorded, not sent. */
  markUnavailable(reason: string): void {
    this.unavailable = reason;
  }

  private eventRow(jobId: string, seq: number, ev: JobEventOut, receivedUs: number): RowOf<'job_events'> {
    return {
      run_id: this.opts.runId,
      target: this.name,
      job_id: jobId,
      seq,
      type: ev.type,
      target_at_us: Number(ev.atUs) || 0,
      received_at_us: receivedUs,
      attempt: ev.attempt,
      provider_id: ev.providerId,
      price_per_hour: ev.pricePerHour,
      amount: ev.amount,
      currency: ev.currency,
      amount_usd: ev.amountUsd,
      usd_rate: ev.usdRate,
      error_class: ev.errorClass,
      reason: ev.reason,
      detail: ev.detail,
      progress: ev.progress,
      bytes: Number(ev.bytes) || 0,
      offers: ev.offers,
      billed_gpu_seconds: ev.billedGpuSeconds,
      event_date: dateOfUs(receivedUs),
    };
  }

  /** Follows WatchProviders and WatchPrices until close(), reconnecting with backoff. */
  watch(): void {
    const { runId, speed, sink, clock, logger } = this.opts;
    const follow = <T>(
      label: string,
      open: () => grpc.ClientReadableStream<T>,
      onData: (ev: T, receivedUs: number) => void,
    ) => {
      // Tries since the stream last delivered: the next wait is backoffMs(failures).
      let failures = 0;
      let current: grpc.ClientReadableStream<T> | undefined;
      let timer: NodeJS.Timeout | undefined;
      const connect = () => {
        if (this.stopped) return;
        const call = open();
        current = call;
        call.on('data', (ev: T) => {
          failures = 0;
          onData(ev, clock.nowUs());
        });
        call.on('error', (err: grpc.ServiceError) => {
          if (this.stopped || err.code === grpc.status.CANCELLED) return;
          if (err.code === grpc.status.UNIMPLEMENTED) return; // a target without this stream
          logger.debug({ target: this.name, stream: label, err: err.message }, 'watch stream lost; reconnecting');
          timer = setTimeout(connect, backoffMs(failures++, WATCH_BACKOFF));
        });
      };
      connect();
      this.watchers.push(() => {
        if (timer) clearTimeout(timer);
        current?.cancel();
      });
    };
    follow<ProviderEventOut>('providers', () => this.client.watchProviders({ runId, speed }), (ev, receivedUs) => {
      sink.add('provider_events', {
        run_id: runId,
        target: this.name,
        provider_id: ev.providerId,
        online: ev.online ? 1 : 0,
        at_us: Number(ev.atUs) || receivedUs,
        received_at_us: receivedUs,
        gpu_class: ev.gpuClass,
        reason: ev.reason,
        region: ev.region,
        event_date: dateOfUs(receivedUs),
      });
    });
    follow<PriceTickOut>('prices', () => this.client.watchPrices({ runId, speed }), (ev, receivedUs) => {
      sink.add('price_ticks', {
        run_id: runId,
        target: this.name,
        currency: ev.currency,
        usd_rate: ev.usdRate,
        at_us: Number(ev.atUs) || receivedUs,
        event_date: dateOfUs(receivedUs),
      });
    });
  }

  /** Cancels every job still running on this target (interrupt after the grace period). */
  cancelAll(): void {
    this.stream.cancelAll();
    for (const call of this.calls) {
      this.cancelledHere.add(call);
      call.cancel();
    }
  }

  close(): void {
    this.stopped = true;
    this.queue.close();
    for (const stop of this.watchers) stop();
    this.cancelAll();
    this.client.close();
  }
}
