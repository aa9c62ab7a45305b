// The A/A noise floor end to end: the scenario asks for one, every job also
// runs on a second seed of the baseline simulator, the report states each
// headline metric's A/A spread, keeps the twin out of the comparison, and no
// headline verdict stands within the floor.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../harness/common/logger.ts';
import { runScenario, targetsWithTwin } from '../../../harness/run/run-scenario.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';
import { summarySchemaErrors } from '../../helpers/summary-schema.ts';

const base = {
  name: 'noise-floor-it',
  seed: 5,
  trace: { generate: { jobs: 300, spanSeconds: 3 * 3600 } },
  speed: { fitSeconds: 2 },
  targets: [
    { name: 'baseline', sim: 'baseline' },
    { name: 'decentralized', sim: 'decentralized' },
  ],
};

describe('noise floor', () => {
  it('validates the floor target and a real deployment\'s second address', () => {
    const msg = (over: object) => {
      const r = ScenarioSchema.safeParse({ ...base, ...over });
      return r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    expect(msg({ noiseFloor: { target: 'nope' } })).toContain('noiseFloor.target: noiseFloor.target "nope" is not a target');
    expect(msg({ noiseFloor: { target: 'baseline', address: 'h:1' } })).toContain('noiseFloor.address');
    const remote = { targets: [{ name: 'baseline', sim: 'baseline' }, { name: 'real', address: 'gpu-a:7000' }] };
    expect(msg({ ...remote, noiseFloor: { target: 'real' } })).toContain('needs the address (host:port) of a second deployment');
    const ok = ScenarioSchema.parse({ ...base, ...remote, noiseFloor: { target: 'real', address: 'gpu-b:7000' } });
    expect(targetsWithTwin(ok).at(-1)).toMatchObject({ name: 'real~aa', address: 'gpu-b:7000' });
    const sim = targetsWithTwin(ScenarioSchema.parse({ ...base, noiseFloor: { target: 'baseline' } }));
    expect(sim.map((t) => [t.name, t.seed])).toEqual([['baseline', undefined], ['decentralized', undefined], ['baseline~aa', 5 + 1_000_003]]);
  });

  it('runs the twin, states the A/A spread and keeps the twin out of the comparison', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-floor-'));
    const scenario = ScenarioSchema.parse({ ...base, noiseFloor: { target: 'baseline' } });
    const r = await runScenario({ scenario, logger: silentLogger(), dataDir: dir, reportsDir: join(dir, 'reports'), progress: false, store: { kind: 'chdb', path: join(dir, 'chdb') } });
    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    try {
      const rows = await store.query<{ target: string; n: number }>(`SELECT target, count() AS n FROM mirrorbench.job_results FINAL WHERE run_id = '${r.run.runId}' GROUP BY target ORDER BY target`);
      expect(rows.map((x) => [x.target, Number(x.n)])).toEqual([['baseline', 300], ['baseline~aa', 300], ['decentralized', 300]]);
    } finally {
      await store.close();
    }
    const s = r.report.summary;
    expect([s.baseline, s.candidate]).toEqual(['baseline', 'decentralized']);
    const nf = s.verdictRule.noiseFloor!;
    expect(nf).toMatchObject({ target: 'baseline', twin: 'baseline~aa', pairs: 300 });
    expect(nf.lines.map((l) => l.metric)).toEqual(s.comparisons.map((c) => c.metric));
    const p50 = nf.lines.find((l) => l.metric === 'p50 latency')!;
    expect(p50.floor).toBeGreaterThan(0);
    // The rule holds on every headline line: a called difference lies beyond its metric's floor.
    for (const c of s.comparisons) {
      const floor = nf.lines.find((l) => l.metric === c.metric)!.floor;
      const distance = Math.abs(c.estimate - (c.scale === 'ratio' ? 1 : 0));
      if (floor !== null && (c.verdict === 'better' || c.verdict === 'worse')) expect(distance).toBeGreaterThan(floor);
      if (c.reason?.includes('noise floor')) expect(distance).toBeLessThanOrEqual(floor!);
    }
    expect(summarySchemaErrors(JSON.parse(readFileSync(r.report.summaryPath, 'utf8')))).toEqual([]);
    const html = readFileSync(r.report.htmlPath, 'utf8');
    expect(html).toContain('id="noise-floor"');
    expect(html).toContain('baseline~aa vs baseline');
    // The twin is listed in the targets and cost tables as what it is, and in no chart.
    expect(html).toContain('baseline~aa (A/A twin of baseline)');
    expect(s.targets.at(-1)).toMatchObject({ name: 'baseline~aa', aaTwinOf: 'baseline' });
  }, 120_000);
});
