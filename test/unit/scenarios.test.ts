// The scenario library validates as shipped, and a broken scenario is reported
// field by field, without running anything.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../harness/campaign/config.ts';
import { ScenarioError } from '../../harness/common/errors.ts';
import { silentLogger } from '../../harness/common/logger.ts';
import { runScenario } from '../../harness/run/run-scenario.ts';
import { checkScenario } from '../../harness/run/scenario-check.ts';
import { ScenarioSchema } from '../../scenarios/define.ts';
import { loadScenario } from '../../scenarios/load.ts';

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
    writeFileSync(semantic, 'name: sem\ntrace: { file: x.jsonl }\ntargets:\n  - { name: base, sim: baseline, params: { lifetime_scale_h: -1 } }\n  - { name: base2, sim: baseline, faults: { outages: [{ afterSeconds: 1, durationSeconds: 1 }] } }\n');
    const s = await checkScenario(semantic);
    expect(s.problems.join('\n')).toMatch(/line 4: targets\.0\.params\.lifetime_scale_h: .*must be a non-negative number/);
    expect(s.problems.join('\n')).toMatch(/line 5: targets\.1\.faults: .*decentralized-network fault/);
    const loads = join(dir, 'loads.scenario.yaml');
    writeFileSync(loads, `name: loads\ntrace: { file: ${join(dir, 'missing.jsonl')} }\ntargets:\n  - { name: base, sim: baseline }\nthresholds: ["p42 < 1"]\n`);
    const l = await checkScenario(loads);
    expect(l.problems.join("\n")).toMatch(/trace\.file: .*missing\.jsonl does not exist/);
    expect(l.problems.join('\n')).toMatch(/thresholds\.0: .*unknown metric "p42"/);
  });
});

describe('scenario errors name the file, the line and the field as written (issue 16 item 13)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mb-scen-lines-'));
  const refusal = async (name: string, yaml: string): Promise<ScenarioError> => {
    const file = join(dir, name);
    writeFileSync(file, yaml);
    const err = await loadScenario(file).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    return err as ScenarioError;
  };

  it('gives the line of a schema error in YAML', async () => {
    const err = await refusal('sim.scenario.yaml', 'name: t\ntrace:\n  generate: { jobs: 30 }\ntargets:\n  - name: baseline\n    sim: basline\n');
    expect(err.issues).toEqual([expect.objectContaining({ path: 'targets.0.sim', line: 6 })]);
    expect(err.message).toMatch(/sim\.scenario\.yaml: line 6: targets\.0\.sim: /);
  });

  it('names a misspelt generator option as written, at load rather than when the trace is generated', async () => {
    const err = await refusal('gen.scenario.yaml', 'name: t\nseed: 1\ntrace:\n  generate:\n    spanSeconds: 3600\n    jobz: 30\ntargets:\n  - { name: baseline, sim: baseline }\n');
    expect(err.message).toContain('gen.scenario.yaml');
    expect(err.issues).toContainEqual(expect.objectContaining({ path: 'trace.generate.jobz', line: 6, message: expect.stringMatching(/^unknown generator option "jobz"; known: jobs, /) }));
    expect(err.issues).toContainEqual(expect.objectContaining({ path: 'trace.generate.jobs', line: 4 }));
  });

  it('names a simulator parameter as written, with the scenario file and line', async () => {
    const err = await refusal('param.scenario.yaml', 'name: t\ntrace: { generate: { jobs: 3 } }\ntargets:\n  - name: baseline\n    sim: baseline\n    params:\n      gpuz: 3\n');
    expect(err.issues).toEqual([expect.objectContaining({ path: 'targets.0.params.gpuz', line: 7, message: expect.stringMatching(/^baseline simulator: unknown parameter "gpuz"/) })]);
    expect(err.message).toMatch(/param\.scenario\.yaml: line 7: targets\.0\.params\.gpuz: /);
  });

  it('says where YAML that does not parse breaks', async () => {
    const err = await refusal('broken.scenario.yaml', 'name: t\ntargets: [\n');
    expect(err.message).toMatch(/broken\.scenario\.yaml: line \d: \(root\): not valid YAML: /);
    expect(err.message).not.toContain('\n');
  });

  it('refuses a bad threshold before the replay starts: no trace generated, no target started', async () => {
    const dataDir = join(dir, 'data');
    const scenario = ScenarioSchema.parse({ name: 'gate', trace: { generate: { jobs: 20 } }, targets: [{ name: 'baseline', sim: 'baseline' }], thresholds: ['p99 < 1', 'p99 is small'] });
    const err = await runScenario({ scenario, logger: silentLogger(), dataDir, progress: false, store: { kind: 'chdb', path: join(dataDir, 'chdb') } }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).issues).toEqual([expect.objectContaining({ path: 'thresholds.1', message: expect.stringContaining('expected "<metric> <op> <number>"') })]);
    expect(existsSync(join(dataDir, 'traces'))).toBe(false);
    expect(existsSync(join(dataDir, 'chdb'))).toBe(false);
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
