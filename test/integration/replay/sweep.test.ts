// A parameter sweep end to end: one stored run per value, and a page that
// shows how the comparison moves (here: the network's churn multiplier).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../harness/common/logger.ts';
import { runSweep, spread } from '../../../harness/run/sweep.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';

describe('sweep', () => {
  it('spreads values over a range', () => {
    expect(spread(1, 3, 3)).toEqual([1, 2, 3]);
    expect(spread(10, 90, 4)).toEqual([10, 36.67, 63.33, 90]);
  });

  it('replays the scenario once per value and reports how the comparison moves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-sweep-'));
    const scenario = ScenarioSchema.parse({
      name: 'sweep-it',
      seed: 9,
      trace: { generate: { jobs: 120, spanSeconds: 4 * 3600 } },
      speed: { fitSeconds: 2 },
      targets: [
        { name: 'baseline', sim: 'baseline' },
        { name: 'decentralized', sim: 'decentralized' },
      ],
    });
    const store = { kind: 'chdb' as const, path: join(dir, 'chdb') };
    const { htmlPath, result } = await runSweep({ scenario, target: 'decentralized', parameter: 'churn_multiplier', values: [1, 300], logger: silentLogger(), store, dataDir: dir, reportsDir: join(dir, 'reports') });
    expect(result.points.map((p) => p.value)).toEqual([1, 300]);
    expect(result.unit).toBe('×');
    for (const p of result.points) expect(p.comparisons.map((c) => c.metric)).toContain('p50 latency');
    // Three hundred times the churn (sessions of minutes) loses providers mid-job on every attempt of long jobs: the network's success rate falls.
    expect(result.points[1]!.successRates.decentralized!).toBeLessThan(result.points[0]!.successRates.decentralized!);
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toContain('id="sweep-table"');
    expect(html).toContain('<svg');
    expect(html).toContain(`../${result.points[0]!.runId}/index.html`);
    const s = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    try {
      const runs = await s.query<{ run_id: string; cfg: string }>("SELECT run_id, config_json AS cfg FROM mirrorbench.runs FINAL WHERE scenario = 'sweep-it' ORDER BY run_id");
      expect(runs).toHaveLength(2);
      expect(runs.map((r) => r.cfg.includes('"churn_multiplier":300')).sort()).toEqual([false, true]);
    } finally {
      await s.close();
    }
  }, 120_000);
});
