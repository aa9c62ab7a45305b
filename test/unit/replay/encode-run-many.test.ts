// The replay's RunMany request writer (harness/replay/encode-run-many.ts)
// against the codec it stands in for: byte for byte what the RunMany method's
// requestSerialize makes of the request object built from the same job.
import { describe, expect, it } from 'vitest';
import { encodeRunManyStart, type RunManyStart } from '../../../harness/replay/encode-run-many.ts';
import { RunRequestEncoder, runManyMethod } from '../../../harness/replay/run-request.ts';
import { toProtoJob } from '../../../harness/replay/to-proto.ts';
import { JobRecordSchema, type Job } from '../../../harness/trace/job.ts';
import { Release } from '../../../harness/replay/release.ts';
import type { RunManyRequestsOut } from '../../../harness/proto/types.ts';

const method = runManyMethod();

function reflected(job: Job, s: RunManyStart): Buffer {
  return method.requestSerialize({
    requests: [{ tag: s.tag, run: { runId: s.runId, jobId: job.job_id, idempotencyKey: s.idempotencyKey, speed: s.speed, job: toProtoJob(job), intendedAtUs: s.intendedAtUs }, deadlineMs: s.deadlineMs }],
  });
}

const base = JobRecordSchema.parse({ job_id: 'j1', submitted_at: 1_700_000_000_000_000, customer: 'c', task_type: 'llm_inference', work_seconds: 2 });

/** Strings of 39 and 40 characters on each side of protobufjs's switch from its own UTF-8 loop to Buffer's, with lone surrogates. */
const lone39 = `a\ud800b${'x'.repeat(36)}`;
const lone40 = `a\ud800b${'x'.repeat(37)}`;

const JOBS: Job[] = [
  base,
  JobRecordSchema.parse({
    job_id: 'job-ü€𝄞-1', submitted_at: '2024-11-15T16:57:50.123456Z', customer: 'ACME Ltd', profile: 'p'.repeat(100), task_type: 'rendering', gpu_class: 'h100',
    gpu_count: 64, vram_gb: 80.5, image: `registry.example/${'i'.repeat(300)}:v1`, image_bytes: 2 ** 53 - 1, input_bytes: 2 ** 33 + 5, output_bytes: 127,
    work_seconds: 1e-9, price_paid_usd: 1234.5678, sensitivity: 'confidential', deadline_seconds: 3600, labels: { a: 'b', 'ключ': 'значение', e: '', [lone39]: lone40 },
    prompt_tokens: 10_000_000, output_tokens: 0,
  }),
  JobRecordSchema.parse({ ...base, job_id: lone39, customer: lone40, prompt_tokens: 300, output_tokens: 40, labels: JSON.parse('{"__proto__":"x","z":"\\ud83d"}') as Record<string, string> }),
  // A job object without some fields (not from the schema): absent fields are not written, as fromObject leaves them unset.
  { ...base, profile: undefined, vram_gb: undefined, labels: undefined, image_bytes: undefined } as unknown as Job,
];

const STARTS: RunManyStart[] = [
  { tag: 1, runId: 'run-1', idempotencyKey: 'run-1/j1', speed: 1, intendedAtUs: 1_700_000_000_500_000, deadlineMs: 5_000 },
  { tag: 2 ** 53 - 1, runId: 'r', idempotencyKey: 'r/ü', speed: 1e9, intendedAtUs: 0, deadlineMs: 0xffffffff },
  { tag: 0, runId: '', idempotencyKey: '', speed: Number.NaN, intendedAtUs: -1, deadlineMs: 0 },
  { tag: 2 ** 40 + 0.5, runId: 'x'.repeat(64), idempotencyKey: lone40, speed: -0, intendedAtUs: -(2 ** 62) - 12345, deadlineMs: 1.5 },
  { tag: 2 ** 64, runId: lone39, idempotencyKey: 'k', speed: Infinity, intendedAtUs: 2 ** 63, deadlineMs: 7 },
  { tag: -5, runId: 'r', idempotencyKey: 'k', speed: 0.001, intendedAtUs: -(2 ** 63), deadlineMs: 7 },
  { tag: 3, runId: 'r', idempotencyKey: 'k', speed: 2, intendedAtUs: Number.NaN, deadlineMs: Number.NaN },
  { tag: 3, runId: 'r', idempotencyKey: 'k', speed: 2, intendedAtUs: -(2 ** 32), deadlineMs: 1 },
];

describe('RunMany request writer', () => {
  it('writes the bytes the method codec writes, for every job field and the edges of each type', () => {
    let cases = 0;
    for (const job of JOBS) {
      for (const s of STARTS) {
        const lean = encodeRunManyStart(job, s);
        const codec = reflected(job, s);
        expect({ job: job.job_id, start: s, hex: lean.toString('hex') }).toEqual({ job: job.job_id, start: s, hex: codec.toString('hex') });
        cases++;
      }
    }
    expect(cases).toBe(JOBS.length * STARTS.length);
  });

  it('is what RunRequestEncoder.encodeMany sends, and a target reads the request back', () => {
    const enc = new RunRequestEncoder('run-1', 10);
    const job = JOBS[1]!;
    const release = new Release(job, 1_700_000_000_500_000, 1_700_000_000_500_100);
    const bytes = enc.encodeMany(release, 1234.2);
    const tag = release.tag;
    // Every target of the release gets the same message and tag; another release of the same job gets its own.
    expect(enc.encodeMany(release, 1234.2)).toBe(bytes);
    const again = new Release(job, 1_700_000_000_500_000, 1_700_000_000_500_100);
    enc.encodeMany(again, 1234.2);
    expect(again.tag).toBe(tag + 1);
    expect(bytes.equals(reflected(job, { tag, runId: 'run-1', idempotencyKey: `run-1/${job.job_id}`, speed: 10, intendedAtUs: 1_700_000_000_500_000, deadlineMs: 1235 }))).toBe(true);
    const read = (method.requestDeserialize(bytes) as unknown as RunManyRequestsOut).requests[0]!;
    expect(read).toMatchObject({ tag, deadlineMs: 1235, run: { runId: 'run-1', jobId: job.job_id, speed: 10, intendedAtUs: 1_700_000_000_500_000 } });
    expect(read.run!.job).toMatchObject({ imageBytes: 2 ** 53 - 1, promptTokens: 10_000_000, labels: { a: 'b', 'ключ': 'значение' } });
  });
});
