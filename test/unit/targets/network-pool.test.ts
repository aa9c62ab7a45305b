// The network side of a deployment: a pool of warm rentals per workload (as
// golem-js's rental pool), or a rental per long job; billed by the
// agreement's linear price from agreement start, idle included; termination
// reasons by cause; relay outages stall the market, and running jobs fail
// only when their results cannot come back in time.
import { describe, expect, it } from 'vitest';
import type { JobOut } from '../../../harness/proto/types.ts';
import { toProtoJob } from '../../../harness/replay/to-proto.ts';
import { WorkloadSchema } from '../../../harness/targets/common/workloads.ts';
import type { TimedEvent } from '../../../harness/targets/common/sim-server.ts';
import { decentralizedModel } from '../../../harness/targets/decentralized/server.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const HOUR = 3600e6;
const outcome = (tl: TimedEvent[]) => tl.find((e) => e.event.type === 'COMPLETED' || e.event.type === 'FAILED')!;
const billed = (tl: TimedEvent[], part: string) => tl.filter((e) => e.event.type === 'BILLED' && e.event.reason === part).reduce((s, e) => s + Number(e.event.amount), 0);
const demo = () => [...generateTrace({ jobs: 3000, spanSeconds: 2 * 24 * 3600, seed: 42 })].map((j) => toProtoJob(j) as JobOut);
const REQUESTOR_SIDE = ['DebitNotesDeadline', 'DebitNoteRejected', 'DebitNoteNotPaid', 'RequestorUnreachable', 'NoActivity', 'Expired'];

describe('network: warm rental pools', () => {
  it('serves an LLM workload from a warm pool within seconds of its work time when providers are plentiful, and bills the idle rentals', () => {
    // An hour of LLM inference, about 5.5 requests/s of 1–20 s each: ~55 requests in flight.
    const jobs: JobOut[] = [];
    let t = 0;
    let k = 0;
    while (t < HOUR) {
      t += (-Math.log(1 - ((k * 0.6180339887) % 1)) / 5.5) * 1e6;
      jobs.push({ jobId: `llm${k}`, submittedAtUs: Math.round(t), customer: 'c', profile: 'startup-inference', taskType: 'llm_inference', gpuClass: 'rtx4090', gpuCount: 1, vramGb: 24, image: 'vllm', imageBytes: 8.5e9, inputBytes: 4000, outputBytes: 2000, workSeconds: 1 + ((k * 7919) % 1900) / 100, pricePaidUsd: 0, sensitivity: 'public', deadlineSeconds: 0, labels: {} } as JobOut);
      k++;
    }
    const pool = WorkloadSchema.parse({ name: 'llm', match: { taskTypes: ['llm_inference'] }, network: { mode: 'pool', gpuClass: 'rtx4090', minRentals: 70, maxRentals: 90, idleTimeoutSeconds: 600 } });
    const m = decentralizedModel(7, { providers: 600, relay_outage_per_day: 0 }, {}, [], [pool]);
    const extra: number[] = [];
    let idle = 0;
    let total = 0;
    for (const j of jobs) {
      const tl = m.plan(j);
      const o = outcome(tl);
      if (o.event.type === 'COMPLETED') extra.push(o.offsetUs / 1e6 - j.workSeconds);
      idle += billed(tl, 'idle');
      total += Number(o.event.amount);
    }
    extra.sort((a, b) => a - b);
    expect(extra.length).toBeGreaterThan(jobs.length * 0.99);
    // Latency = work time / node speed + moving a few kB: within a few seconds of the work.
    expect(extra[Math.floor(extra.length / 2)]!).toBeLessThan(3);
    // Seventy rentals held for an hour for ~55 busy: the pool's idle time is part of the bill.
    expect(idle / total).toBeGreaterThan(0.1);
    expect(m.parameters['deployment.llm']).toMatch(/pool of 70–90 warm rtx4090 rentals/);
  });

  it('bills each pooled rental at least for the time it was held (start price + env price × held seconds)', () => {
    const m = decentralizedModel(8, { start_price_glm: 0.01 });
    for (const j of demo()) m.plan(j);
    const ended = m.endedRentals();
    expect(ended.length).toBeGreaterThan(10);
    for (const r of ended) expect(r.billed).toBeGreaterThanOrEqual((0.01 + ((r.endAt - r.agreeAt) / HOUR) * r.price) * (1 - 1e-9));
    // Idle rentals above the minimum are let go after the timeout; others end with their provider.
    expect(ended.some((r) => r.reason === 'Released')).toBe(true);
  });

  it('holds the pool until the run ends after the last arrival and bills that time too (to the last job, invoiced after the end)', () => {
    const pool = WorkloadSchema.parse({ name: 'llm', match: { taskTypes: ['llm_inference'] }, network: { mode: 'pool', gpuClass: 'rtx4090', minRentals: 2, maxRentals: 4, idleTimeoutSeconds: 600 } });
    // Providers that stay, no outages, a start price so each agreement's start shows.
    const m = decentralizedModel(11, { providers: 300, session_scale_h: 1e7, relay_outage_per_day: 0, start_price_glm: 0.02 }, {}, [], [pool]);
    m.runJobs = 2;
    const mk = (id: string, at: number, work: number) => ({ jobId: id, submittedAtUs: at, customer: 'c', profile: 'startup-inference', taskType: 'llm_inference', gpuClass: 'rtx4090', gpuCount: 1, vramGb: 24, image: 'vllm', imageBytes: 8.5e9, inputBytes: 0, outputBytes: 0, workSeconds: work, pricePaidUsd: 0, sensitivity: 'public', deadlineSeconds: 0, labels: {} }) as JobOut;
    const a = m.plan(mk('a', 0, 10));
    const b = m.plan(mk('b', HOUR, 2 * 3600));
    const runEnd = HOUR + outcome(b).offsetUs;
    const ended = m.endedRentals();
    expect(ended.length).toBe(2);
    for (const r of ended) {
      expect(r.endAt).toBe(runEnd);
      expect(r.reason).toBe('RunEnded');
      expect(r.billed).toBeCloseTo(0.02 + ((r.endAt - r.agreeAt) / HOUR) * r.price, 9);
    }
    // Every GLM the rentals were billed is charged to a job, and the last job's BILLED parts add up to its outcome.
    const charged = Number(outcome(a).event.amount) + Number(outcome(b).event.amount);
    expect(charged).toBeCloseTo(ended.reduce((s, r) => s + r.billed, 0), 9);
    expect(billed(b, 'useful') + billed(b, 'idle') + billed(b, 'lost')).toBeCloseTo(Number(outcome(b).event.amount), 9);
    const settled = b.filter((e) => e.event.type === 'SETTLED');
    expect(settled.reduce((s, e) => s + Number(e.event.amount), 0)).toBeCloseTo(Number(outcome(b).event.amount), 9);
    expect(settled.at(-1)!.offsetUs).toBeGreaterThan(outcome(b).offsetUs);
  });
});

describe('network: termination reasons by cause', () => {
  it('ends agreements from the requestor side only when the requestor causes it: late debit-note acceptance, late payment and a late activity are faults that do', () => {
    const jobs = demo().slice(0, 1500);
    const reasons = (over: Record<string, number>) => {
      const m = decentralizedModel(9, { relay_outage_per_day: 0, ...over });
      return jobs.flatMap((j) => m.plan(j)).filter((e) => e.event.type === 'PROVIDER_LOST').map((e) => e.event.reason!);
    };
    const normal = reasons({});
    expect(normal.length).toBeGreaterThan(0);
    expect(normal.filter((r) => REQUESTOR_SIDE.includes(r))).toEqual([]);
    const late = reasons({ debit_note_accept_s: 300 });
    expect(late.filter((r) => r === 'DebitNotesDeadline').length).toBeGreaterThan(normal.length);
    // Debit notes paid later than the payment timeout, and activities created later than the provider waits: the other two requestor-side causes.
    const unpaid = reasons({ debit_note_pay_s: 4000, payment_timeout_s: 600 });
    expect(unpaid.filter((r) => r === 'DebitNoteNotPaid').length).toBeGreaterThan(normal.length);
    const slow = reasons({ activity_min_s: 100, activity_max_s: 200 });
    expect(slow.filter((r) => r === 'NoActivity').length).toBeGreaterThan(0);
    expect(slow.filter((r) => REQUESTOR_SIDE.includes(r) && r !== 'NoActivity')).toEqual([]);
  });

  it('sends debit notes about every 120 s of an agreement, for the running total', () => {
    const m = decentralizedModel(10, { relay_outage_per_day: 0 });
    const long = demo().filter((j) => j.taskType === 'rendering' && j.gpuCount === 1).slice(0, 20);
    const tls = long.map((j) => m.plan(j));
    const notes = tls.flatMap((tl) => {
      const ds = tl.filter((e) => e.event.type === 'DEBIT_NOTE' && e.event.attempt === outcome(tl).event.attempt);
      return ds.slice(1).map((d, i) => [(d.offsetUs - ds[i]!.offsetUs) / 1e6, Number(d.event.amount) - Number(ds[i]!.event.amount)]);
    });
    expect(notes.length).toBeGreaterThan(20);
    for (const [gap, more] of notes) expect(gap).toBeCloseTo(120, 3), expect(more!).toBeGreaterThan(0);
  });

  it('lets running jobs survive a short relay outage (results fetched when it ends), and fails them only past the results timeout', () => {
    const jobs = demo().slice(0, 800);
    const run = (durationSeconds: number, over: Record<string, number> = {}) => {
      const m = decentralizedModel(11, { relay_outage_per_day: 0, ...over }, { outages: [{ afterSeconds: 6 * 3600, durationSeconds }] });
      return jobs.flatMap((j) => m.plan(j)).filter((e) => e.event.type === 'PROVIDER_LOST').map((e) => e.event.reason!);
    };
    const short = run(120);
    expect(short.filter((r) => r === 'ResultsNotReturned' || r === 'RequestorUnreachable')).toEqual([]);
    // An hour, with a 1-minute results timeout and providers that wait two: work finished inside it is lost.
    const long = run(3600, { result_return_timeout_s: 60, requestor_unreachable_s: 7200 });
    expect(long.filter((r) => r === 'ResultsNotReturned').length).toBeGreaterThan(0);
  });
});
