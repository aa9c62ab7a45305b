// Interrupt a run part-way and resume it by id: every job ends with exactly
// one outcome per target, nothing with an outcome is sent again, and the run
// record ends completed with every job counted once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../harness/common/logger.ts';
import { runScenario } from '../../../harness/run/run-scenario.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
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
});
