// LLM requests as their users measure them: time to first token (TTFT), time
// per output token (TPOT) and goodput — the share and rate of requests that
// meet every SLO of the scenario (`slo: { ttftMs, tpotMs }`; DistServe, vLLM's
// --goodput). Only token-counted jobs (prompt/output tokens in the trace) count;
// their rows are in job_tokens beside job_results. The paired comparisons go
// through the report's verdict path (harness/stats/paired-compare.ts).
import { hash32, seededRandom } from '../../harness/common/random.ts';
import { optimalBlockLength } from '../../harness/stats/block-bootstrap.ts';
import { wilson } from '../../harness/stats/intervals.ts';
import { comparePaired, DEFAULT_QUANTILES, withHolm, type PairedJobs, type PairedLine } from '../../harness/stats/paired-compare.ts';
import type { PairRow, TokenRow } from '../queries.ts';
import type { LlmSummary, LlmTargetSummary } from '../summary-types.ts';
import { comparisonOf } from './comparisons.ts';
import { bootstrapSubset, pairModulo, pairsOf, type JobPair } from './paired.ts';
import { section, type SectionInput } from './section.ts';

/** A token-counted request on one target: its outcome and stream timing. */
export interface LlmRequest {
  job_id: string;
  target: string;
  status: string;
  /** Time to the outcome from the intended send, trace µs. */
  total_us: number;
  submitted_at_us: number;
  ttft_us: number;
  tpot_us: number;
  output_tokens: number;
  streams_lost: number;
}

export function joinTokens(results: readonly PairRow[], tokens: readonly TokenRow[]): LlmRequest[] {
  const byKey = new Map(tokens.map((t) => [`${t.target}\u0000${t.job_id}`, t]));
  return results.flatMap((r) => {
    const t = byKey.get(`${r.target}\u0000${r.job_id}`);
    if (!t) return [];
    return [{
      job_id: r.job_id, target: r.target, status: r.status, total_us: Number(r.total_us), submitted_at_us: Number(r.submitted_at_us ?? 0),
      ttft_us: Number(t.ttft_us), tpot_us: Number(t.tpot_us), output_tokens: Number(t.output_tokens), streams_lost: Number(t.streams_lost),
    }];
  });
}

const completed = (r: LlmRequest) => r.status === 'completed' && r.ttft_us > 0;
const hasTpot = (r: LlmRequest) => completed(r) && r.output_tokens >= 2 && r.tpot_us > 0;

/** Whether a request met every SLO: completed, TTFT and TPOT within their bounds (TPOT only where it is defined). */
export function meetsSlo(r: LlmRequest, slo: { ttftMs?: number; tpotMs?: number }): boolean {
  if (!completed(r)) return false;
  if (slo.ttftMs !== undefined && r.ttft_us > slo.ttftMs * 1000) return false;
  if (slo.tpotMs !== undefined && hasTpot(r) && r.tpot_us > slo.tpotMs * 1000) return false;
  return true;
}

/** Exact order statistic, as ClickHouse's quantileExact: the value at ⌊q·n⌋ of the sorted sample. */
function exactQuantiles(values: number[]): { p50: number; p90: number; p99: number; mean: number } | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: v.reduce((s, x) => s + x, 0) / v.length };
}

/** Whether a target streamed at all: one that sends no FIRST_TOKEN (an older target, a bridge without stream marks) has no TTFT, which is not a failure. */
export const streams = (reqs: readonly LlmRequest[]) => reqs.some((r) => r.ttft_us > 0 || r.streams_lost > 0);

export function llmTarget(target: string, reqs: readonly LlmRequest[], slo: { ttftMs?: number; tpotMs?: number } | null, confidence: number): LlmTargetSummary {
  const done = reqs.filter(completed);
  const streaming = streams(reqs);
  let goodput: LlmTargetSummary['goodput'] = null;
  if (slo && streaming) {
    // In arrival order: congestion makes neighbouring requests alike, and the interval must count that.
    const ordered = [...reqs].sort((a, b) => a.submitted_at_us - b.submitted_at_us);
    const series = Float64Array.from(ordered, (r) => (meetsSlo(r, slo) ? 1 : 0));
    const met = series.reduce((a, b) => a + b, 0);
    const times = reqs.map((r) => r.submitted_at_us);
    // Over a span shorter than a second (a handful of requests) a rate means little: it is taken over one second at least.
    const spanSeconds = Math.max(1, (Math.max(...times) - Math.min(...times)) / 1e6);
    // Wilson over the effective sample size: n ÷ the design effect of the met/missed series (its long-run over its plain variance).
    // One target's share, not the paired goodput line (that one is the success line's batch-means t, below); Wilson keeps the
    // interval inside [0, 1] near 100 %, where a t interval would not. Measured coverage in test/unit/reports/sections/llm.test.ts
    // (a design effect from the flat-top long-run variance still under-covers strong congestion: 91 % at AR(1) φ = 0.8).
    const lr = optimalBlockLength(series);
    const deff = lr.variance > 0 ? Math.max(1, lr.longRunVariance / lr.variance) : 1;
    const nEff = reqs.length / deff;
    const shareCi = wilson((met / reqs.length) * nEff, nEff, confidence);
    const perSecond = reqs.length / spanSeconds;
    goodput = { met, share: reqs.length ? met / reqs.length : 0, shareCi, ratePerSecond: met / spanSeconds, rateCi: [shareCi[0] * perSecond, shareCi[1] * perSecond], spanSeconds };
  }
  return {
    target,
    streaming,
    requests: reqs.length,
    completed: reqs.filter((r) => r.status === 'completed').length,
    ttft: exactQuantiles(done.map((r) => r.ttft_us / 1e6)),
    tpot: exactQuantiles(reqs.filter(hasTpot).map((r) => r.tpot_us / 1e6)),
    streamsLost: reqs.reduce((s, r) => s + r.streams_lost, 0),
    goodput,
  };
}

const renamed = (l: PairedLine, what: string, unit: string): PairedLine => ({ ...l, metric: l.metric.replace(/latency|success rate/, what), unit });

/**
 * Candidate vs baseline on the requests sent to both. TTFT: time to the first
 * token, a failed request censored at its failure time (as the latency line).
 * TPOT: requests completed on both with a TPOT (a failed request has none).
 * Goodput: paired share meeting every SLO (the success line's test).
 */
export function llmComparisons(pairs: readonly JobPair<LlmRequest>[], slo: { ttftMs?: number; tpotMs?: number } | null, input: Pick<SectionInput, 'runId' | 'config'>): PairedLine[] {
  const { confidence, bootstrapResamples, margin } = input.config.report;
  const opts = (what: string) => ({ confidence, resamples: bootstrapResamples, margin, quantiles: DEFAULT_QUANTILES, random: seededRandom(hash32(`${input.runId}/llm/${what}`)) });
  const zeros = (n: number) => new Float64Array(n);
  const ok = (f: (r: LlmRequest) => boolean, ps: readonly JobPair<LlmRequest>[], side: 'a' | 'b') => Uint8Array.from(ps, (p) => (f(p[side]) ? 1 : 0));
  const lines: PairedLine[] = [];
  if (pairs.length >= 2) {
    const ttft: PairedJobs = {
      okA: ok(completed, pairs, 'a'), okB: ok(completed, pairs, 'b'),
      latA: Float64Array.from(pairs, (p) => (completed(p.a) ? p.a.ttft_us : p.a.total_us) / 1e6),
      latB: Float64Array.from(pairs, (p) => (completed(p.b) ? p.b.ttft_us : p.b.total_us) / 1e6),
      costA: zeros(pairs.length), costB: zeros(pairs.length),
    };
    lines.push(...comparePaired(ttft, { ...opts('ttft'), only: ['latency'] }).map((l) => renamed(l, 'TTFT', 's')));
  }
  const both = pairs.filter((p) => hasTpot(p.a) && hasTpot(p.b));
  if (both.length >= 2) {
    const tpot: PairedJobs = {
      okA: new Uint8Array(both.length).fill(1), okB: new Uint8Array(both.length).fill(1),
      latA: Float64Array.from(both, (p) => p.a.tpot_us / 1e6), latB: Float64Array.from(both, (p) => p.b.tpot_us / 1e6),
      costA: zeros(both.length), costB: zeros(both.length),
    };
    lines.push(...comparePaired(tpot, { ...opts('tpot'), only: ['latency'] }).map((l) => renamed(l, 'TPOT', 's/token')));
  }
  if (slo && pairs.length >= 2) {
    const good: PairedJobs = {
      okA: ok((r) => meetsSlo(r, slo), pairs, 'a'), okB: ok((r) => meetsSlo(r, slo), pairs, 'b'),
      latA: zeros(pairs.length), latB: zeros(pairs.length), costA: zeros(pairs.length), costB: zeros(pairs.length),
    };
    lines.push(...comparePaired(good, { ...opts('goodput'), only: ['success'] }).map((l) => renamed(l, 'goodput (share meeting all SLOs)', 'share')));
  }
  // Holm across the LLM family: these lines are read together, apart from the headline family.
  return withHolm(lines, 1 - confidence, margin);
}

export function buildLlm(requests: readonly LlmRequest[], input: SectionInput): LlmSummary | null {
  if (!requests.length) return null;
  const slo = input.config.slo;
  const names = [...new Set([...input.targets.map((t) => t.name), ...requests.map((r) => r.target)])].filter((n) => requests.some((r) => r.target === n));
  const targets = names.map((n) => llmTarget(n, requests.filter((r) => r.target === n), slo, input.config.report.confidence));
  const streamed = new Set(targets.filter((t) => t.streaming).map((t) => t.target));
  // Without a stream on both sides there is no TTFT to pair.
  const pairs = input.candidate && streamed.has(input.baseline) && streamed.has(input.candidate) ? bootstrapSubset(pairsOf(requests, input.baseline, input.candidate)) : [];
  return {
    slo: slo ? { ttftMs: slo.ttftMs ?? null, tpotMs: slo.tpotMs ?? null } : null,
    targets,
    comparisons: llmComparisons(pairs, slo, input).map(comparisonOf),
  };
}

export const llmSection = section({
  fills: ['llm'],
  async load(q, input) {
    const modulo = pairModulo(input.jobs);
    const tokens = await q.tokens(modulo);
    if (!tokens.length) return [];
    return joinTokens(await q.pairs(modulo), tokens);
  },
  build(requests: LlmRequest[], input) {
    return { llm: buildLlm(requests, input) };
  },
});
