// Folds a job's event stream from one target into its job_results row. Pure:
// the target client feeds events in and asks for the row at the end.
//
// Durations are in trace time. They come from the target's own timestamps
// measured from the *intended* send time, times the replay speed: a simulator
// stamps events on its compressed timeline, so scaling the harness's receive
// times instead would multiply transport jitter by the speed factor. The
// harness's own clock still records sent/first-event/finished times and its
// lateness, which the report checks against a bound.
import type { JobEventOut } from '../proto/types.ts';
import type { JobResultRow, JobTokensRow } from '../events/schema.ts';
import { dateOfUs } from '../events/schema.ts';
import { isTokenCounted, type Job } from '../trace/job.ts';

/** What every job of one target shares: made once per target client, not per job. */
export interface TargetContext {
  readonly runId: string;
  readonly target: string;
  readonly targetKind: string;
  readonly speed: number;
}

/** Error classes of a job with no outcome because the run was interrupted: stored as 'unfinished' (censored). */
export const UNFINISHED_CLASSES: ReadonlySet<string> = new Set(['interrupted', 'held']);

/** One attempt's token stream: its first token (target µs, harness µs) and the tokens it reached. */
interface TokenStream {
  atUs: number;
  recvUs: number;
  tokens: number;
}

const NO_STREAMS: ReadonlyMap<number, TokenStream> = new Map();

/**
 * A span of harness wall time in trace time. A module function, not a closure
 * per row: under tsx (esbuild keepNames) every closure made is also renamed
 * with Object.defineProperty, a cost paid per job and target.
 */
function traceUsOf(realUs: number, speed: number): number {
  return Math.max(0, Math.round(realUs * speed));
}

/**
 * One job on one target, folded as its events arrive. What the job needs from
 * send to row is this one object (the target client's in-flight job extends
 * it), and the outcome's figures are read from the outcome event itself at
 * the end: at thousands of jobs a second, every object and every boxed
 * number a job keeps is garbage the collector stops the release clock for.
 */
export class ResultAssembler {
  private sentAtUs = 0;
  private firstEventAtUs = 0;
  private startedTargetUs = 0;
  private startedRecvUs = 0;
  /** The first COMPLETED, FAILED or CANCELLED event and when it arrived. */
  private outcomeEvent: JobEventOut | undefined;
  private finishedRecvUs = 0;
  private attempts = 0;
  // Made on first use: most jobs meet no provider event or token stream, and
  // two empty collections per job and target were a share of the replay's garbage.
  private providers: Set<string> | undefined;
  private providerLosses = 0;
  private offers = 0;
  private providerId = '';
  private pricePerHour = 0;
  private settledAmount = 0;
  private settledUsd = 0;
  private settled = false;
  private currency = '';
  private eventCount = 0;
  /** Per attempt: its first token (target µs, harness µs) and the tokens its stream reached. */
  private streams: Map<number, TokenStream> | undefined;

  /**
   * `releasedAtUs`: when the release clock handed the job out (harness wall
   * µs). lateness_us is released − intended; sent − released is the wait in
   * the harness's per-target queue. The send time when 0.
   */
  constructor(
    readonly context: TargetContext,
    readonly job: Job,
    readonly intendedAtUs: number,
    readonly releasedAtUs: number = 0,
  ) {}

  markSent(atUs: number): void {
    this.sentAtUs = atUs;
  }

  get eventsSeen(): number {
    return this.eventCount;
  }

  get hasOutcome(): boolean {
    return this.outcomeEvent !== undefined;
  }

  /** Folds one event; `receivedUs` is the harness clock when it arrived. */
  add(ev: JobEventOut, receivedUs: number): void {
    this.eventCount++;
    if (!this.firstEventAtUs) this.firstEventAtUs = receivedUs;
    if (ev.attempt > this.attempts) this.attempts = ev.attempt;
    if (ev.currency) this.currency = ev.currency;
    switch (ev.type) {
      case 'OFFER_RECEIVED':
        this.offers += ev.offers || 1;
        break;
      case 'PROVIDER_ASSIGNED':
        if (ev.providerId) (this.providers ??= new Set()).add(ev.providerId);
        this.providerId = ev.providerId;
        this.pricePerHour = ev.pricePerHour;
        break;
      case 'STARTED':
        // The last attempt's start is the one that ran to the outcome.
        this.startedTargetUs = ev.atUs;
        this.startedRecvUs = receivedUs;
        if (ev.providerId) this.providerId = ev.providerId;
        break;
      case 'PROVIDER_LOST':
        this.providerLosses++;
        break;
      case 'FIRST_TOKEN':
        this.streams ??= new Map();
        if (!this.streams.has(ev.attempt)) this.streams.set(ev.attempt, { atUs: ev.atUs, recvUs: receivedUs, tokens: ev.tokens || 1 });
        break;
      case 'TOKENS': {
        const s = this.streams?.get(ev.attempt);
        if (s && ev.tokens > s.tokens) s.tokens = ev.tokens;
        break;
      }
      case 'COMPLETED':
      case 'FAILED':
      case 'CANCELLED':
        if (this.outcomeEvent) break; // a second outcome is a protocol error the row ignores
        this.outcomeEvent = ev;
        this.finishedRecvUs = receivedUs;
        break;
      case 'SETTLED':
        this.settled = true;
        this.settledAmount += ev.amount;
        this.settledUsd += ev.amountUsd;
        break;
      default:
        break;
    }
  }

  /**
   * The job_tokens row of a token-counted job (or of any job whose target
   * streamed tokens), beside its job_results row; undefined otherwise. TTFT is
   * the first token of the attempt that produced the outcome: a stream lost
   * with its provider is gone, and the client sees the retry's first token.
   */
  tokenRow(result: JobResultRow): JobTokensRow | undefined {
    const { job, intendedAtUs } = this;
    const { speed } = this.context;
    const streams: ReadonlyMap<number, TokenStream> = this.streams ?? NO_STREAMS;
    if (!isTokenCounted(job) && streams.size === 0) return undefined;
    const completed = result.status === 'completed';
    const outcome = this.outcomeEvent;
    const outcomeAttempt = outcome?.attempt ?? 0;
    const stream = completed ? streams.get(outcomeAttempt) : undefined;
    const output = outcome?.tokens || job.output_tokens || 0;
    const finishedTargetUs = outcome?.atUs ?? 0;
    const tpot = stream && output >= 2 ? traceUsOf(finishedTargetUs - stream.atUs, speed) / (output - 1) : 0;
    // A loop, not spreads and closures: this runs for every job of a token-counted workload.
    let lost = 0;
    let reached = 0;
    if (streams.size > 0) {
      for (const [attempt, s] of streams) {
        if (attempt !== outcomeAttempt || !completed) lost++;
        if (s.tokens > reached) reached = s.tokens;
      }
    }
    return {
      run_id: this.context.runId,
      target: this.context.target,
      job_id: job.job_id,
      prompt_tokens: job.prompt_tokens ?? 0,
      output_tokens: job.output_tokens ?? 0,
      tokens_streamed: completed ? output : reached,
      first_token_at_us: stream?.recvUs ?? 0,
      ttft_us: stream ? traceUsOf(stream.atUs - intendedAtUs, speed) : 0,
      tpot_us: tpot,
      streams_lost: lost,
      finished_at_us: result.finished_at_us,
      intended_date: result.intended_date,
    };
  }

  /** The row of a job the data policy kept from this target: never sent, counted, excluded from latency and cost. */
  withheld(): JobResultRow {
    return { ...this.row({ errorClass: 'data_policy', atUs: this.intendedAtUs }), status: 'withheld', attempts: 0, sent_at_us: 0, lateness_us: 0, total_us: 0, queue_us: 0 };
  }

  /**
   * The row for this job. `failure` describes why the stream ended without an
   * outcome (target down, deadline, protocol error); it is ignored when the
   * target did report an outcome.
   */
  row(failure?: { errorClass: string; atUs: number }): JobResultRow {
    const { job, intendedAtUs, releasedAtUs } = this;
    const { speed } = this.context;
    const outcome = this.outcomeEvent;
    let status: string;
    let errorClass: string;
    let finishedTargetUs: number;
    let finishedRecvUs: number;
    if (outcome) {
      const type = outcome.type;
      status = type === 'COMPLETED' ? 'completed' : type === 'FAILED' ? 'failed' : 'cancelled';
      errorClass = type === 'FAILED' ? outcome.errorClass || 'unspecified' : type === 'CANCELLED' ? 'cancelled' : '';
      finishedTargetUs = outcome.atUs;
      finishedRecvUs = this.finishedRecvUs;
    } else {
      errorClass = failure?.errorClass ?? 'no_outcome';
      // Cut by our own interrupt, not by the target: no outcome yet, so not a failure.
      status = UNFINISHED_CLASSES.has(errorClass) ? 'unfinished' : 'failed';
      finishedRecvUs = failure?.atUs ?? this.sentAtUs;
      finishedTargetUs = finishedRecvUs;
    }
    const total = traceUsOf(finishedTargetUs - intendedAtUs, speed);
    const startedUs = this.startedTargetUs && this.startedTargetUs <= finishedTargetUs ? this.startedTargetUs : 0;
    const queue = startedUs ? traceUsOf(startedUs - intendedAtUs, speed) : total;
    const exec = startedUs ? traceUsOf(finishedTargetUs - startedUs, speed) : 0;
    const outputBytes = outcome?.type === 'COMPLETED' ? Number(outcome.bytes) || 0 : 0;
    return {
      run_id: this.context.runId,
      target: this.context.target,
      target_kind: this.context.targetKind,
      job_id: job.job_id,
      customer: job.customer,
      profile: job.profile,
      task_type: job.task_type,
      gpu_class: job.gpu_class,
      gpu_count: job.gpu_count,
      work_seconds: job.work_seconds,
      submitted_at_us: job.submitted_at,
      intended_at_us: intendedAtUs,
      sent_at_us: this.sentAtUs,
      first_event_at_us: this.firstEventAtUs,
      started_at_us: startedUs ? this.startedRecvUs : 0,
      finished_at_us: finishedRecvUs,
      lateness_us: releasedAtUs ? releasedAtUs - intendedAtUs : this.sentAtUs ? this.sentAtUs - intendedAtUs : 0,
      queue_us: queue,
      exec_us: exec,
      total_us: total,
      status,
      error_class: errorClass,
      attempts: Math.max(this.attempts, this.sentAtUs ? 1 : 0),
      providers_tried: this.providers?.size ?? 0,
      provider_losses: this.providerLosses,
      offers: this.offers,
      provider_id: this.providerId,
      price_per_hour: this.pricePerHour,
      billed_gpu_seconds: outcome?.billedGpuSeconds ?? 0,
      cost_native: this.settled ? this.settledAmount : (outcome?.amount ?? 0),
      currency: this.currency,
      cost_usd: this.settled ? this.settledUsd : (outcome?.amountUsd ?? 0),
      image_bytes: job.image_bytes,
      input_bytes: job.input_bytes,
      output_bytes: outputBytes || (status === 'completed' ? job.output_bytes : 0),
      events: this.eventCount,
      intended_date: dateOfUs(intendedAtUs),
    };
  }
}
