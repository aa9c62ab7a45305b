import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../harness/common/clock.ts';
import { intendedWallUs, schedule } from '../../../harness/replay/scheduler.ts';
import { jobSelector, makeJobFilter, selectJobs, unitHash } from '../../../harness/replay/select.ts';
import { JobRecordSchema, type Job } from '../../../harness/trace/job.ts';

const T0 = 1_700_000_000_000_000;
const job = (id: string, offsetS: number, extra: Record<string, unknown> = {}): Job =>
  JobRecordSchema.parse({ job_id: id, submitted_at: T0 + offsetS * 1e6, customer: 'c', task_type: 'llm_inference', work_seconds: 1, ...extra });

describe('scheduler', () => {
  it('maps trace time to wall time divided by the speed factor', () => {
    expect(intendedWallUs(T0 + 60e6, T0, 5_000_000, 60)).toBe(6_000_000);
  });

  it('releases each job at its intended time on the clock, not before', async () => {
    const clock = new ManualClock(0);
    const released: { id: string; at: number; intended: number }[] = [];
    const done = schedule([job('a', 0), job('b', 10), job('c', 20)], { clock, speed: 10, startAtUs: 1_000_000 }, (j, intendedAtUs) =>
      released.push({ id: j.job_id, at: clock.nowUs(), intended: intendedAtUs }),
    );
    for (let i = 0; i < 40; i++) {
      await Promise.resolve();
      clock.advance(100);
      await new Promise((r) => setImmediate(r));
    }
    const result = await done;
    expect(result.released).toBe(3);
    expect(released.map((r) => r.intended)).toEqual([1_000_000, 2_000_000, 3_000_000]);
    for (const r of released) expect(r.at).toBeGreaterThanOrEqual(r.intended);
  });

  it('releases late jobs at once and stops when aborted', async () => {
    const clock = new ManualClock(10_000_000);
    const controller = new AbortController();
    const ids: string[] = [];
    const result = await schedule([job('a', 0), job('b', 1), job('c', 1000)], { clock, speed: 1, startAtUs: 0, signal: controller.signal }, (j) => {
      ids.push(j.job_id);
      if (j.job_id === 'b') controller.abort();
    });
    expect(ids).toEqual(['a', 'b']);
    expect(result.interrupted).toBe(true);
  });
});

describe('scheduler over a job list in memory', () => {
  it('releases due jobs in one turn, but lets the event loop in once it has run 20 ms without a break', async () => {
    // Each clock read is 1 ms later: a list of 200 jobs all due at once takes 200 ms of (clock) time to hand out.
    class SlowClock extends ManualClock {
      override nowUs(): number {
        this.advance(1);
        return super.nowUs();
      }
    }
    const slow = new SlowClock(0);
    let immediateRan = false;
    setImmediate(() => (immediateRan = true));
    const afterImmediate: string[] = [];
    const list = Array.from({ length: 200 }, (_, i) => job(`d${i}`, 0));
    const r = await schedule(list, { clock: slow, speed: Infinity, startAtUs: 0 }, (j) => {
      if (immediateRan) afterImmediate.push(j.job_id);
    });
    expect(r.released).toBe(200);
    // The first ~20 jobs (20 ms at a clock read a job) went before the event loop turned; the rest after it.
    expect(afterImmediate.length).toBeGreaterThan(150);
    expect(afterImmediate.length).toBeLessThan(200);
  });
});

describe('selection in the scheduler', () => {
  it('releases what scheduling selectJobs releases, in the same order, and reads no further past the window', async () => {
    const jobs = Array.from({ length: 400 }, (_, i) => job(`s${i}`, i * 0.5, { task_type: i % 3 ? 'training' : 'llm_inference' }));
    const sel = { offsetSeconds: 20, durationSeconds: 100, sampleFraction: 0.5, sampleSeed: 3, stratified: true, taskTypes: ['training'] };
    const run = async (select: boolean) => {
      const out: [string, number][] = [];
      let pulled = 0;
      const counted = (function* () {
        for (const j of jobs) {
          pulled++;
          yield j;
        }
      })();
      const r = await schedule(select ? counted : selectJobs(counted, sel), { clock: new ManualClock(0), speed: Infinity, startAtUs: 0, ...(select ? { select: jobSelector(sel) } : {}) }, (j, intendedAtUs) => out.push([j.job_id, intendedAtUs]));
      return { out, pulled, r };
    };
    const viaStream = await run(false);
    const viaSelect = await run(true);
    expect(viaSelect.out.length).toBeGreaterThan(20);
    expect(viaSelect).toEqual(viaStream);
    // Nothing is read past the first job beyond the window.
    expect(viaSelect.pulled).toBe(241);
  });
});

describe('job selection', () => {
  const jobs = Array.from({ length: 2000 }, (_, i) => job(`j${i}`, i, { task_type: i % 2 ? 'training' : 'llm_inference' }));

  it('samples a stable fraction keyed on job id', () => {
    const keep = makeJobFilter({ sampleFraction: 0.1, sampleSeed: 7 });
    const kept = jobs.filter(keep);
    expect(kept.length).toBeGreaterThan(150);
    expect(kept.length).toBeLessThan(250);
    expect(jobs.filter(makeJobFilter({ sampleFraction: 0.1, sampleSeed: 7 }))).toEqual(kept);
    expect(unitHash('j1', 7)).toBe(unitHash('j1', 7));
  });

  it('splits a trace into shards with no overlap and nothing missing', () => {
    const shards = [0, 1, 2].map((index) => jobs.filter(makeJobFilter({ shard: { index, count: 3 } })).map((j) => j.job_id));
    const all = shards.flat();
    expect(new Set(all).size).toBe(jobs.length);
    expect(all.length).toBe(jobs.length);
  });

  it('samples each profile × task type stratum exactly, the same on every shard worker', () => {
    // A rare stratum of 7 jobs among 1,993 common ones.
    const mixed = Array.from({ length: 2000 }, (_, i) => job(`m${i}`, i, { profile: i % 285 === 0 ? 'rare' : 'common', task_type: i % 2 ? 'training' : 'llm_inference' }));
    const count = (js: Job[]) => {
      const m = new Map<string, number>();
      for (const j of js) m.set(`${j.profile}/${j.task_type}`, (m.get(`${j.profile}/${j.task_type}`) ?? 0) + 1);
      return m;
    };
    const all = count(mixed);
    const kept = mixed.filter(makeJobFilter({ sampleFraction: 0.3, sampleSeed: 1, stratified: true }));
    for (const [stratum, n] of count(kept)) {
      const total = all.get(stratum)!;
      expect([Math.floor(total * 0.3), Math.ceil(total * 0.3)]).toContain(n);
    }
    expect(count(kept).get('rare/llm_inference')).toBeGreaterThanOrEqual(1);
    // Three workers each see the whole trace, sample it identically, then keep their shard.
    const shards = [0, 1, 2].map((index) => mixed.filter(makeJobFilter({ sampleFraction: 0.3, sampleSeed: 1, stratified: true, shard: { index, count: 3 } })).map((j) => j.job_id));
    expect(shards.flat().sort()).toEqual(kept.map((j) => j.job_id).sort());
  });

  it('keeps a time window relative to the first arrival and filters task types', async () => {
    const out: Job[] = [];
    for await (const j of selectJobs(jobs, { offsetSeconds: 100, durationSeconds: 50, taskTypes: ['training'] })) out.push(j);
    expect(out.map((j) => j.job_id)).toEqual(Array.from({ length: 25 }, (_, i) => `j${101 + 2 * i}`));
  });
});
