// The scenario library validates as shipped, and a broken scenario is reported
// field by field, without running anything.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../harness/campaign/config.ts';
import { checkScenario } from '../../harness/run/scenario-check.ts';

const library = fileURLToPath(new URL('../../scenarios/library/', import.meta.url));

describe('scenario check', () => {
  it('passes every scenario of the library', async () => {
    const files = readdirSync(library).map((f) => join(library, f));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) expect((await checkScenario(f)).problems, f).toEqual([]);
    const names = await Promise.all(files.map(async (f) => (await checkScenario(f)).scenario!.name));
    for (const n of ['nightly-mirror', 'inference-peak-hour', 'image-generation-batch', 'render-batch', 'churn-stress', 'price-shock', 'sensitive-data']) expect(names).toContain(n);
  });

  it('the shipped campaigns load, and the sized-weekly example asks for sequential stopping (≥ 20 looks)', async () => {
    const campaigns = await loadCampaigns(fileURLToPath(new URL('../../scenarios/campaigns.yaml', import.meta.url)));
    const sized = campaigns.find((c) => c.name === 'sized-weekly')!;
    const r = await checkScenario(sized.scenarioPath);
    expect(r.problems).toEqual([]);
    expect(r.scenario!.sequential).toEqual({ primary: ['p90', 'cost'], looks: 20, ratioMargin: 0.05, successMarginPoints: 0.01 });
    const bad = join(mkdtempSync(join(tmpdir(), 'mb-seq-')), 'few-looks.scenario.yaml');
    writeFileSync(bad, 'name: few\ntrace: { file: x.jsonl }\ntargets: [{ name: a, sim: baseline }]\nsequential: { looks: 5 }\n');
    expect((await checkScenario(bad)).problems.join()).toContain('sequential.looks');
  });

  it('names every problem with its field path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-scen-'));
    const bad = join(dir, 'bad.scenario.yaml');
    writeFileSync(bad, 'name: Bad Name\ntrace: { file: x.jsonl }\nspeed: -2\ntargets:\n  - { name: net, sim: decentralized, faults: { churnMultiplier: 0 } }\n');
    const r = await checkScenario(bad);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain('name: lower-case name');
    expect(r.problems[0]).toContain('speed');
    expect(r.problems[0]).toContain('targets.0.faults.churnMultiplier');
    const semantic = join(dir, 'semantic.scenario.yaml');
    writeFileSync(semantic, `name: sem\ntrace: { file: ${join(dir, 'missing.jsonl')} }\ntargets:\n  - { name: base, sim: baseline, params: { lifetime_scale_h: -1 } }\n  - { name: base2, sim: baseline, faults: { outages: [{ afterSeconds: 1, durationSeconds: 1 }] } }\nthresholds: ["p42 < 1"]\n`);
    const s = await checkScenario(semantic);
    expect(s.problems.join('\n')).toMatch(/targets\.0 \(base\): .*lifetime_scale_h/);
    expect(s.problems.join("\n")).toMatch(/targets\.1 \(base2\): .*decentralized-network fault/);
    expect(s.problems.join("\n")).toMatch(/trace\.file: .*missing\.jsonl does not exist/);
    expect(s.problems.join('\n')).toMatch(/thresholds\.0: .*unknown metric "p42"/);
  });
});

describe('report options', () => {
  it('accept the usual confidence levels and reject others with the field path', async () => {
    const { ScenarioSchema } = await import('../../scenarios/define.ts');
    const base = { name: 'r', trace: { file: 't.jsonl' }, targets: [{ name: 'b', sim: 'baseline' }] };
    expect(ScenarioSchema.parse({ ...base, report: { confidence: 0.99, bootstrapResamples: 5000 } }).report).toEqual({ confidence: 0.99, bootstrapResamples: 5000 });
    const bad = ScenarioSchema.safeParse({ ...base, report: { confidence: 0.5 } });
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toContain('report.confidence');
  });
});

describe('trace fields defined by their owners', () => {
  it('checks generator options and import kinds by the generator and importer definitions, keeping the options as written', async () => {
    const { ScenarioSchema } = await import('../../scenarios/define.ts');
    const base = { name: 'g', targets: [{ name: 'b', sim: 'baseline' }] };
    const ok = ScenarioSchema.parse({ ...base, trace: { generate: { jobs: 10, tenants: 3 } } });
    expect(ok.trace).toEqual({ generate: { jobs: 10, tenants: 3 } });
    const bad = ScenarioSchema.safeParse({ ...base, trace: { generate: { jobs: -1, tennants: 3 } } });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.flatMap((i) => ('errors' in i ? (i.errors as { path: PropertyKey[] }[][]).flat().map((e) => [...i.path, ...e.path].join('.')) : [i.path.join('.')]));
    expect(paths).toContain('trace.generate.jobs');
    expect(ScenarioSchema.safeParse({ ...base, trace: { file: 't.csv', import: 'alibaba-gpu' } }).success).toBe(true);
    expect(ScenarioSchema.safeParse({ ...base, trace: { file: 't.csv', import: 'borg' } }).success).toBe(false);
  });
});
