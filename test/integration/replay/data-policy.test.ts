// The data policy end to end: jobs above the permissionless level never reach
// the decentralized target, are stored there as withheld, and the report
// counts them apart and warns that its figures cover the rest.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../harness/common/logger.ts';
import { runScenario } from '../../../harness/run/run-scenario.ts';
import { withholdPredicate } from '../../../harness/replay/data-policy.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { JobRecordSchema } from '../../../harness/trace/job.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';

describe('data policy', () => {
  it('withholds only jobs above the level, only from permissionless targets', () => {
    const w = withholdPredicate([{ name: 'net', permissionless: true }, { name: 'base', permissionless: false }], 'internal')!;
    const job = (sensitivity: string) => JobRecordSchema.parse({ job_id: 'j', submitted_at: 0, customer: 'c', task_type: 'llm_inference', work_seconds: 1, sensitivity });
    expect(w(job('confidential'), 'net')).toBe(true);
    expect(w(job('internal'), 'net')).toBe(false);
    expect(w(job('confidential'), 'base')).toBe(false);
    expect(withholdPredicate([{ name: 'net', permissionless: true }], 'confidential')).toBeUndefined();
  });

  it('never sends a sensitive job to the permissionless target and reports it as withheld', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-policy-'));
    const scenario = ScenarioSchema.parse({
      name: 'policy-it',
      seed: 3,
      trace: { generate: { jobs: 200, spanSeconds: 3 * 3600 } },
      speed: { fitSeconds: 2 },
      dataPolicy: { permissionlessMaxSensitivity: 'public' },
      report: { confidence: 0.9 },
      targets: [
        { name: 'baseline', sim: 'baseline' },
        { name: 'decentralized', sim: 'decentralized' },
      ],
    });
    const r = await runScenario({ scenario, logger: silentLogger(), dataDir: dir, reportsDir: join(dir, 'reports'), progress: false, store: { kind: 'chdb', path: join(dir, 'chdb') } });
    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    try {
      const rows = await store.query<{ target: string; withheld: number; sensitive: number; n: number }>(
        `SELECT r.target AS target, countIf(r.status = 'withheld') AS withheld, count() AS n FROM mirrorbench.job_results AS r FINAL WHERE r.run_id = '${r.run.runId}' GROUP BY target ORDER BY target`,
      );
      expect(rows.map((x) => x.n)).toEqual([200, 200]);
      expect(rows[0]!.withheld).toBe(0);
      const withheld = rows[1]!.withheld;
      expect(withheld).toBeGreaterThan(20);
      // Nothing of a withheld job ever reached the network.
      const [ev] = await store.query<{ n: number }>(
        `SELECT count() AS n FROM mirrorbench.job_events WHERE run_id = '${r.run.runId}' AND target = 'decentralized' AND job_id IN (SELECT job_id FROM mirrorbench.job_results WHERE run_id = '${r.run.runId}' AND status = 'withheld')`,
      );
      expect(ev!.n).toBe(0);
      const net = r.report.summary.targets.find((t) => t.name === 'decentralized')!;
      expect(net.withheld).toBe(withheld);
      expect(net.jobs).toBe(200 - withheld);
      expect(r.report.summary.targets.find((t) => t.name === 'baseline')!.jobs).toBe(200);
      expect(r.report.summary.warnings.some((w) => w.code === 'withheld' && w.message.includes(`${withheld} jobs`) && w.message.includes('data policy'))).toBe(true);
      expect(r.report.summary.comparisons.find((c) => c.metric === 'p50 latency')!.pairs).toBeLessThanOrEqual(200 - withheld);
      // The scenario's report options reach the report.
      expect(r.report.summary.confidence).toBe(0.9);
    } finally {
      await store.close();
    }
  }, 90_000);
});
