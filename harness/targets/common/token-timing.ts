// How long an LLM request takes on a replica that serves several at once
// (continuous batching, as vLLM does), from its token counts. Both simulators
// use it for token-counted jobs (a job with prompt_tokens/output_tokens) in
// place of the job's work_seconds; the instance and rental bookkeeping stays
// in each model.
//
// The model, stated once (its numbers are the LLM_PARAMS below):
// - prefill: prompt_tokens / prefill rate of the GPU class (× node speed); it
//   produces the first token. Prefill is not slowed by the requests decoding
//   beside it (vLLM interleaves chunked prefill; [A]).
// - TTFT = queue (until a batch slot on a replica is free) + network (input
//   upload and one round trip: request in, first token back) + prefill.
// - decode: every further token takes TPOT(n) = (1 / decode rate) × (1 + k·(n − 1)),
//   n = requests on the replica when this one is admitted, itself included,
//   k = llm_batch_slowdown. A request admitted later does not slow one already
//   running: each job is planned once, in arrival order (the report's TPOT is
//   therefore the admission-time contention, an approximation stated in the README).
// - a replica admits at most llm_max_concurrency requests; more wait for a slot.
// - a provider lost mid-generation loses the stream: the attempt's tokens are
//   gone and the retry starts again with its own prefill.
import type { ParamTable } from './params.ts';
import type { TimedEvent } from './sim-server.ts';

const US = 1e6;

/** Per GPU class prefill and decode rates, and the batching model, for a 7–8B FP16 model served by vLLM. */
export const LLM_PARAMS = {
  llm_prefill_tps_rtx4090: { value: 6000, unit: 'prompt tokens/s', sweep: [3000, 12000], basis: '[A] 7–8B FP16 on vLLM; consistent with [S] median TTFT 53 ms for 256-token prompts at 4 concurrent (Mistral-7B, vLLM, RTX 4090; mushfiqrahman.dev capacity sweep)' },
  llm_prefill_tps_rtx5090: { value: 7600, unit: 'prompt tokens/s', basis: '[A] RTX 4090 × FP16 tensor throughput ratio 209/165 TFLOPS (NVIDIA spec sheets)' },
  llm_prefill_tps_rtx3090: { value: 2600, unit: 'prompt tokens/s', basis: '[A] RTX 4090 × FP16 tensor throughput ratio 71/165 TFLOPS' },
  llm_prefill_tps_rtx4080: { value: 3500, unit: 'prompt tokens/s', basis: '[A] RTX 4090 × FP16 tensor throughput ratio 97.5/165 TFLOPS' },
  llm_prefill_tps_rtx3060: { value: 900, unit: 'prompt tokens/s', basis: '[A] RTX 4090 × FP16 tensor throughput ratio 25.5/165 TFLOPS (12 GB: an 8-bit model)' },
  llm_decode_tps_rtx4090: { value: 57, unit: 'output tokens/s, one request', sweep: [30, 80], basis: '[S] fit to the per-request decode rates of the Mistral-7B vLLM sweep on an RTX 4090 (52.5, 40.3, 30.5, 24.8 tok/s at 4, 16, 32, 48 concurrent; mushfiqrahman.dev): 57 at one' },
  llm_decode_tps_rtx5090: { value: 100, unit: 'output tokens/s, one request', basis: '[S] LLaMA 3 8B FP16, single stream, RTX 5090 (gigagpu.com benchmark)' },
  llm_decode_tps_rtx3090: { value: 53, unit: 'output tokens/s, one request', basis: '[A] RTX 4090 × memory bandwidth ratio 936/1008 GB/s (decode is bandwidth-bound)' },
  llm_decode_tps_rtx4080: { value: 40, unit: 'output tokens/s, one request', basis: '[A] RTX 4090 × memory bandwidth ratio 717/1008 GB/s' },
  llm_decode_tps_rtx3060: { value: 20, unit: 'output tokens/s, one request', basis: '[A] RTX 4090 × memory bandwidth ratio 360/1008 GB/s' },
  llm_batch_slowdown: { value: 0.027, unit: 'TPOT growth per extra request', sweep: [0, 0.1], basis: '[S] linear fit of 1/per-request rate against concurrency in the same RTX 4090 sweep (TPOT(n) = TPOT(1)·(1 + 0.027·(n − 1)), within 1 % at 4–48)' },
  llm_max_concurrency: { value: 16, unit: 'requests per replica', sweep: [1, 64], basis: '[A] a replica\'s batch limit; the [S] sweep scaled near-linearly up to 16 concurrent' },
} as const satisfies ParamTable;

export type LlmParams = { [K in keyof typeof LLM_PARAMS]: number };

/** The token counts of a proto job; undefined when it is not a token-counted LLM request. */
export function tokensOf(job: { taskType: string; promptTokens?: number; outputTokens?: number }): { prompt: number; output: number } | undefined {
  // A message from an older harness has neither field.
  const prompt = job.promptTokens || 0;
  const output = job.outputTokens || 0;
  if (job.taskType !== 'llm_inference' || (prompt <= 0 && output <= 0)) return undefined;
  return { prompt, output };
}

export interface TokenTiming {
  /** From the start on a replica until the first token reaches the client: network + prefill, µs. */
  firstTokenUs: number;
  /** Per output token after the first, µs. */
  tpotUs: number;
  /** From the start until the last token reaches the client, µs. */
  totalUs: number;
}

function classRate(p: LlmParams, kind: 'prefill' | 'decode', gpuClass: string): number {
  const v = (p as Record<string, number>)[`llm_${kind}_tps_${gpuClass}`];
  return v ?? p[`llm_${kind}_tps_rtx4090`];
}

/**
 * Timing of one request admitted as the n-th on its replica. `speed` is the
 * node's relative speed; `networkUs` the upload of the input and one round trip.
 */
export function tokenTiming(p: LlmParams, gpuClass: string, tokens: { prompt: number; output: number }, opts: { n: number; speed: number; networkUs: number }): TokenTiming {
  const speed = opts.speed > 0 ? opts.speed : 1;
  const prefillUs = (tokens.prompt / (classRate(p, 'prefill', gpuClass) * speed)) * US;
  const tpotUs = (US / (classRate(p, 'decode', gpuClass) * speed)) * (1 + p.llm_batch_slowdown * Math.max(0, opts.n - 1));
  const firstTokenUs = opts.networkUs + prefillUs;
  return { firstTokenUs, tpotUs, totalUs: firstTokenUs + Math.max(0, tokens.output - 1) * tpotUs };
}

/**
 * Requests on one replica: when a batch slot is free and how many share it.
 * Spans end when a request finishes or its node goes; requests are admitted in
 * arrival order, so spans that ended before the current arrival are dropped.
 */
export class BatchSlots {
  private spans: { start: number; end: number }[] = [];

  constructor(readonly limit: number) {}

  /** Requests on the replica at t. */
  inFlight(t: number): number {
    let n = 0;
    for (const s of this.spans) if (s.start <= t && t < s.end) n++;
    return n;
  }

  /** The earliest time ≥ t with a free slot. */
  nextFree(t: number): number {
    const limit = Math.max(1, this.limit);
    if (this.inFlight(t) < limit) return t;
    const ends = this.spans.map((s) => s.end).filter((e) => e > t).sort((a, b) => a - b);
    for (const e of ends) if (this.inFlight(e) < limit) return e;
    return t;
  }

  add(start: number, end: number): void {
    if (end > start) this.spans.push({ start, end });
  }

  /** Forgets spans over before t (no later request can start before its own arrival). */
  forget(t: number): void {
    if (this.spans.length > 64) this.spans = this.spans.filter((s) => s.end > t);
  }
}

/**
 * The streaming events of one attempt that started at `startUs` (absolute
 * trace µs): FIRST_TOKEN, and TOKENS half-way through the decode, each only
 * if it came before `cutUs` (the provider going: the rest of the stream is lost).
 */
export function streamEvents(
  startUs: number,
  timing: TokenTiming,
  tokens: { prompt: number; output: number },
  ctx: { attempt: number; providerId: string; cutUs?: number },
): { atUs: number; event: TimedEvent['event'] }[] {
  const out: { atUs: number; event: TimedEvent['event'] }[] = [];
  const cut = ctx.cutUs ?? Infinity;
  const first = startUs + timing.firstTokenUs;
  if (tokens.output < 1 || first > cut) return out;
  out.push({ atUs: first, event: { type: 'FIRST_TOKEN', attempt: ctx.attempt, providerId: ctx.providerId, tokens: 1, promptTokens: tokens.prompt } });
  const half = Math.floor(tokens.output / 2);
  const mid = first + (half - 1) * timing.tpotUs;
  if (half > 1 && mid <= cut) out.push({ atUs: mid, event: { type: 'TOKENS', attempt: ctx.attempt, providerId: ctx.providerId, tokens: half } });
  return out;
}
