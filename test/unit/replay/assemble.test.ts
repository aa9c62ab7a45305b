import { describe, expect, it } from 'vitest';
import { ResultAssembler } from '../../../harness/replay/assemble.ts';
import type { JobEventOut } from '../../../harness/proto/types.ts';
import { JobRecordSchema } from '../../../harness/trace/job.ts';

const job = JobRecordSchema.parse({ job_id: 'j1', submitted_at: 1_700_000_000_000_000, customer: 'c', task_type: 'rendering', work_seconds: 600, image_bytes: 5e9, output_bytes: 1000 });
const intended = 10_000_000;
const speed = 100;

function ev(type: JobEventOut['type'], traceS: number, extra: Partial<JobEventOut> = {}): JobEventOut {
  return {
    jobId: 'j1', type, atUs: intended + (traceS * 1e6) / speed, attempt: 1, providerId: '', pricePerHour: 0, amount: 0, currency: '', amountUsd: 0,
    usdRate: 0, errorClass: '', reason: '', detail: '', progress: 0, outputDigest: '', bytes: 0, offers: 0, billedGpuSeconds: 0, gpuClass: '', tokens: 0, promptTokens: 0, ...extra,
  };
}

describe('result assembly', () => {
  it('folds a retried decentralized job into one row with attempts, losses and settled cost', () => {
    const a = new ResultAssembler({ runId: 'r', target: 'dec', targetKind: 'decentralized', speed }, job, intended);
    a.markSent(intended + 300);
    const events = [
      ev('OFFER_RECEIVED', 2, { offers: 12 }),
      ev('PROVIDER_ASSIGNED', 5, { providerId: 'p1', pricePerHour: 0.5, currency: 'GLM' }),
      ev('STARTED', 60, { providerId: 'p1' }),
      ev('PROVIDER_LOST', 200, { providerId: 'p1', reason: 'Shutdown' }),
      ev('RETRYING', 200, { attempt: 2 }),
      ev('OFFER_RECEIVED', 203, { attempt: 2, offers: 9 }),
      ev('PROVIDER_ASSIGNED', 206, { attempt: 2, providerId: 'p2', pricePerHour: 0.4 }),
      ev('STARTED', 250, { attempt: 2, providerId: 'p2' }),
      ev('COMPLETED', 850, { attempt: 2, amount: 0.09, amountUsd: 0.02, currency: 'GLM', billedGpuSeconds: 790, bytes: 1234 }),
      ev('SETTLED', 900, { attempt: 2, providerId: 'p1', amount: 0.03, amountUsd: 0.006, currency: 'GLM' }),
      ev('SETTLED', 1200, { attempt: 2, providerId: 'p2', amount: 0.07, amountUsd: 0.015, currency: 'GLM' }),
    ];
    events.forEach((e, i) => a.add(e, intended + 1000 + i));
    const row = a.row();
    expect(row.status).toBe('completed');
    expect(row.attempts).toBe(2);
    expect(row.providers_tried).toBe(2);
    expect(row.provider_losses).toBe(1);
    expect(row.offers).toBe(21);
    expect(row.provider_id).toBe('p2');
    expect(row.queue_us).toBe(250e6);
    expect(row.exec_us).toBe(600e6);
    expect(row.total_us).toBe(850e6);
    expect(row.cost_native).toBeCloseTo(0.1, 12);
    expect(row.cost_usd).toBeCloseTo(0.021, 12);
    expect(row.currency).toBe('GLM');
    expect(row.lateness_us).toBe(300);
    expect(row.output_bytes).toBe(1234);
    expect(row.events).toBe(events.length);
  });

  it('records a stream that ended without an outcome as a failure of the given class', () => {
    const a = new ResultAssembler({ runId: 'r', target: 'b', targetKind: 'baseline', speed }, job, intended);
    a.markSent(intended);
    a.add(ev('QUEUED', 0), intended + 10);
    const row = a.row({ errorClass: 'target_unavailable', atUs: intended + 50_000 });
    expect(row.status).toBe('failed');
    expect(row.error_class).toBe('target_unavailable');
    expect(row.total_us).toBe(50_000 * speed);
    expect(row.exec_us).toBe(0);
    expect(row.cost_usd).toBe(0);
  });

  it('keeps the first outcome when a target sends two', () => {
    const a = new ResultAssembler({ runId: 'r', target: 'b', targetKind: 'baseline', speed }, job, intended);
    a.add(ev('FAILED', 10, { errorClass: 'no_capacity' }), intended + 1);
    a.add(ev('COMPLETED', 20), intended + 2);
    expect(a.row().status).toBe('failed');
    expect(a.row().error_class).toBe('no_capacity');
  });

  it('times an LLM request from the first token of the attempt that completed: a stream lost with its provider does not count', () => {
    const llm = JobRecordSchema.parse({ job_id: 'j1', submitted_at: 1_700_000_000_000_000, customer: 'c', task_type: 'llm_inference', work_seconds: 5, prompt_tokens: 2000, output_tokens: 101 });
    const a = new ResultAssembler({ runId: 'r', target: 'dec', targetKind: 'decentralized', speed }, llm, intended);
    for (const e of [
      ev('STARTED', 1),
      ev('FIRST_TOKEN', 1.5, { tokens: 1, promptTokens: 2000 }),
      ev('TOKENS', 2, { tokens: 30 }),
      ev('PROVIDER_LOST', 3, { reason: 'Shutdown' }),
      ev('RETRYING', 3, { attempt: 2 }),
      ev('STARTED', 10, { attempt: 2 }),
      ev('FIRST_TOKEN', 10.4, { attempt: 2, tokens: 1 }),
      ev('COMPLETED', 12.4, { attempt: 2, tokens: 101 }),
    ]) a.add(e, e.atUs);
    const row = a.row();
    const t = a.tokenRow(row)!;
    expect(t).toMatchObject({ prompt_tokens: 2000, output_tokens: 101, tokens_streamed: 101, streams_lost: 1 });
    expect(t.ttft_us).toBe(10.4e6);
    // (12.4 − 10.4) s over the 100 tokens after the first.
    expect(t.tpot_us).toBeCloseTo(20_000, 6);
    expect(t.first_token_at_us).toBe(intended + (10.4e6 / speed));
    // A failed request has no TTFT or TPOT; a job that is not token-counted has no row.
    const f = new ResultAssembler({ runId: 'r', target: 'dec', targetKind: 'decentralized', speed }, llm, intended);
    f.add(ev('FIRST_TOKEN', 1.5, { tokens: 1 }), 0);
    f.add(ev('FAILED', 5, { errorClass: 'provider_lost' }), 0);
    expect(f.tokenRow(f.row())).toMatchObject({ ttft_us: 0, tpot_us: 0, streams_lost: 1, tokens_streamed: 1 });
    const plain = new ResultAssembler({ runId: 'r', target: 'b', targetKind: 'baseline', speed }, job, intended);
    plain.add(ev('COMPLETED', 20), 0);
    expect(plain.tokenRow(plain.row())).toBeUndefined();
  });
});
