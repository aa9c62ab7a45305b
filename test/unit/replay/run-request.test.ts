import { describe, expect, it } from 'vitest';
import { RunRequestEncoder, runMethod } from '../../../harness/replay/run-request.ts';
import { toProtoJob } from '../../../harness/replay/to-proto.ts';
import { JobRecordSchema } from '../../../harness/trace/job.ts';

const job = JobRecordSchema.parse({ job_id: 'j1', submitted_at: 1_700_000_000_000_000, customer: 'c', task_type: 'llm_inference', work_seconds: 2, prompt_tokens: 300, output_tokens: 40, labels: { a: 'b' } });

describe('Run request encoding', () => {
  it('encodes what client.run would send for the job', () => {
    const bytes = new RunRequestEncoder('run-1', 10).encode(job, 1_700_000_000_500_000);
    const run = runMethod();
    expect(bytes.equals(run.requestSerialize({ runId: 'run-1', jobId: 'j1', idempotencyKey: 'run-1/j1', speed: 10, job: toProtoJob(job), intendedAtUs: 1_700_000_000_500_000 }))).toBe(true);
    const decoded = run.requestDeserialize(bytes);
    expect(decoded).toMatchObject({ runId: 'run-1', jobId: 'j1', idempotencyKey: 'run-1/j1', speed: 10, intendedAtUs: 1_700_000_000_500_000 });
    expect(decoded.job).toMatchObject({ jobId: 'j1', promptTokens: 300, outputTokens: 40, labels: { a: 'b' } });
  });

  it('encodes a release once for all targets, and again for another job or intended time', () => {
    const enc = new RunRequestEncoder('run-1', 1);
    const first = enc.encode(job, 5);
    expect(enc.encode(job, 5)).toBe(first);
    const later = enc.encode(job, 6);
    expect(later).not.toBe(first);
    expect(runMethod().requestDeserialize(later).intendedAtUs).toBe(6);
    const other = JobRecordSchema.parse({ ...job, job_id: 'j2' });
    expect(runMethod().requestDeserialize(enc.encode(other, 6)).jobId).toBe('j2');
  });
});
