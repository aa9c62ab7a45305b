// `mirrorbench plan` end to end on real parts: a short pilot run of a scenario
// onto both simulators (real gRPC on loopback) stored in chDB, the plan from
// it, then the same plan from the stored pilot without running anything.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPlan } from '../../harness/cli/commands/plan.ts';
import { DEFAULTS } from '../../harness/common/defaults.ts';
import { silentLogger } from '../../harness/common/logger.ts';
import { planScenario } from '../../harness/run/power-plan.ts';
import { ChdbStore } from '../../harness/store/chdb-store.ts';
import { loadScenario } from '../../scenarios/load.ts';

describe('plan from a pilot', () => {
  it('runs a short pilot, sizes the run for each effect, prints time and cost per backend; a stored pilot gives the same plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-plan-'));
    writeFileSync(
      join(dir, 'p.scenario.yaml'),
      'name: plan-pilot\nseed: 5\ntrace:\n  generate: { jobs: 1200, spanSeconds: 86400 }\nspeed: { fitSeconds: 40 }\ntargets:\n  - { name: baseline, sim: baseline }\n  - { name: decentralized, sim: decentralized }\nreport: { bootstrapResamples: 500 }\nsequential: { primary: [cost], looks: 20, blockJobs: 2 }\n',
    );
    const scenario = await loadScenario(join(dir, 'p.scenario.yaml'));
    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    const effects = { cost: DEFAULTS.plan.effects.cost, success: { points: 0.05 } };
    try {
      const first = await planScenario({ scenario, logger: silentLogger(), effects, pilotJobs: 300, storeInstance: store, dataDir: dir, reportsDir: join(dir, 'reports') });
      expect(first.pilot.source).toBe('short run');
      // About 300 of the 1,200 jobs arrive in the pilot's window (arrivals are not uniform over the day).
      expect(first.pilot.pairedJobs).toBeGreaterThan(100);
      expect(first.pilot.pairedJobs).toBeLessThan(700);
      expect(first.plan.metrics.map((m) => m.metric)).toEqual(['cost per job', 'success rate']);
      // The pilot measures; it is not stopped early by the scenario's sequential stopping.
      const [stored] = await store.query<{ config_json: string }>('SELECT config_json FROM mirrorbench.runs FINAL WHERE run_id = {run:String}', { run: first.pilot.runId });
      expect(JSON.parse(stored!.config_json).sequentialStop).toBeUndefined();
      const n = first.plan.jobs!;
      expect(n).toBeGreaterThan(1);
      expect(first.traceSeconds).toBeCloseTo((n / first.available.jobs) * first.available.spanSeconds, 6);
      expect(first.wallSeconds).toBeCloseTo(first.traceSeconds! / first.speed, 6);
      for (const c of first.costs) expect(c.usd).toBeCloseTo(c.usdPerJob * n, 6);
      expect(first.costs.map((c) => c.target)).toEqual(['baseline', 'decentralized']);
      const text = formatPlan(first);
      expect(text).toContain(`run: ${n} jobs`);
      expect(text).toMatch(/baseline +\$\d/);
      expect(text).toMatch(/decentralized +\$\d/);

      const again = await planScenario({ scenario, logger: silentLogger(), effects, pilotRunId: first.pilot.runId, storeInstance: store, dataDir: dir });
      expect(again.pilot).toEqual({ ...first.pilot, source: 'stored run' });
      expect(again.plan).toEqual(first.plan);
    } finally {
      await store.close();
    }
  }, 120_000);
});
