// The pure parts of sharded runs (issue 20): the workers split the jobs with
// no overlap and share one trace origin; a run's status is derived from all
// its workers' rows; the per-worker lateness histogram; the --start-at value;
// a sharded scenario with in-process simulators is refused.
import { describe, expect, it } from 'vitest';
import { isoInstant } from '../../../harness/cli/parse.ts';
import { seededRandom } from '../../../harness/common/random.ts';
import { inShard, selectJobs, selectionOrigin } from '../../../harness/replay/select.ts';
import { LatenessHistogram } from '../../../harness/replay/worker.ts';
import { assertShardable } from '../../../harness/run/run-scenario.ts';
import { runStatusOf, type StoredWorkerRow } from '../../../harness/store/runs.ts';
import { JobRecordSchema, type Job } from '../../../harness/trace/job.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';

const T0 = 1_700_000_000_000_000;
const job = (id: string, offsetS: number): Job => JobRecordSchema.parse({ job_id: id, submitted_at: T0 + offsetS * 1e6, customer: 'c', task_type: 'llm_inference', work_seconds: 1 });
const jobs = Array.from({ length: 400 }, (_, i) => job(`j${i}`, 10 + i));

const worker = (shard: number, count: number, status: string, jobsSent = 10): StoredWorkerRow => ({
  shard_index: shard, shard_count: count, status, host: 'h', start_at_us: 0, started_at_us: 1, ended_at_us: 2, start_lateness_us: 0, jobs_sent: jobsSent, lateness_p99_us: 0, lateness_max_us: 0, resumes: 0,
});

describe('sharded selection', () => {
  it('gives every selected job to exactly one of n workers, and all workers the same trace origin', async () => {
    const sel = { sampleFraction: 0.5, sampleSeed: 3, offsetSeconds: 5 };
    const whole: string[] = [];
    for await (const j of selectJobs(jobs, sel)) whole.push(j.job_id);
    const parts: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const part: string[] = [];
      for await (const j of selectJobs(jobs, { ...sel, shard: { index: i, count: 3 } })) part.push(j.job_id);
      parts.push(part);
      expect(part.every((id) => inShard(id, { index: i, count: 3 }))).toBe(true);
    }
    expect(parts.flat().sort()).toEqual([...whole].sort());
    expect(new Set(parts.flat()).size).toBe(whole.length);
    for (const p of parts) expect(p.length).toBeGreaterThan(whole.length / 5);
    // The origin is the first job of the whole selection, whichever worker asks; a worker's own first job is usually later.
    const origins = await Promise.all([0, 1, 2].map((i) => selectionOrigin(jobs, { ...sel, shard: { index: i, count: 3 } })));
    const first = jobs.find((j) => j.job_id === whole[0])!.submitted_at;
    expect(origins).toEqual([first, first, first]);
    expect(parts.some((p) => p[0] !== whole[0])).toBe(true);
  });
});

describe('a run status from its workers', () => {
  it('is completed only when all n shards are present and completed', () => {
    expect(runStatusOf([worker(0, 2, 'completed'), worker(1, 2, 'completed')], { status: 'running', jobs_sent: 0 })).toMatchObject({ status: 'completed', shards: 2, present: [0, 1], missing: [], jobsSent: 20 });
    // The bug of one runs row: the last writer says completed while another worker was interrupted.
    expect(runStatusOf([worker(0, 2, 'interrupted'), worker(1, 2, 'completed')], { status: 'completed', jobs_sent: 0 })).toMatchObject({ status: 'interrupted', notCompleted: [{ shard: 0, status: 'interrupted' }] });
    // A killed worker never writes its end: it stays running, and so does the run.
    expect(runStatusOf([worker(0, 2, 'running'), worker(1, 2, 'completed')], { status: 'completed', jobs_sent: 0 }).status).toBe('running');
    expect(runStatusOf([worker(0, 4, 'completed'), worker(2, 4, 'completed')], { status: 'completed', jobs_sent: 0 })).toMatchObject({ status: 'incomplete', missing: [1, 3] });
    expect(runStatusOf([worker(0, 2, 'completed'), worker(1, 2, 'start_late', 0)], { status: 'completed', jobs_sent: 0 }).status).toBe('incomplete');
    expect(runStatusOf([worker(0, 1, 'completed')], { status: 'completed', jobs_sent: 0 })).toMatchObject({ status: 'completed', shards: 1 });
  });

  it('keeps the runs row status of a run stored before worker rows existed', () => {
    expect(runStatusOf([], { status: 'completed', jobs_sent: 42 })).toMatchObject({ status: 'completed', shards: 1, jobsSent: 42, notCompleted: [] });
    expect(runStatusOf([], { status: 'interrupted', jobs_sent: 7 })).toMatchObject({ status: 'interrupted', notCompleted: [{ shard: 0, status: 'interrupted' }] });
  });
});

describe('per-worker lateness histogram', () => {
  it('gives p99 within its 2 % bucket width and the exact maximum, in bounded memory', () => {
    const r = seededRandom(9);
    const xs: number[] = [];
    const h = new LatenessHistogram();
    for (let i = 0; i < 50_000; i++) {
      const us = Math.round(-Math.log(1 - r.next()) * 3_000); // exponential, mean 3 ms
      xs.push(us);
      h.add(us);
    }
    h.add(-5); // released early (a clock step) counts as on time
    xs.push(0);
    xs.sort((a, b) => a - b);
    const exact = xs[Math.ceil(0.99 * xs.length) - 1]!;
    expect(h.count).toBe(xs.length);
    expect(h.max).toBe(xs[xs.length - 1]);
    expect(Math.abs(h.quantile(0.99) - exact) / exact).toBeLessThan(0.021);
    expect(new LatenessHistogram().quantile(0.99)).toBe(0);
  });
});

describe('--start-at', () => {
  it('takes an ISO 8601 instant with its zone and refuses one without', () => {
    expect(isoInstant('2026-12-02T18:00:00Z')).toBe(Date.UTC(2026, 11, 2, 18));
    expect(isoInstant('2026-12-02T19:00:00.500+01:00')).toBe(Date.UTC(2026, 11, 2, 18) + 500);
    expect(() => isoInstant('2026-12-02T18:00:00')).toThrow(/with its zone/);
    expect(() => isoInstant('tomorrow')).toThrow(/ISO 8601/);
  });
});

describe('sharded scenarios and simulators', () => {
  const base = { name: 's', seed: 1, trace: { generate: { jobs: 10 } } };
  it('refuses in-process simulators when sharded, and accepts shared simulator processes', () => {
    const inProcess = ScenarioSchema.parse({ ...base, targets: [{ name: 'baseline', sim: 'baseline' }, { name: 'net', address: '127.0.0.1:1' }] });
    expect(() => assertShardable(inProcess, { index: 0, count: 2 })).toThrow(/baseline would start a simulator in this worker, so 2 workers would simulate 2 separate networks/);
    expect(() => assertShardable(inProcess, { index: 0, count: 1 })).not.toThrow();
    expect(() => assertShardable(inProcess, undefined)).not.toThrow();
    const shared = ScenarioSchema.parse({ ...base, targets: [{ name: 'baseline', address: '127.0.0.1:1' }, { name: 'net', address: '127.0.0.1:2' }] });
    expect(() => assertShardable(shared, { index: 1, count: 2 })).not.toThrow();
  });
});
