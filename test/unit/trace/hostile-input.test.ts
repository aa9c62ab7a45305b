// Issue 16: what a trace reader must refuse (or skip and count) instead of
// passing on: broken Unicode, repeated job ids, lines out of arrival order,
// empty traces, impossible dates, files that are not what they claim to be.
// Each refusal is a TraceFormatError (exit 2) naming the file, the line and
// the field.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { TraceFormatError } from '../../../harness/common/errors.ts';
import { parseTimestampUs, type Job } from '../../../harness/trace/job.ts';
import { readTrace, writeJsonl, type ReadTraceOptions } from '../../../harness/trace/readers/index.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const dir = mkdtempSync(join(tmpdir(), 'mb-hostile-'));
async function all(path: string, opts?: ReadTraceOptions): Promise<Job[]> {
  const out: Job[] = [];
  for await (const j of readTrace(path, opts)) out.push(j);
  return out;
}
async function refusal(path: string, opts?: ReadTraceOptions): Promise<TraceFormatError> {
  try {
    await all(path, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(TraceFormatError);
    return err as TraceFormatError;
  }
  throw new Error(`${path} was read without an error`);
}
const job = (id: string, second: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ job_id: id, submitted_at: `2024-01-01T00:00:${String(second).padStart(2, '0')}Z`, customer: 'c', task_type: 'llm_inference', work_seconds: 1, ...extra });
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('strings that are not well-formed Unicode', () => {
  it('refuses a lone surrogate escaped in JSON, naming the line and the field', async () => {
    // JSON.stringify writes a lone surrogate as the escape \ud800: valid JSON, not valid text.
    const path = file('surrogate.jsonl', [job('s1', 1), job('s2', 2, { customer: 'acme\ud800' }), job('s3', 3)].join('\n'));
    expect(path).toBeTruthy();
    const err = await refusal(path);
    expect([err.line, err.field]).toEqual([2, 'customer']);
    expect(err.message).toMatch(/surrogate/);
  });

  it('refuses a lone surrogate in a label value and in the job id', async () => {
    const labels = await refusal(file('surrogate-label.jsonl', job('s1', 1, { labels: { team: '\udc00x' } })));
    expect(labels.field).toBe('labels.team');
    const id = await refusal(file('surrogate-id.jsonl', job('s\ud83d', 1)));
    expect(id.field).toBe('job_id');
  });

  it('skips and counts such lines under the skip policy', async () => {
    const path = file('surrogate-skip.jsonl', [job('s1', 1), job('s2', 2, { customer: '\ud800' }), job('s3', 3)].join('\n'));
    const skipped: TraceFormatError[] = [];
    const jobs = await all(path, { badLines: 'skip', onSkip: (e) => skipped.push(e) });
    expect(jobs.map((j) => j.job_id)).toEqual(['s1', 's3']);
    expect(skipped.map((e) => [e.line, e.field])).toEqual([[2, 'customer']]);
  });

  it('keeps valid non-ASCII text, surrogate pairs included', async () => {
    const jobs = await all(file('unicode.jsonl', job('jöb-🚀-東京', 1, { customer: 'ç\u0301' })));
    expect(jobs[0]).toMatchObject({ job_id: 'jöb-🚀-東京', customer: 'ç\u0301' });
  });

  it('refuses bytes that are not UTF-8, in JSONL and CSV, naming the line', async () => {
    const bad = Buffer.concat([Buffer.from(`${job('u1', 1)}\n{"job_id":"u2","submitted_at":"2024-01-01T00:00:02Z","customer":"`), Buffer.from([0xc3, 0x28]), Buffer.from('","task_type":"llm_inference","work_seconds":1}\n')]);
    const jsonl = await refusal(file('latin.jsonl', bad));
    expect(jsonl.line).toBe(2);
    expect(jsonl.message).toMatch(/UTF-8/);
    const csv = Buffer.concat([Buffer.from('job_id,submitted_at,customer,task_type,work_seconds\nc1,2024-01-01T00:00:00Z,acme,rendering,1\nc2,2024-01-01T00:00:01Z,'), Buffer.from([0xff, 0xfe]), Buffer.from(',rendering,1\n')]);
    const csvErr = await refusal(file('latin.csv', csv));
    expect(csvErr.line).toBe(3);
    expect(csvErr.message).toMatch(/UTF-8/);
  });
});

describe('job ids and arrival order', () => {
  it('refuses a job id used twice, naming both lines', async () => {
    const err = await refusal(file('dup.jsonl', [job('d1', 1), job('d2', 2), job('d1', 3), job('d3', 4)].join('\n')));
    expect([err.line, err.field]).toEqual([3, 'job_id']);
    expect(err.message).toMatch(/"d1".*line 1/);
  });

  it('refuses a repeated job id in CSV too, and among many distinct ones', async () => {
    const path = join(dir, 'dup-big.jsonl');
    const jobs = [...generateTrace({ jobs: 20_000, seed: 5 })];
    jobs.push({ ...jobs[12_345]!, submitted_at: jobs[jobs.length - 1]!.submitted_at });
    await writeJsonl(path, jobs);
    const err = await refusal(path);
    expect(err.line).toBe(20_001);
    expect(err.message).toContain(`"${jobs[12_345]!.job_id}"`);
    expect(err.message).toContain('line 12346');
    const csv = await refusal(file('dup.csv', 'job_id,submitted_at,customer,task_type,work_seconds\nx,2024-01-01T00:00:00Z,a,rendering,1\ny,2024-01-01T00:00:01Z,a,rendering,1\nx,2024-01-01T00:00:02Z,a,rendering,1\n'));
    expect([csv.line, csv.field]).toEqual([4, 'job_id']);
    expect(csv.message).toMatch(/line 2/);
  });

  it('refuses a line earlier than the one before it, naming both', async () => {
    const err = await refusal(file('unsorted.jsonl', [job('o1', 10), job('o2', 20), job('o3', 5), job('o4', 30)].join('\n')));
    expect([err.line, err.field]).toEqual([3, 'submitted_at']);
    expect(err.message).toMatch(/2024-01-01T00:00:05.*earlier.*line 2.*2024-01-01T00:00:20/);
  });

  it('does not count a skipped line as the one before', async () => {
    // Line 2 is malformed and skipped; line 3 is compared with line 1.
    const jobs = await all(file('unsorted-skip.jsonl', [job('k1', 10), job('k2', 40, { gpu_count: -1 }), job('k3', 20)].join('\n')), { badLines: 'skip' });
    expect(jobs.map((j) => j.job_id)).toEqual(['k1', 'k3']);
  });
});

describe('traces with no jobs', () => {
  it('refuses an empty trace', async () => {
    const err = await refusal(file('empty.jsonl', ''));
    expect(err.message).toMatch(/empty\.jsonl.*no jobs/);
    await refusal(file('blank.jsonl', '\n\n  \n'));
    await refusal(file('header-only.csv', 'job_id,submitted_at,customer,task_type,work_seconds\n'));
  });

  it('refuses a trace whose every line was skipped, saying how many', async () => {
    const err = await refusal(file('all-bad.jsonl', ['nope', job('b1', 1, { gpu_count: 0 })].join('\n')), { badLines: 'skip' });
    expect(err.message).toMatch(/all 2 lines .*skipped/);
  });
});

describe('dates', () => {
  it('refuses days that are not in the calendar', () => {
    expect(parseTimestampUs('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseTimestampUs('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseTimestampUs('2026-04-31 12:00:00')).toBeUndefined();
    expect(parseTimestampUs('2024-01-01T00:00:00+24:00')).toBeUndefined();
    expect(parseTimestampUs('2024-01-01T00:00:00+05:60')).toBeUndefined();
    expect(parseTimestampUs('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29) * 1000);
    expect(parseTimestampUs('2026-12-31T23:59:59.999999Z')).toBe(Date.UTC(2026, 11, 31, 23, 59, 59) * 1000 + 999_999);
  });

  it('names the line of an impossible date in a trace', async () => {
    const err = await refusal(file('feb30.jsonl', [job('f1', 1), JSON.stringify({ job_id: 'f2', submitted_at: '2026-02-30T00:00:00Z', customer: 'c', task_type: 'training', work_seconds: 1 })].join('\n')));
    expect([err.line, err.field]).toEqual([2, 'submitted_at']);
  });
});

describe('a UTF-8 byte order mark', () => {
  it('is accepted at the start of JSONL and CSV', async () => {
    const bom = '\ufeff';
    expect((await all(file('bom.jsonl', `${bom}${job('m1', 1)}\n${job('m2', 2)}\n`))).map((j) => j.job_id)).toEqual(['m1', 'm2']);
    expect((await all(file('bom.jsonl.gz', gzipSync(`${bom}${job('m1', 1)}\n`)))).map((j) => j.job_id)).toEqual(['m1']);
    expect((await all(file('bom.csv', `${bom}job_id,submitted_at,customer,task_type,work_seconds\nm1,2024-01-01T00:00:00Z,a,rendering,1\n`))).map((j) => j.job_id)).toEqual(['m1']);
  });
});

describe('files that are not what they claim to be', () => {
  it('names a missing file, a directory and a file that is not gzip', async () => {
    const missing = await refusal(join(dir, 'nope.jsonl'));
    expect(missing.message).toMatch(/nope\.jsonl: .*does not exist/);
    mkdirSync(join(dir, 'folder.jsonl'));
    expect((await refusal(join(dir, 'folder.jsonl'))).message).toMatch(/folder\.jsonl: .*directory/);
    expect((await refusal(file('plain.jsonl.gz', job('g1', 1)))).message).toMatch(/plain\.jsonl\.gz: .*not gzip/);
    expect((await refusal(file('cut.jsonl.gz', gzipSync(`${job('g1', 1)}\n${job('g2', 2)}\n`).subarray(0, 30)))).message).toMatch(/cut\.jsonl\.gz: .*gzip/);
    expect((await refusal(join(dir, 'nope.parquet'))).message).toMatch(/nope\.parquet: .*does not exist/);
  });

  it.skipIf(process.getuid?.() === 0)('names a file it may not read', async () => {
    const path = file('locked.jsonl', job('l1', 1));
    chmodSync(path, 0o000);
    expect((await refusal(path)).message).toMatch(/locked\.jsonl: .*permission/);
  });

  it('names an .arrow file that is not Arrow', async () => {
    expect((await refusal(file('garbage.arrow', Buffer.from('this is not arrow at all, just text\n'.repeat(20))))).message).toMatch(/garbage\.arrow: .*Arrow/);
    expect((await refusal(file('empty.arrow', Buffer.alloc(0)))).message).toMatch(/empty\.arrow/);
  });

  it('refuses a line longer than the limit instead of buffering it', async () => {
    const huge = job('h1', 1, { labels: { blob: 'x'.repeat(3 * 2 ** 20) } });
    const err = await refusal(file('huge.jsonl', `${job('h0', 0)}\n${huge}\n`));
    expect([err.line, err.field]).toEqual([2, '(line)']);
    expect(err.message).toMatch(/longer than/);
    // Skippable like any bad line.
    const jobs = await all(join(dir, 'huge.jsonl'), { badLines: 'skip' });
    expect(jobs.map((j) => j.job_id)).toEqual(['h0']);
  });
});

describe('gzipped Arrow', () => {
  it('reads .arrow.gz as documented', async () => {
    const table = tableFromArrays({
      job_id: ['z1', 'z2'],
      submitted_at: ['2024-01-01T00:00:00Z', '2024-01-01T00:00:02Z'],
      customer: ['c', 'c'],
      task_type: ['transcription', 'transcription'],
      work_seconds: Float64Array.from([30, 45]),
    });
    const path = file('t.arrow.gz', gzipSync(tableToIPC(table, 'file')));
    expect((await all(path)).map((j) => [j.job_id, j.work_seconds])).toEqual([['z1', 30], ['z2', 45]]);
    const stream = file('t.arrows.gz', gzipSync(tableToIPC(table, 'stream')));
    expect((await all(stream)).map((j) => j.job_id)).toEqual(['z1', 'z2']);
  });
});
