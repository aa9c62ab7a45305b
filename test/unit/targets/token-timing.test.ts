// LLM requests on both simulators: time to first token is queue + network +
// prefill, time per output token is 1 / decode rate for a request alone on its
// replica, and grows with the requests batched beside it as the stated model
// says (harness/targets/common/token-timing.ts). A lost provider loses the stream.
import { describe, expect, it } from 'vitest';
import type { JobOut } from '../../../harness/proto/types.ts';
import { baselineModel } from '../../../harness/targets/baseline/server.ts';
import type { TimedEvent } from '../../../harness/targets/common/sim-server.ts';
import { BatchSlots, LLM_PARAMS } from '../../../harness/targets/common/token-timing.ts';
import { WorkloadSchema } from '../../../harness/targets/common/workloads.ts';
import { decentralizedModel } from '../../../harness/targets/decentralized/server.ts';

const PROMPT = 3000;
const OUTPUT = 201;
const DECODE = LLM_PARAMS.llm_decode_tps_rtx4090.value;
const PREFILL = LLM_PARAMS.llm_prefill_tps_rtx4090.value;
const K = LLM_PARAMS.llm_batch_slowdown.value;
const LIMIT = LLM_PARAMS.llm_max_concurrency.value;
// Nodes at exactly nominal speed that never leave: the timing is the model's alone.
const STEADY = { throttled_share: 0, node_speed_sd: 0 };

function request(id: string, atUs: number, over: Partial<JobOut> = {}): JobOut {
  return {
    jobId: id, submittedAtUs: atUs, customer: 'c', profile: 'chat', taskType: 'llm_inference', gpuClass: 'rtx4090', gpuCount: 1, vramGb: 24,
    image: 'vllm', imageBytes: 8.5e9, inputBytes: 0, outputBytes: 0, workSeconds: 99, pricePaidUsd: 0, sensitivity: 'public', deadlineSeconds: 0, labels: {},
    promptTokens: PROMPT, outputTokens: OUTPUT, ...over,
  } as JobOut;
}

const at = (tl: TimedEvent[], type: string) => tl.find((e) => e.event.type === type)?.offsetUs;
/** TTFT after the start on the replica, and TPOT, in seconds. */
function timing(tl: TimedEvent[]): { ttft: number; sinceStart: number; tpot: number; tokens: number } {
  const first = at(tl, 'FIRST_TOKEN')!;
  const done = tl.find((e) => e.event.type === 'COMPLETED')!;
  return { ttft: first / 1e6, sinceStart: (first - at(tl, 'STARTED')!) / 1e6, tpot: (done.offsetUs - first) / 1e6 / (OUTPUT - 1), tokens: done.event.tokens as number };
}

const group = (replicas: number) => [WorkloadSchema.parse({ name: 'llm', match: { taskTypes: ['llm_inference'] }, baseline: { replicas, gpuClass: 'rtx4090', priority: 'high' }, network: { mode: 'pool', gpuClass: 'rtx4090', minRentals: replicas, maxRentals: replicas } })];

describe('baseline simulator: LLM requests', () => {
  it('alone on a replica: TTFT = network + prefill, TPOT = 1 / decode rate', () => {
    const m = baselineModel(3, { ...STEADY, lifetime_scale_h: 1e9 }, {}, group(1));
    const t = timing(m.plan(request('a', 0)));
    // The replica is warm and free: no queue; network is one round trip (no input bytes).
    expect(t.ttft).toBeCloseTo(0.04 + PROMPT / PREFILL, 6);
    expect(t.sinceStart).toBeCloseTo(t.ttft, 6);
    expect(t.tpot).toBeCloseTo(1 / DECODE, 6);
    expect(t.tokens).toBe(OUTPUT);
  });

  it('batched: the n-th request on a replica decodes at TPOT(1)·(1 + k·(n − 1)); past the limit it queues for a slot', () => {
    const m = baselineModel(3, { ...STEADY, lifetime_scale_h: 1e9 }, {}, group(1));
    const tls = Array.from({ length: LIMIT + 1 }, (_, i) => m.plan(request(`r${i}`, i)));
    tls.slice(0, LIMIT).forEach((tl, i) => {
      expect(timing(tl).tpot).toBeCloseTo((1 / DECODE) * (1 + K * i), 6);
      expect(timing(tl).sinceStart).toBeCloseTo(0.04 + PROMPT / PREFILL, 6);
    });
    // The 17th waits until the first request (the fastest) finishes, then shares the replica with the 15 still decoding.
    const firstDone = tls[0]!.find((e) => e.event.type === 'COMPLETED')!.offsetUs;
    const last = tls[LIMIT]!;
    expect(at(last, 'STARTED')! + LIMIT).toBeCloseTo(firstDone, -1);
    expect(timing(last).tpot).toBeCloseTo((1 / DECODE) * (1 + K * (LIMIT - 1)), 6);
    // TTFT includes that queue.
    expect(timing(last).ttft).toBeGreaterThan(firstDone / 1e6 - LIMIT / 1e6);
  });

  it('a request batched with others is charged its share of the GPU', () => {
    const m = baselineModel(3, { ...STEADY, lifetime_scale_h: 1e9 }, {}, group(1));
    const useful = (tl: TimedEvent[]) => tl.filter((e) => e.event.type === 'BILLED' && e.event.reason === 'useful').reduce((s, e) => s + (e.event.billedGpuSeconds as number), 0);
    const alone = m.plan(request('a', 0));
    const second = m.plan(request('b', 1));
    expect(useful(alone)).toBeCloseTo((at(alone, 'COMPLETED')! - at(alone, 'STARTED')!) / 1e6, 6);
    expect(useful(second)).toBeCloseTo((at(second, 'COMPLETED')! - at(second, 'STARTED')!) / 1e6 / 2, 6);
  });

  it('a node lost mid-generation loses the stream: the retry streams again from its own first token', () => {
    // Short lifetimes: some requests are cut.
    const m = baselineModel(5, { ...STEADY, lifetime_scale_h: 0.05 }, {}, group(4));
    let cut = 0;
    for (let i = 0; i < 300; i++) {
      const tl = m.plan(request(`x${i}`, i * 5e6, { outputTokens: 2000 }));
      const lost = tl.find((e) => e.event.type === 'PROVIDER_LOST');
      if (!lost || !tl.some((e) => e.event.type === 'COMPLETED')) continue;
      cut++;
      const firsts = tl.filter((e) => e.event.type === 'FIRST_TOKEN');
      const last = firsts[firsts.length - 1]!;
      // The first token of the attempt that completed comes after the loss.
      expect(last.event.attempt).toBeGreaterThan(lost.event.attempt!);
      expect(last.offsetUs).toBeGreaterThan(lost.offsetUs);
      // No token of the lost attempt is after its loss.
      for (const e of tl.filter((x) => (x.event.type === 'FIRST_TOKEN' || x.event.type === 'TOKENS') && x.event.attempt === lost.event.attempt)) expect(e.offsetUs).toBeLessThanOrEqual(lost.offsetUs);
    }
    expect(cut).toBeGreaterThan(0);
  });
});

describe('decentralized simulator: LLM requests on a warm pool', () => {
  const net = () => decentralizedModel(4, { ...STEADY, session_scale_h: 1e9, relay_outage_per_day: 0, providers: 200 }, {}, [], group(1));

  it('alone on a rental: TTFT = network + prefill, TPOT = 1 / decode rate of the rental\'s GPU class', () => {
    const m = net();
    const tl = m.plan(request('a', 3600e6));
    const t = timing(tl);
    expect(t.sinceStart).toBeCloseTo(0.15 + PROMPT / PREFILL, 6);
    expect(t.tpot).toBeCloseTo(1 / DECODE, 6);
  });

  it('batched: TPOT grows as the stated model says', () => {
    const m = net();
    const tls = Array.from({ length: 6 }, (_, i) => m.plan(request(`r${i}`, 3600e6 + i)));
    tls.forEach((tl, i) => expect(timing(tl).tpot).toBeCloseTo((1 / DECODE) * (1 + K * i), 6));
  });
});

describe('batch slots', () => {
  it('counts requests in flight and finds the first free slot', () => {
    const b = new BatchSlots(2);
    b.add(0, 10);
    b.add(1, 5);
    expect(b.inFlight(2)).toBe(2);
    expect(b.nextFree(2)).toBe(5);
    expect(b.nextFree(6)).toBe(6);
  });
});
