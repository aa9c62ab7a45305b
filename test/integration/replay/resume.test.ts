// Interrupt a run part-way and resume it by id: every job ends with exactly
// one outcome per target, nothing with an outcome is sent again, and the run
// record ends completed with every job counted once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../harness/common/logger.ts';
import { runScenario } from '../../../harness/run/run-scenario.ts';
import { StoreError } from '../../../harness/common/errors.ts';
import type { RowOf, TableName } from '../../../harness/events/schema.ts';
import { loadStoppedRun } from '../../../harness/run/resume.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { Spool } from '../../../harness/store/spool.ts';
import type { Store } from '../../../harness/store/store.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';

describe('interrupt and resume', () => {
  it('continues a stopped run under its id with no job sent or stored twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-resume-'));
    const JOBS = 240;
    const scenario = ScenarioSchema.parse({
      name: 'resume-it',
      seed: 5,
      trace: { generate: { jobs: JOBS, spanSeconds: 6 * 3600 } },
      speed: { fitSeconds: 5 },
      targets: [
        { name: 'baseline', sim: 'baseline' },
        { name: 'decentralized', sim: 'decentralized' },
      ],
    });
    const common = { logger: silentLogger(), dataDir: dir, reportsDir: join(dir, 'reports'), progress: false, store: { kind: 'chdb' as const, path: join(dir, 'chdb') } };

    // Interrupted once some jobs are out, by the run's own progress (not a wall-clock timer, which a loaded machine outruns).
    const stop = new AbortController();
    const interruptAfterSome = () => ({ update: (p: { released: number }) => void (p.released >= 24 && stop.abort(new Error('test interrupt'))), stop: () => {} });
    const first = await runScenario({ ...common, progress: true, progressView: interruptAfterSome, scenario, signal: stop.signal });
    expect(first.run.status).toBe('interrupted');
    expect(first.run.released).toBeGreaterThan(0);
    expect(first.run.released).toBeLessThan(JOBS);
    const runId = first.run.runId;

    const second = await runScenario({ ...common, scenario, resumeRunId: runId });
    expect(second.run.runId).toBe(runId);
    expect(second.run.status).toBe('completed');

    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    try {
      const q = (sql: string) => store.query<Record<string, number | string>>(sql);
      const perTarget = await q(`SELECT target, count() AS n, uniqExact(job_id) AS jobs, countIf(error_class = 'interrupted') AS cut FROM mirrorbench.job_results FINAL WHERE run_id = '${runId}' GROUP BY target ORDER BY target`);
      expect(perTarget).toEqual([
        { target: 'baseline', n: JOBS, jobs: JOBS, cut: 0 },
        { target: 'decentralized', n: JOBS, jobs: JOBS, cut: 0 },
      ]);
      // Before merges every row ever written is visible: exactly one outcome row per job and target means none was sent again after its outcome.
      const [outcomes] = await q(`SELECT count() AS n, uniqExact(target, job_id) AS u FROM mirrorbench.job_results WHERE run_id = '${runId}' AND error_class != 'interrupted'`);
      expect(outcomes).toEqual({ n: 2 * JOBS, u: 2 * JOBS });
      const [run] = await q(`SELECT status, jobs_sent, started_at_us FROM mirrorbench.runs FINAL WHERE run_id = '${runId}'`);
      expect(run!.status).toBe('completed');
      expect(run!.jobs_sent).toBe(JOBS);
      expect(run!.started_at_us).toBe(first.run.startedAtUs);
      expect(second.report.summary.targets.map((t) => t.jobs)).toEqual([JOBS, JOBS]);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('does not send again jobs whose outcomes are still in the spool when the run stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-resume-spool-'));
    const JOBS = 160;
    const scenario = ScenarioSchema.parse({
      name: 'resume-spooled',
      seed: 9,
      trace: { generate: { jobs: JOBS, spanSeconds: 6 * 3600 } },
      speed: { fitSeconds: 4 },
      targets: [{ name: 'baseline', sim: 'baseline' }],
    });
    const common = { logger: silentLogger(), dataDir: dir, reportsDir: join(dir, 'reports'), progress: false, store: { kind: 'chdb' as const, path: join(dir, 'chdb') } };

    // The database takes the run record but is away for every outcome: they all go to the spool.
    // The run is interrupted when the first outcomes reach the store, whatever the machine's speed.
    const stop = new AbortController();
    const real = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    const awayForOutcomes: Store = {
      description: real.description,
      database: real.database,
      cluster: real.cluster,
      features: () => real.features(),
      init: () => real.init(),
      insert: <T extends TableName>(table: T, rows: readonly RowOf<T>[]) => {
        if (table !== 'job_results') return real.insert(table, rows);
        stop.abort(new Error('test interrupt'));
        return Promise.reject(new StoreError('STORE_UNAVAILABLE', 'test: database away for job_results'));
      },
      query: (sql, params) => real.query(sql, params),
      stream: (sql, params) => real.stream(sql, params),
      exec: (sql, params) => real.exec(sql, params),
      close: () => real.close(),
    };
    let runId: string;
    let doneBefore: number;
    try {
      const first = await runScenario({ ...common, scenario, signal: stop.signal, storeInstance: awayForOutcomes });
      expect(first.run.status).toBe('interrupted');
      runId = first.run.runId;
      const spool = new Spool(join(dir, 'spool'));
      const spooled = [...spool.rows('job_results')].filter((r) => r.run_id === runId && r.error_class !== 'interrupted');
      expect(spooled.length).toBeGreaterThan(0);
      // Read as they stand (nothing drained): the spooled outcomes count as done, and only with the spool.
      expect((await loadStoppedRun(real, runId)).state.done.size).toBe(0);
      doneBefore = new Set(spooled.map((r) => r.job_id)).size;
      expect(doneBefore).toBeLessThan(JOBS);
      expect((await loadStoppedRun(real, runId, spool)).state.done.size).toBe(doneBefore);
    } finally {
      await real.close();
    }

    const second = await runScenario({ ...common, scenario, resumeRunId: runId });
    expect(second.run.status).toBe('completed');
    // Only the jobs with no outcome anywhere are sent again.
    expect(second.run.released).toBe(JOBS - doneBefore);
    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    try {
      // Before merges every row ever inserted is visible: one outcome row per job means none was sent twice.
      const [outcomes] = await store.query<Record<string, number>>(`SELECT count() AS n, uniqExact(job_id) AS u FROM mirrorbench.job_results WHERE run_id = '${runId}' AND error_class != 'interrupted'`);
      expect(outcomes).toEqual({ n: JOBS, u: JOBS });
      expect(new Spool(join(dir, 'spool')).pending()).toEqual({});
    } finally {
      await store.close();
    }
  }, 120_000);
});
