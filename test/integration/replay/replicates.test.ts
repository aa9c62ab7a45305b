// Replicates end to end: a scenario with `replicates: 2` on the in-process
// simulators runs the trace twice with new simulator seeds, stores both runs
// linked to their set, reports each, and writes the set's page whose
// summary.json combines the two runs' headline lines (random effects, HKSJ).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../harness/common/logger.ts';
import { replicateScenario, runReplicated } from '../../../harness/run/replicates.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { replicateRuns } from '../../../harness/store/runs.ts';
import { REPLICATE_SEED_STRIDE, ScenarioSchema } from '../../../scenarios/define.ts';
import { buildReplicateReport, type ReplicateSetSummary } from '../../../reports/replicates.ts';

const base = {
  name: 'replicates-it',
  seed: 9,
  trace: { generate: { jobs: 120, spanSeconds: 2 * 3600 } },
  speed: { fitSeconds: 2 },
  targets: [
    { name: 'baseline', sim: 'baseline' },
    { name: 'decentralized', sim: 'decentralized' },
  ],
};

describe('replicates', () => {
  it('gives each replicate new simulator seeds (replicate 1 keeps the scenario\'s), the twin too, and refuses k < 2', () => {
    const s = ScenarioSchema.parse({ ...base, replicates: 3, noiseFloor: { target: 'baseline' } });
    expect(replicateScenario(s, 1).targets.map((t) => t.seed)).toEqual([9, 10]);
    expect(replicateScenario(s, 3).targets.map((t) => t.seed)).toEqual([9 + 2 * REPLICATE_SEED_STRIDE, 10 + 2 * REPLICATE_SEED_STRIDE]);
    expect(replicateScenario(s, 2).noiseFloor?.seed).toBe(9 + 1_000_003 + REPLICATE_SEED_STRIDE);
    const remote = ScenarioSchema.parse({ ...base, replicates: 2, targets: [{ name: 'baseline', sim: 'baseline' }, { name: 'real', address: 'gpu:7000' }] });
    expect(replicateScenario(remote, 2).targets[1]).toEqual(remote.targets[1]);
    expect(ScenarioSchema.safeParse({ ...base, replicates: 1 }).success).toBe(false);
  });

  it('runs the replicates, links them to their set, and combines their headline lines in the set\'s summary.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-repl-'));
    const scenario = ScenarioSchema.parse({ ...base, replicates: 2 });
    const storeOpts = { kind: 'chdb' as const, path: join(dir, 'chdb') };
    const r = await runReplicated({ scenario, logger: silentLogger(), dataDir: dir, reportsDir: join(dir, 'reports'), progress: false, store: storeOpts, runId: 'set-it' });
    expect(r.runs.map((x) => x.run.runId)).toEqual(['set-it.r1', 'set-it.r2']);
    // Another provider population per replicate: the same jobs, different outcomes.
    const [a, b] = r.runs.map((x) => x.report.summary.targets.find((t) => t.name === 'decentralized')!);
    expect(a!.jobs).toBe(120);
    expect(b!.jobs).toBe(120);
    expect(a!.costUsd.total).not.toBe(b!.costUsd.total);

    const s = JSON.parse(readFileSync(r.report.summaryPath, 'utf8')) as ReplicateSetSummary;
    expect(s).toMatchObject({ kind: 'replicate-set', set: 'set-it', scenario: 'replicates-it', baseline: 'baseline', candidate: 'decentralized', planned: 2 });
    expect(s.replicates.map((x) => x.runId)).toEqual(['set-it.r1', 'set-it.r2']);
    const c = s.combined;
    expect(c.method).toContain('Hartung–Knapp–Sidik–Jonkman');
    expect(c.lines.map((l) => l.metric)).toEqual(r.runs[0]!.report.summary.comparisons.map((x) => x.metric));
    const cost = c.lines.find((l) => l.metric === 'cost per job')!;
    const own = r.runs.map((x) => x.report.summary.comparisons.find((y) => y.metric === 'cost per job')!);
    expect(cost.replicates.map((x) => x.estimate)).toEqual(own.map((o) => o.estimate));
    const valid = r.runs.filter((x) => x.report.summary.validity.valid).length;
    if (valid === 2) {
      // Two replicates: the combined estimate (a weighted geometric mean) lies between theirs, inside its interval.
      expect(cost.k).toBe(2);
      expect(cost.estimate!).toBeGreaterThanOrEqual(Math.min(own[0]!.estimate, own[1]!.estimate) - 1e-12);
      expect(cost.estimate!).toBeLessThanOrEqual(Math.max(own[0]!.estimate, own[1]!.estimate) + 1e-12);
      expect(cost.interval[0]!).toBeLessThan(cost.estimate!);
      expect(cost.interval[1]!).toBeGreaterThan(cost.estimate!);
      expect(cost.tau2).not.toBeNull();
      expect(c.family).toContain('cost per job');
    } else {
      // On a loaded machine a replicate can be INCONCLUSIVE (release lateness): listed, not combined.
      expect(cost.k).toBe(valid);
    }
    // Each replicate's own report says which set it belongs to and links the combined page.
    expect(r.runs[1]!.report.summary.run.replicate).toEqual({ set: 'set-it', index: 2, count: 2 });
    expect(readFileSync(r.runs[1]!.report.htmlPath, 'utf8')).toContain('href="../set-it/index.html"');
    const html = readFileSync(r.report.htmlPath, 'utf8');
    expect(html).toContain('id="replicates"');
    expect(html).toContain('between-replicate sd');

    // The set is found again from the store alone (`mirrorbench report --run set-it`), with the same combination.
    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    try {
      expect(await replicateRuns(store, 'set-it')).toEqual([{ runId: 'set-it.r1', index: 1, count: 2 }, { runId: 'set-it.r2', index: 2, count: 2 }]);
      // r2 summarized again from the store (r1's summary given, to keep the test short).
      const again = await buildReplicateReport(store, 'set-it', { outDir: join(dir, 'again'), known: new Map([['set-it.r1', r.runs[0]!.report.summary]]) });
      expect(again.summary.combined.lines.map((l) => [l.metric, l.estimate, l.verdict])).toEqual(c.lines.map((l) => [l.metric, l.estimate, l.verdict]));
    } finally {
      await store.close();
    }
  }, 180_000);
});
