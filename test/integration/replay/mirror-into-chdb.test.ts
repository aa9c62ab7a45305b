// The whole real path: both simulators on loopback, the replay over gRPC, the
// batch writer into embedded ClickHouse.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { mirrorRun } from '../../../harness/replay/mirror-run.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { BatchWriter } from '../../../harness/store/writer.ts';
import { startSimulator } from '../../../harness/targets/index.ts';
import { generateTrace } from '../../../workloads/generator.ts';

describe('mirror run into chDB', () => {
  it('stores one result per job and target, every event, the providers, prices and the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-mirror-'));
    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    await store.init();
    const writer = new BatchWriter(store, { dataDir: dir, batchRows: 500, flushIntervalMs: 100 });
    const sims = await Promise.all([startSimulator('baseline', { seed: 1 }), startSimulator('decentralized', { seed: 2 })]);
    const jobs = [...generateTrace({ jobs: 300, seed: 11, spanSeconds: 6 * 3600 })];
    try {
      const result = await mirrorRun({
        runId: 'it-run',
        scenario: 'it',
        seed: 11,
        speed: 6 * 3600 / 4,
        targets: [
          { name: 'baseline', address: sims[0]!.address },
          { name: 'decentralized', address: sims[1]!.address },
        ],
        trace: { path: 'generated', checksum: 'x', jobs, planned: jobs.length },
        sink: writer,
        clock: systemClock(),
        logger: silentLogger(),
      });
      await writer.close();
      expect(result.status).toBe('completed');
      const perTarget = await store.query<{ target: string; n: number; jobs: number; events: number }>(
        "SELECT target, count() AS n, uniqExact(job_id) AS jobs, sum(events) AS events FROM mirrorbench.job_results FINAL WHERE run_id = 'it-run' GROUP BY target ORDER BY target",
      );
      expect(perTarget.map((r) => [r.target, r.n, r.jobs])).toEqual([
        ['baseline', 300, 300],
        ['decentralized', 300, 300],
      ]);
      const events = await store.query<{ target: string; n: number }>("SELECT target, count() AS n FROM mirrorbench.job_events FINAL WHERE run_id = 'it-run' GROUP BY target ORDER BY target");
      expect(events.map((e) => e.n)).toEqual(perTarget.map((r) => r.events));
      const [run] = await store.query<{ status: string; jobs_sent: number }>("SELECT status, jobs_sent FROM mirrorbench.runs FINAL WHERE run_id = 'it-run'");
      expect(run).toEqual({ status: 'completed', jobs_sent: 300 });
      const [prov] = await store.query<{ n: number }>("SELECT count() AS n FROM mirrorbench.provider_events WHERE run_id = 'it-run'");
      expect(prov!.n).toBeGreaterThan(10);
      const [ticks] = await store.query<{ n: number }>("SELECT count() AS n FROM mirrorbench.price_ticks WHERE run_id = 'it-run' AND currency = 'GLM'");
      expect(ticks!.n).toBeGreaterThan(0);
      // Costs are in USD on both sides; the network's are converted from GLM.
      const costs = await store.query<{ target: string; currency: string; usd: number }>(
        "SELECT target, any(currency) AS currency, sum(cost_usd) AS usd FROM mirrorbench.job_results FINAL WHERE run_id = 'it-run' GROUP BY target ORDER BY target",
      );
      expect(costs.map((c) => c.currency)).toEqual(['USD', 'GLM']);
      for (const c of costs) expect(c.usd).toBeGreaterThan(0);
    } finally {
      await Promise.all(sims.map((s) => s.stop()));
      await store.close();
    }
  }, 60_000);
});
