// A scenario with sequential stopping, replayed onto both simulators (real
// gRPC on loopback, chDB): the run looks at its paired outcomes as they come,
// stops sending once its primary comparison is decided, lets every job it sent
// finish, ends `completed`, and the report says when and why it stopped and
// how many GPU-hours it saved against the full selection.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../harness/common/logger.ts';
import { planRun } from '../../../harness/replay/plan.ts';
import { resolveTrace } from '../../../harness/run/resolve-trace.ts';
import { runScenario } from '../../../harness/run/run-scenario.ts';
import { selectionOf } from '../../../harness/run/selection.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';

describe('sequential stopping in a replay', () => {
  it('stops sending once the primary comparison is decided; sent jobs finish; the report states when, why and the GPU-hours saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-seq-'));
    const scenario = ScenarioSchema.parse({
      name: 'seq-stop',
      seed: 9,
      trace: { generate: { jobs: 1500, spanSeconds: 7 * 24 * 3600 } },
      speed: { fitSeconds: 40 },
      targets: [
        { name: 'baseline', sim: 'baseline' },
        { name: 'decentralized', sim: 'decentralized' },
      ],
      // The two simulators' p90 latencies differ by a large factor (its direction depends on the deployments the
      // simulators model): decided within a few blocks (of 20 jobs here, to keep the test short). A week of arrivals keeps jobs short against the arrival span: blocks are added in
      // release order only once complete, so a run whose jobs outlast its arrivals has sent everything before it can decide.
      sequential: { primary: ['p90'], looks: 20, blockJobs: 20 },
    });
    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    try {
      const res = await runScenario({ scenario, logger: silentLogger(), dataDir: dir, reportsDir: join(dir, 'reports'), progress: false, storeInstance: store });
      const planned = await planRun((await resolveTrace(scenario, { dataDir: dir, logger: silentLogger() })).jobs(), selectionOf(scenario));
      expect(res.run.status).toBe('completed');
      expect(res.run.released).toBeLessThan(planned.jobs);
      const s = res.report.summary.sequentialStop!;
      expect(s).toMatchObject({ stopped: true, plannedJobs: planned.jobs, releasedJobs: res.run.released, blockJobs: 20, lookEvery: Math.ceil(planned.jobs / 20), baseline: 'baseline', candidate: 'decentralized' });
      expect(s.metrics).toHaveLength(1);
      expect(s.metrics[0]).toMatchObject({ name: 'p90', scale: 'log ratio' });
      // Decided one way or the other. Its direction is not checked against the report's p90 line. The block statistic
      // now censors failures as the report does (Kaplan–Meier), but it is the mean over blocks of each block's p90
      // log ratio, and the report's is the log ratio of the two pooled p90s: with paired jobs of very different sizes
      // the first follows each block's largest jobs, the second the marginal distributions, and where the effect
      // differs by job size they part. On this seed: watcher −0.70 [−1.21, −0.19], report 1.12× [0.56, 1.99] "~"
      // (the same as with failures counted at a cap): open in issue 19.
      expect(['higher', 'lower']).toContain(s.metrics[0]!.decision);
      const p90 = res.report.summary.comparisons.find((c) => c.metric === 'p90 latency')!;
      console.log(`watcher p90 log ratio ${s.metrics[0]!.estimate.toFixed(3)} [${s.metrics[0]!.interval.map((v) => v.toFixed(3)).join(', ')}], report p90 ratio ${p90.ratio.toFixed(3)} [${p90.ci.map((v) => v.toFixed(3)).join(', ')}] ${p90.verdict}`);
      expect(s.reason).toMatch(/^every primary comparison decided at look \d+/);
      expect(s.looks).toBeGreaterThanOrEqual(1);
      expect(s.gpuHours.planned).toBeCloseTo(planned.gpuHours, 6);
      expect(s.gpuHours.saved).toBeCloseTo(2 * (planned.gpuHours - s.gpuHours.released), 6);
      expect(s.gpuHours.saved).toBeGreaterThan(0);
      // Every job it sent has a final outcome on both targets: in-flight jobs were let finish, none cut off.
      const rows = await store.query<{ target: string; n: number; unfinished: number }>(
        "SELECT target, uniqExact(job_id) AS n, countIf(status IN ('unfinished', 'cancelled')) AS unfinished FROM mirrorbench.job_results FINAL WHERE run_id = {run:String} GROUP BY target ORDER BY target",
        { run: res.run.runId },
      );
      expect(rows.map((r) => [r.target, Number(r.n), Number(r.unfinished)])).toEqual([['baseline', res.run.released, 0], ['decentralized', res.run.released, 0]]);
      const html = readFileSync(res.report.htmlPath, 'utf8');
      expect(html).toContain('<section id="sequential-stop" data-stopped="true">');
      expect(html).toMatch(/Saved <strong>[\d.]+ GPU-hours<\/strong>/);
    } finally {
      await store.close();
    }
  }, 120_000);
});
