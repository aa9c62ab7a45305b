import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { TraceFormatError } from '../../../harness/common/errors.ts';
import type { Job } from '../../../harness/trace/job.ts';
import { readTrace, traceChecksum, writeJsonl } from '../../../harness/trace/readers/index.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const dir = mkdtempSync(join(tmpdir(), 'mb-readers-'));
async function all(it: AsyncIterable<Job>): Promise<Job[]> {
  const out: Job[] = [];
  for await (const j of it) out.push(j);
  return out;
}
const line = (id: string, extra = '') => `{"job_id":"${id}","submitted_at":"2024-01-01T00:00:0${id.slice(-1)}Z","customer":"c","task_type":"llm_inference","work_seconds":1${extra}}`;

describe('trace readers', () => {
  it('round-trips generated jobs through JSONL exactly', async () => {
    const jobs = [...generateTrace({ jobs: 500, seed: 3 })];
    const path = join(dir, 'rt.jsonl');
    expect(await writeJsonl(path, jobs)).toBe(500);
    expect(await all(readTrace(path))).toEqual(jobs);
    expect(await traceChecksum(path)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads CRLF line ends, blank lines and gzip', async () => {
    const text = `${line('a1')}\r\n\r\n${line('a2')}\r\n`;
    writeFileSync(join(dir, 'crlf.jsonl'), text);
    writeFileSync(join(dir, 'crlf.jsonl.gz'), gzipSync(text));
    expect((await all(readTrace(join(dir, 'crlf.jsonl')))).map((j) => j.job_id)).toEqual(['a1', 'a2']);
    expect((await all(readTrace(join(dir, 'crlf.jsonl.gz')))).map((j) => j.job_id)).toEqual(['a1', 'a2']);
  });

  it('fails on the first bad line by default, naming file, line and field', async () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, [line('b1'), line('b2', ',"gpu_count":-1'), 'not json', line('b4')].join('\n'));
    await expect(all(readTrace(path))).rejects.toThrow(`${path}:2: field "gpu_count"`);
  });

  it('skips and counts bad lines when asked', async () => {
    const path = join(dir, 'skip.jsonl');
    writeFileSync(path, [line('b1'), line('b2', ',"gpu_count":-1'), 'not json', line('b4')].join('\n'));
    const skipped: TraceFormatError[] = [];
    const jobs = await all(readTrace(path, { badLines: 'skip', onSkip: (e) => skipped.push(e) }));
    expect(jobs.map((j) => j.job_id)).toEqual(['b1', 'b4']);
    expect(skipped.map((e) => [e.line, e.field])).toEqual([[2, 'gpu_count'], [3, '(line)']]);
  });

  it('reads CSV with defaults for empty cells and labels as k=v pairs', async () => {
    const path = join(dir, 't.csv');
    writeFileSync(path, 'job_id,submitted_at,customer,task_type,work_seconds,gpu_count,labels\r\nc1,2024-01-01T00:00:00Z,acme,rendering,600,,team=vfx;shot=12\r\nc2,2024-01-01T00:00:01Z,acme,training,3600,4,\r\n');
    const jobs = await all(readTrace(path));
    expect(jobs.map((j) => [j.job_id, j.gpu_count, j.labels])).toEqual([
      ['c1', 1, { team: 'vfx', shot: '12' }],
      ['c2', 4, {}],
    ]);
    writeFileSync(join(dir, 'bad.csv'), 'job_id,submitted_at,customer,task_type,work_seconds\nc1,2024-01-01T00:00:00Z,acme,rendering,soon\n');
    await expect(all(readTrace(join(dir, 'bad.csv')))).rejects.toThrow(/bad\.csv:2: field "work_seconds"/);
  });

  it('reads token counts as job fields from any format, and leaves them out of jobs that have none', async () => {
    const csv = join(dir, 'tokens.csv');
    writeFileSync(csv, 'job_id,submitted_at,customer,task_type,work_seconds,prompt_tokens,output_tokens\nt1,2024-01-01T00:00:00Z,acme,llm_inference,1,1500,40\nt2,2024-01-01T00:00:01Z,acme,rendering,60,,\n');
    const jobs = await all(readTrace(csv));
    expect(jobs.map((j) => [j.prompt_tokens, j.output_tokens])).toEqual([[1500, 40], [undefined, undefined]]);
    // A job without tokens writes the same line as before the fields existed (trace checksums do not move).
    const path = join(dir, 'tokens.jsonl');
    await writeJsonl(path, jobs);
    expect(await all(readTrace(path))).toEqual(jobs);
    writeFileSync(join(dir, 'neg.jsonl'), line('n1', ',"output_tokens":-3'));
    await expect(all(readTrace(join(dir, 'neg.jsonl')))).rejects.toThrow(/neg\.jsonl:1: field "output_tokens"/);
  });

  it('reads Arrow IPC traces', async () => {
    const path = join(dir, 't.arrow');
    const table = tableFromArrays({
      job_id: ['x1', 'x2'],
      submitted_at: ['2024-01-01T00:00:00Z', '2024-01-01T00:00:02Z'],
      customer: ['c', 'c'],
      task_type: ['transcription', 'transcription'],
      work_seconds: Float64Array.from([30, 45]),
    });
    writeFileSync(path, tableToIPC(table, 'file'));
    expect((await all(readTrace(path))).map((j) => [j.job_id, j.work_seconds])).toEqual([['x1', 30], ['x2', 45]]);
  });

  it('reads Parquet through chDB, naming the row of a bad value', async () => {
    const { query } = await import('chdb');
    const path = join(dir, 't.parquet');
    // 2,500 jobs, one microsecond-precise arrival each second; row 1,234 has negative work.
    query(
      `INSERT INTO FUNCTION file('${path}', Parquet) SELECT concat('p', toString(number)) AS job_id, ` +
        `toDateTime64('2024-01-01 00:00:00', 6, 'UTC') + toIntervalMicrosecond(number * 1000001) AS submitted_at, 'acme' AS customer, ` +
        `'image_generation' AS task_type, if(number = 1233, -1, 2.5) AS work_seconds FROM numbers(2500) SETTINGS engine_file_truncate_on_insert = 1`,
      'CSV',
    );
    await expect(all(readTrace(path))).rejects.toThrow(`${path}:1234: field "work_seconds"`);
    const skipped: TraceFormatError[] = [];
    const jobs = await all(readTrace(path, { badLines: 'skip', onSkip: (e) => skipped.push(e) }));
    expect(jobs).toHaveLength(2499);
    expect(skipped.map((e) => e.line)).toEqual([1234]);
    expect(jobs[0]).toMatchObject({ job_id: 'p0', task_type: 'image_generation', work_seconds: 2.5 });
    expect(jobs[2]!.submitted_at - jobs[0]!.submitted_at).toBe(2_000_002);
    await expect(all(readTrace(join(dir, 'missing.parquet')))).rejects.toThrow(/missing\.parquet: the file does not exist/);
    writeFileSync(join(dir, 'text.parquet'), 'not parquet\n');
    await expect(all(readTrace(join(dir, 'text.parquet')))).rejects.toThrow(/text\.parquet: .*could not read it as Parquet/);
  }, 60_000);

  it('streams a large trace with every job intact', async () => {
    const path = join(dir, 'big.jsonl');
    await writeJsonl(path, generateTrace({ jobs: 100_000, seed: 9 }));
    let n = 0;
    let last = 0;
    let sorted = true;
    for await (const j of readTrace(path)) {
      n++;
      if (j.submitted_at < last) sorted = false;
      last = j.submitted_at;
    }
    expect(n).toBe(100_000);
    expect(sorted).toBe(true);
  }, 60_000);

  it('rejects an unknown extension with a clear error', () => {
    expect(() => readTrace('trace.xlsx')).toThrow(/cannot tell the trace format.*\.parquet/);
  });
});
