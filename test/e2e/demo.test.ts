// Runs the CLI as a user would: the demo end to end in a scratch directory,
// then checks the report against a direct query of the store it wrote.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ChdbStore } from '../../harness/store/chdb-store.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'harness/cli/bin.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'mirrorbench-e2e-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function cli(args: string[], opts: { allowFail?: boolean } = {}) {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { cwd: scratch, env: { ...process.env, CI: 'true' }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    if (!opts.allowFail) throw new Error(`mirrorbench ${args.join(' ')} exited ${e.code}\n${e.stderr}`);
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('mirrorbench CLI', () => {
  it('lists its commands in --help', async () => {
    const { stdout } = await cli(['--help']);
    for (const cmd of ['demo', 'replay', 'report', 'sim', 'trace', 'db', 'export']) expect(stdout).toContain(cmd);
    const sim = await cli(['sim', '--help']);
    expect(sim.stdout).toContain('baseline');
    expect(sim.stdout).toContain('decentralized');
    const trace = await cli(['trace', '--help']);
    for (const cmd of ['import', 'generate', 'inspect']) expect(trace.stdout).toContain(cmd);
  });

  it('runs the demo: replay onto both simulators, store in chDB, report numbers that match the store', async () => {
    const dataDir = join(scratch, 'data');
    const reportsDir = join(scratch, 'reports');
    // Exit 4: the run is inconclusive (on a loaded machine the harness can fall behind); everything below holds either way.
    const { stdout, code } = await cli(['demo', '--jobs', '400', '--seconds', '8', '--data-dir', dataDir, '--reports-dir', reportsDir, '--no-progress', '-q'], { allowFail: true });
    expect([0, 4], stdout).toContain(code);
    const runId = /run (\S+): completed/.exec(stdout)?.[1];
    expect(runId, stdout).toBeTruthy();
    const summaryPath = /summary: (\S+)/.exec(stdout)![1]!;
    const htmlPath = /report: (\S+)/.exec(stdout)![1]!;
    expect(readFileSync(htmlPath, 'utf8')).toContain('<svg');
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as {
      targets: { name: string; jobs: number; completed: number; latency: { p50: number; p99: number }; costUsd: { total: number } }[];
      validity: { valid: boolean };
    };
    expect(code).toBe(summary.validity.valid ? 0 : 4);
    expect(summary.targets.map((t) => t.name).sort()).toEqual(['baseline', 'decentralized']);

    const store = new ChdbStore({ path: join(dataDir, 'chdb'), database: 'mirrorbench' });
    try {
      const rows = await store.query<{ target: string; jobs: number; completed: number; p50: number; p99: number; cost: number }>(
        `SELECT target, count() AS jobs, countIf(status = 'completed') AS completed,
                quantileExactIf(0.5)(total_us, status = 'completed') / 1e6 AS p50, quantileExactIf(0.99)(total_us, status = 'completed') / 1e6 AS p99, sum(cost_usd) AS cost
         FROM mirrorbench.job_results FINAL WHERE run_id = '${runId}' GROUP BY target ORDER BY target`,
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        const t = summary.targets.find((x) => x.name === row.target)!;
        // Every job of the trace reached both targets and has exactly one row on each.
        expect(row.jobs).toBe(400);
        expect(t.jobs).toBe(row.jobs);
        expect(t.completed).toBe(row.completed);
        expect(t.latency.p50).toBeCloseTo(row.p50, 6);
        expect(t.latency.p99).toBeCloseTo(row.p99, 6);
        expect(t.costUsd.total).toBeCloseTo(row.cost, 6);
      }
      const [events] = await store.query<{ n: number }>(`SELECT count() AS n FROM mirrorbench.job_events FINAL WHERE run_id = '${runId}'`);
      expect(events!.n).toBeGreaterThan(400 * 2 * 3);
      const [run] = await store.query<{ status: string; jobs_sent: number }>(`SELECT status, jobs_sent FROM mirrorbench.runs FINAL WHERE run_id = '${runId}'`);
      expect(run).toEqual({ status: 'completed', jobs_sent: 400 });
    } finally {
      await store.close();
    }

    // The report can be rebuilt from the store alone, and thresholds gate the exit code.
    const again = await cli(['report', '--run', runId!, '--data-dir', dataDir, '--reports-dir', reportsDir], { allowFail: true });
    expect(again.code).toBe(summary.validity.valid ? 0 : 4);
    expect(again.stdout).toContain('baseline');
    const gated = await cli(['report', '--run', runId!, '--data-dir', dataDir, '--reports-dir', reportsDir, '--threshold', 'success_rate > 1.01'], { allowFail: true });
    expect(gated.code).toBe(summary.validity.valid ? 3 : 4);

    // Schema status and export of the same run, as a user would script them.
    const status = JSON.parse((await cli(['db', 'status', '--json', '--data-dir', dataDir])).stdout) as { migrations: { pending: unknown[]; applied: { version: number }[] }; runs: number };
    expect(status.migrations.pending).toEqual([]);
    expect(status.migrations.applied.map((m) => m.version)).toEqual([1, 2, 3, 4]);
    expect(status.runs).toBe(1);
    const out = join(scratch, 'export');
    const exported = await cli(['export', '--run', runId!, '--format', 'csv', '--table', 'job_results', '--out', out, '--data-dir', dataDir]);
    expect(exported.stdout).toContain('800 rows');
    expect(readFileSync(join(out, 'job_results.csv'), 'utf8').trim().split('\n')).toHaveLength(801);
    const missing = await cli(['export', '--run', 'no-such-run', '--data-dir', dataDir], { allowFail: true });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-run');
  }, 180_000);

  it('names file, line and field for a bad trace line', async () => {
    const bad = join(scratch, 'bad.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, '{"job_id":"a","submitted_at":"2024-01-01T00:00:00Z","customer":"c","task_type":"llm_inference","work_seconds":1}\n{"job_id":"b","submitted_at":"2024-01-01T00:00:01Z","customer":"c","task_type":"llm_inference","work_seconds":"soon"}\n');
    const r = await cli(['trace', 'inspect', bad], { allowFail: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2`);
    expect(r.stderr).toContain('work_seconds');
  });

  it('replays a trace with a bad line: stops by default, skips and counts it with --bad-lines skip', async () => {
    const { appendFileSync, writeFileSync } = await import('node:fs');
    const trace = join(scratch, 'with-bad.jsonl');
    await cli(['trace', 'generate', '--out', trace, '--jobs', '40', '--span', '3600', '--seed', '3']);
    appendFileSync(trace, '{"job_id":"zz","submitted_at":"2999-01-01T00:00:00Z","customer":"c","task_type":"llm_inference","work_seconds":-5}\n');
    const scenario = join(scratch, 'bad-lines.scenario.yaml');
    writeFileSync(scenario, `name: bad-lines\ntrace:\n  file: ${trace}\nspeed:\n  fitSeconds: 2\ntargets:\n  - { name: baseline, sim: baseline }\n  - { name: decentralized, sim: decentralized }\n`);
    const dataDir = join(scratch, 'data-bad');
    const failed = await cli(['replay', '--scenario', scenario, '--data-dir', dataDir, '--reports-dir', join(scratch, 'r-bad'), '--no-progress', '-q'], { allowFail: true });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain(`${trace}:41`);
    expect(failed.stderr).toContain('work_seconds');
    const skipped = await cli(['replay', '--scenario', scenario, '--bad-lines', 'skip', '--data-dir', dataDir, '--reports-dir', join(scratch, 'r-bad'), '--no-progress', '-q'], { allowFail: true });
    expect([0, 4]).toContain(skipped.code);
    expect(skipped.stdout).toMatch(/completed, 40 jobs sent/);
    expect(skipped.stdout).toContain('1 malformed trace lines were skipped');
  }, 120_000);
});
