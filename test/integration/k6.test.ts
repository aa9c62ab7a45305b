// k6 interoperability: the exported script type-checks against @types/k6, and
// k6's JSON output (in its documented format) comes back as a run the report
// reads like any other.
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { exportK6 } from '../../harness/interop/k6-export.ts';
import { ChdbStore } from '../../harness/store/chdb-store.ts';
import { summarize } from '../../reports/summary.ts';
import { generateTrace } from '../../workloads/generator.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('k6', () => {
  it('exports a script with the arrival schedule that type-checks against @types/k6', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-k6-'));
    const { scriptPath, jobs } = await exportK6({
      scenario: 'k6-it',
      targets: { baseline: '127.0.0.1:50051', decentralized: '127.0.0.1:50052' },
      speed: 60,
      jobs: generateTrace({ jobs: 40, seed: 3, spanSeconds: 3600 }),
      outDir: dir,
    });
    expect(jobs).toBe(40);
    const schedule = JSON.parse(readFileSync(join(dir, 'jobs.json'), 'utf8')) as { offsetMs: number; job: { jobId: string } }[];
    expect(schedule[0]!.offsetMs).toBe(0);
    expect(schedule.every((s, i) => i === 0 || s.offsetMs >= schedule[i - 1]!.offsetMs)).toBe(true);
    expect(readFileSync(join(dir, 'compute.proto'), 'utf8')).toContain('service ComputeTarget');
    const program = ts.createProgram([scriptPath], {
      noEmit: true,
      strict: true,
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['k6'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
      lib: ['lib.es2020.d.ts'],
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });

  it('imports k6 JSON output as a run with one result per job and target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-k6-in-'));
    const file = join(dir, 'k6.json');
    const lines = [
      // The documented shape of `k6 run --out json=FILE`: Metric declarations, then Point samples.
      JSON.stringify({ type: 'Metric', data: { name: 'mirrorbench_job_ms', type: 'trend', contains: 'time', thresholds: [], submetrics: null }, metric: 'mirrorbench_job_ms' }),
      JSON.stringify({ type: 'Point', data: { time: '2026-11-26T10:00:00.000000000Z', value: 1, tags: { group: '', scenario: 'replay' } }, metric: 'iterations' }),
    ];
    for (let i = 0; i < 50; i++) {
      for (const target of ['baseline', 'decentralized']) {
        const ms = (target === 'baseline' ? 100 : 150) + i;
        const tags = { scenario_name: 'k6-it', target, job_id: `j${i}`, task_type: 'llm_inference', profile: 'chat', customer: 'acme', status: i === 7 && target === 'decentralized' ? 'failed' : 'completed', error_class: i === 7 && target === 'decentralized' ? 'provider_lost' : '', speed: '60' };
        lines.push(JSON.stringify({ type: 'Point', data: { time: `2026-11-26T10:00:${String(10 + (i % 40)).padStart(2, '0')}.123456789+00:00`, value: ms, tags }, metric: 'mirrorbench_job_ms' }));
      }
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const dataDir = join(dir, 'data');
    const { stdout } = await run('node', [join(ROOT, 'harness/cli/bin.mjs'), 'k6', 'import', file, '--run-id', 'k6-run', '--data-dir', dataDir], { cwd: dir });
    expect(stdout).toContain('run k6-run: 100 job results');
    const store = new ChdbStore({ path: join(dataDir, 'chdb'), database: 'mirrorbench' });
    try {
      const s = await summarize(store, 'k6-run');
      expect(s.run.scenario).toBe('k6-it');
      expect(s.targets.map((t) => [t.name, t.jobs, t.completed])).toEqual([
        ['baseline', 50, 50],
        ['decentralized', 50, 49],
      ]);
      // 100 ms of wall time at speed 60 is 6 s of trace time.
      const [row] = await store.query<{ total_us: number; finished_at_us: number }>("SELECT total_us, finished_at_us FROM mirrorbench.job_results FINAL WHERE run_id = 'k6-run' AND target = 'baseline' AND job_id = 'j0'");
      expect(row).toEqual({ total_us: 6_000_000, finished_at_us: Date.parse('2026-11-26T10:00:10Z') * 1000 + 123456 });
      expect(s.comparisons.find((c) => c.metric === 'p50 latency')!.verdict).toBe('worse');
    } finally {
      await store.close();
    }
    writeFileSync(join(dir, 'bad.json'), lines[0] + '\n' + JSON.stringify({ type: 'Point', metric: 'mirrorbench_job_ms', data: { time: '2026-11-26T10:00:00Z', value: 'slow', tags: {} } }) + '\n');
    const bad = await run('node', [join(ROOT, 'harness/cli/bin.mjs'), 'k6', 'import', join(dir, 'bad.json'), '--data-dir', dataDir], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toContain(`${join(dir, 'bad.json')}:2: field "data.value"`);
  }, 60_000);

  it('imports k6 output of 200,000 samples, every one stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-k6-big-'));
    const file = join(dir, 'k6.json');
    const out = createWriteStream(file);
    const t0 = Date.parse('2026-11-26T10:00:00Z');
    for (let i = 0; i < 100_000; i++) {
      let chunk = '';
      for (const target of ['baseline', 'decentralized']) {
        const tags = { scenario_name: 'k6-big', target, job_id: `j${i}`, task_type: 'llm_inference', status: 'completed', speed: '10' };
        chunk += JSON.stringify({ type: 'Point', data: { time: new Date(t0 + i * 20).toISOString(), value: 100 + (i % 50), tags }, metric: 'mirrorbench_job_ms' }) + '\n';
      }
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const dataDir = join(dir, 'data');
    const { stdout } = await run('node', [join(ROOT, 'harness/cli/bin.mjs'), 'k6', 'import', file, '--run-id', 'k6-big', '--data-dir', dataDir], { cwd: dir, maxBuffer: 1 << 24 });
    expect(stdout).toContain('run k6-big: 200000 job results');
    const store = new ChdbStore({ path: join(dataDir, 'chdb'), database: 'mirrorbench' });
    try {
      const rows = await store.query<{ n: number; jobs: number }>("SELECT count() AS n, uniqExact(job_id) AS jobs FROM mirrorbench.job_results FINAL WHERE run_id = 'k6-big'");
      expect(rows).toEqual([{ n: 200_000, jobs: 100_000 }]);
      const [r] = await store.query<{ jobs_planned: number; started_at_us: number }>("SELECT jobs_planned, started_at_us FROM mirrorbench.runs FINAL WHERE run_id = 'k6-big'");
      expect(r).toEqual({ jobs_planned: 100_000, started_at_us: (t0 - 100) * 1000 });
    } finally {
      await store.close();
    }
  }, 120_000);
});
