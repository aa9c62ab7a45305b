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

export interface AssemblyContext {
  runId: string;
  target: string;
  targetKind: string;
  job: Job;
  intendedAtUs: number;
  speed: number;
  /**
   * When the release clock handed the job out (harness wall µs). lateness_us is
   * released − intended; sent − released is the wait in the harness's
   * per-target queue. The send time when omitted.
   */
  releasedAtUs?: number;
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

export class ResultAssembler {
  private sentAtUs = 0;
  private firstEventAtUs = 0;
  private startedTargetUs = 0;
  private startedRecvUs = 0;
  private finishedTargetUs = 0;
  private finishedRecvUs = 0;
  private outcome: 'completed' | 'failed' | 'cancelled' | undefined;
  private errorClass = '';
  private attempts = 0;
  // Made on first use: most jobs meet no provider event or token stream, and
  // two empty collections per job and target were a share of the replay's garbage.
  private providers: Set<string> | undefined;
  private providerLosses = 0;
  private offers = 0;
  private providerId = '';
  private pricePerHour = 0;
  private billedGpuSeconds = 0;
  private outcomeAmount = 0;
  private outcomeAmountUsd = 0;
  private settledAmount = 0;
  private settledUsd = 0;
  private settled = false;
  private currency = '';
  private outputBytes = 0;
  private eventCount = 0;
  private outcomeAttempt = 0;
  /** Per attempt: its first token (target µs, harness µs) and the tokens its stream reached. */
  private streams: Map<number, TokenStream> | undefined;
  private tokensAtOutcome = 0;

  constructor(private readonly ctx: AssemblyContext) {}

  markSent(atUs: number): void {
    this.sentAtUs = atUs;
  }

  get eventsSeen(): number {
    return this.eventCount;
  }

  get hasOutcome(): boolean {
    return this.outcome !== undefined;
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
        if (this.outcome) break; // a second outcome is a protocol error the row ignores
        this.outcome = ev.type === 'COMPLETED' ? 'completed' : ev.type === 'FAILED' ? 'failed' : 'cancelled';
        this.errorClass = ev.type === 'FAILED' ? ev.errorClass || 'unspecified' : ev.type === 'CANCELLED' ? 'cancelled' : '';
        this.finishedTargetUs = ev.atUs;
        this.finishedRecvUs = receivedUs;
        this.outcomeAttempt = ev.attempt;
        this.tokensAtOutcome = ev.tokens;
        this.billedGpuSeconds = ev.billedGpuSeconds;
        this.outcomeAmount = ev.amount;
        this.outcomeAmountUsd = ev.amountUsd;
        if (ev.type === 'COMPLETED') this.outputBytes = Number(ev.bytes) || 0;
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
    const { job, speed, intendedAtUs } = this.ctx;
    const streams: ReadonlyMap<number, TokenStream> = this.streams ?? NO_STREAMS;
    if (!isTokenCounted(job) && streams.size === 0) return undefined;
    const traceUs = (realUs: number) => traceUsOf(realUs, speed);
    const stream = result.status === 'completed' ? streams.get(this.outcomeAttempt) : undefined;
    const output = this.tokensAtOutcome || job.output_tokens || 0;
    const tpot = stream && output >= 2 ? traceUs(this.finishedTargetUs - stream.atUs) / (output - 1) : 0;
    const lost = [...streams.keys()].filter((a) => a !== this.outcomeAttempt || result.status !== 'completed').length;
    return {
      run_id: this.ctx.runId,
      target: this.ctx.target,
      job_id: job.job_id,
      prompt_tokens: job.prompt_tokens ?? 0,
      output_tokens: job.output_tokens ?? 0,
      tokens_streamed: result.status === 'completed' ? output : Math.max(0, ...[...streams.values()].map((s) => s.tokens)),
      first_token_at_us: stream?.recvUs ?? 0,
      ttft_us: stream ? traceUs(stream.atUs - intendedAtUs) : 0,
      tpot_us: tpot,
      streams_lost: lost,
      finished_at_us: result.finished_at_us,
      intended_date: result.intended_date,
    };
  }

  /** The row of a job the data policy kept from this target: never sent, counted, excluded from latency and cost. */
  withheld(): JobResultRow {
    return { ...this.row({ errorClass: 'data_policy', atUs: this.ctx.intendedAtUs }), status: 'withheld', attempts: 0, sent_at_us: 0, lateness_us: 0, total_us: 0, queue_us: 0 };
  }

  /**
   * The row for this job. `failure` describes why the stream ended without an
   * outcome (target down, deadline, protocol error); it is ignored when the
   * target did report an outcome.
   */
  row(failure?: { errorClass: string; atUs: number }): JobResultRow {
    const { job, speed, intendedAtUs } = this.ctx;
    let status: string = this.outcome ?? 'failed';
    let errorClass = this.errorClass;
    let finishedTargetUs = this.finishedTargetUs;
    let finishedRecvUs = this.finishedRecvUs;
    if (!this.outcome) {
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
    return {
      run_id: this.ctx.runId,
      target: this.ctx.target,
      target_kind: this.ctx.targetKind,
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
      lateness_us: this.ctx.releasedAtUs ? this.ctx.releasedAtUs - intendedAtUs : this.sentAtUs ? this.sentAtUs - intendedAtUs : 0,
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
      billed_gpu_seconds: this.billedGpuSeconds,
      cost_native: this.settled ? this.settledAmount : this.outcomeAmount,
      currency: this.currency,
      cost_usd: this.settled ? this.settledUsd : this.outcomeAmountUsd,
      image_bytes: job.image_bytes,
      input_bytes: job.input_bytes,
      output_bytes: this.outputBytes || (status === 'completed' ? job.output_bytes : 0),
      events: this.eventCount,
      intended_date: dateOfUs(intendedAtUs),
    };
  }
}
