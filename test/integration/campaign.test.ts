// A campaign process on a one-second cron with a scenario that takes longer
// than that: runs never overlap (the overlapping tick is recorded as skipped),
// every run is recorded with its gates and its regressions against the
// previous one, the index page lists them, and a failed gate reaches the
// webhook (a local HTTP server).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../harness/campaign/config.ts';
import { CampaignRunner } from '../../harness/campaign/runner.ts';
import { silentLogger } from '../../harness/common/logger.ts';
import { ChdbStore } from '../../harness/store/chdb-store.ts';
import { latestRows, type RunDigest } from '../../reports/campaign-index.ts';
import { detectRegressions, type RegressionCheck } from '../../reports/regression.ts';
import type { ReplicateSetSummary } from '../../reports/replicates.ts';
import { jobOutcomes } from '../../harness/store/runs.ts';
import type { CampaignRunRow } from '../../harness/events/schema.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = (args: string[], cwd: string) =>
  promisify(execFile)('node', [join(ROOT, 'harness/cli/bin.mjs'), ...args], { cwd, maxBuffer: 1 << 24 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

/** A local webhook that keeps what it is sent. */
async function webhookServer() {
  const posts: Record<string, unknown>[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      posts.push(JSON.parse(body) as Record<string, unknown>);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  return { posts, hook, port: (hook.address() as { port: number }).port };
}

describe('campaigns', () => {
  it('rejects a bad cron pattern naming its field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-camp-bad-'));
    const file = join(dir, 'campaigns.yaml');
    writeFileSync(file, 'campaigns:\n  - { scenario: x.scenario.yaml, cron: "61 * * * *" }\n');
    await expect(loadCampaigns(file)).rejects.toThrow(/campaigns\.0\.cron/);
  });

  it('runs on schedule without overlap, records runs, detects regressions and calls the webhook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-camp-'));
    const { posts, hook, port } = await webhookServer();
    writeFileSync(
      join(dir, 'tiny.scenario.yaml'),
      'name: tiny\nseed: 2\ntrace:\n  generate: { jobs: 60, spanSeconds: 3600 }\nspeed: { fitSeconds: 1.5 }\ntargets:\n  - { name: baseline, sim: baseline }\n  - { name: decentralized, sim: decentralized }\n',
    );
    writeFileSync(join(dir, 'campaigns.yaml'), `webhook: http://127.0.0.1:${port}/hook\ncampaigns:\n  - name: every-second\n    scenario: tiny.scenario.yaml\n    cron: "* * * * * *"\n    thresholds: ["success_rate > 1.01"]\n`);
    const campaigns = await loadCampaigns(join(dir, 'campaigns.yaml'));
    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    const runner = new CampaignRunner(campaigns, { store, dataDir: dir, reportsDir: join(dir, 'reports'), logger: silentLogger() });
    try {
      await runner.start();
      // Long enough for two runs and at least one tick that would overlap.
      const deadline = Date.now() + 45_000;
      for (;;) {
        const [r] = await store.query<{ done: number; skipped: number }>("SELECT countIf(status = 'completed') AS done, countIf(status = 'skipped_overlap') AS skipped FROM mirrorbench.campaign_runs FINAL");
        if ((r!.done >= 2 && r!.skipped >= 1) || Date.now() > deadline) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      await runner.stop();
      const rows = await store.query<{ status: string; run_id: string; started_at_us: number; ended_at_us: number; previous_run_id: string; thresholds_passed: number; regressions_json: string }>(
        "SELECT status, run_id, started_at_us, ended_at_us, previous_run_id, thresholds_passed, regressions_json FROM mirrorbench.campaign_runs FINAL ORDER BY scheduled_at_us",
      );
      const done = rows.filter((r) => r.status === 'completed');
      expect(done.length).toBeGreaterThanOrEqual(2);
      expect(rows.some((r) => r.status === 'skipped_overlap')).toBe(true);
      // Never two runs of the scenario at once.
      for (let i = 1; i < done.length; i++) expect(done[i]!.started_at_us).toBeGreaterThanOrEqual(done[i - 1]!.ended_at_us);
      // The second run is compared with the first: same trace and seed, so no regression.
      expect(done[1]!.previous_run_id).toBe(done[0]!.run_id);
      const checks = JSON.parse(done[1]!.regressions_json) as { verdict: string }[];
      expect(checks.length).toBeGreaterThan(0);
      expect(checks.filter((c) => c.verdict === 'worse')).toEqual([]);
      // The gate cannot pass: every completed run was announced.
      expect(done.every((r) => r.thresholds_passed === 0)).toBe(true);
      expect(posts.length).toBeGreaterThanOrEqual(done.length);
      expect(posts[0]).toMatchObject({ campaign: 'every-second', scenario: 'tiny', failedThresholds: [{ expression: 'success_rate > 1.01' }], changePoints: [] });
      const index = readFileSync(runner.indexPath, 'utf8');
      for (const r of done) expect(index).toContain(r.run_id);
      expect(index).toContain('skipped_overlap');
      expect(index).toContain('<svg');
      // Two or three runs are too few for a change point (≥ 3 runs either side), but the section is there.
      expect(index).toContain('id="change-points" data-count="0"');
      expect(index).toContain('id="change-point-chart"');
    } finally {
      await runner.stop();
      await store.close();
      hook.close();
    }
  }, 90_000);

  it('--once exits 0 when every run passes and 3 when a gate fails; each run is one row, never left "running"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-camp-once-'));
    writeFileSync(
      join(dir, 'tiny.scenario.yaml'),
      'name: tiny\nseed: 3\ntrace:\n  generate: { jobs: 30, spanSeconds: 86400 }\nspeed: { fitSeconds: 2 }\ntargets:\n  - { name: baseline, sim: baseline }\n  - { name: decentralized, sim: decentralized }\n',
    );
    const campaigns = (gate: string) => `campaigns:\n  - name: nightly\n    scenario: tiny.scenario.yaml\n    cron: "0 3 * * *"\n    thresholds: ["${gate}"]\n`;
    writeFileSync(join(dir, 'pass.yaml'), campaigns('success_rate >= 0'));
    writeFileSync(join(dir, 'fail.yaml'), campaigns('success_rate > 1.01'));
    const args = ['--data-dir', join(dir, 'data'), '--reports-dir', join(dir, 'reports')];

    const pass = await cli(['campaign', 'start', join(dir, 'pass.yaml'), '--once', ...args], dir);
    expect(pass.code, pass.stdout + pass.stderr.slice(-1500)).toBe(0);
    const fail = await cli(['campaign', 'start', join(dir, 'fail.yaml'), '--once', ...args], dir);
    expect(fail.code).toBe(3);
    expect(fail.stdout).toMatch(/nightly: tiny-\S+ completed — failed/);

    const store = new ChdbStore({ path: join(dir, 'data', 'chdb'), database: 'mirrorbench' });
    try {
      const rows = await store.query<CampaignRunRow>('SELECT * FROM mirrorbench.campaign_runs FINAL ORDER BY scheduled_at_us');
      expect(rows.map((r) => r.status)).toEqual(['completed', 'completed']);
      expect(rows.every((r) => r.run_id.startsWith('tiny-'))).toBe(true);
      const index = readFileSync(join(dir, 'reports', 'campaigns', 'index.html'), 'utf8');
      for (const r of rows) expect(index.split(`>${r.run_id}</a>`).length - 1).toBe(1);
      expect(index).not.toContain('data-status="running"');
    } finally {
      await store.close();
    }
  }, 120_000);

  it('runs a scenario with replicates as its whole set: one row under the set id, gates over every replicate, combined verdicts, r1 paired with the previous set\'s r1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-camp-repl-'));
    const { posts, hook, port } = await webhookServer();
    writeFileSync(
      join(dir, 'tiny.scenario.yaml'),
      'name: tiny-set\nseed: 4\nreplicates: 2\ntrace:\n  generate: { jobs: 30, spanSeconds: 86400 }\nspeed: { fitSeconds: 1 }\ntargets:\n  - { name: baseline, sim: baseline }\n  - { name: decentralized, sim: decentralized }\n',
    );
    writeFileSync(join(dir, 'campaigns.yaml'), `webhook: http://127.0.0.1:${port}/hook\ncampaigns:\n  - name: sets\n    scenario: tiny.scenario.yaml\n    cron: "0 3 * * *"\n    thresholds: ["success_rate >= 0", "success_rate > 1.01"]\n`);
    const [campaign] = await loadCampaigns(join(dir, 'campaigns.yaml'));
    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    const reports = join(dir, 'reports');
    const runner = new CampaignRunner([campaign!], { store, dataDir: dir, reportsDir: reports, logger: silentLogger() });
    try {
      await store.init();
      const first = await runner.tick(campaign!);
      const second = await runner.tick(campaign!);
      // A gate fails in every replicate: not ok, so `--once` would exit 3.
      expect(first).toMatchObject({ campaign: 'sets', status: 'completed', ok: false });
      expect(second).toMatchObject({ status: 'completed', ok: false });
      expect(first.runId).toMatch(/^tiny-set-\S+$/);
      expect(first.runId).not.toMatch(/\.r\d+$/);

      const rows = latestRows(await store.query<CampaignRunRow>('SELECT * FROM mirrorbench.campaign_runs FINAL ORDER BY scheduled_at_us'));
      // One row per tick, under the set id: the replicates are not campaign runs of their own.
      expect(rows.map((r) => [r.run_id, r.status])).toEqual([[first.runId, 'completed'], [second.runId, 'completed']]);
      const [a, b] = rows;
      const gates = JSON.parse(a!.thresholds_json) as { expression: string; passed: boolean; detail: string }[];
      expect(gates.map((g) => [g.expression, g.passed])).toEqual([['success_rate >= 0', true], ['success_rate > 1.01', false]]);
      expect(gates[1]!.detail).toContain(`failed in 2 of 2 replicates: ${first.runId}.r1: `);
      expect(a!.thresholds_passed).toBe(0);

      // The set's page exists, and the row's verdicts are its combined ones.
      const set = JSON.parse(readFileSync(join(reports, first.runId, 'summary.json'), 'utf8')) as ReplicateSetSummary;
      expect(set).toMatchObject({ kind: 'replicate-set', set: first.runId, planned: 2 });
      expect(set.replicates.map((r) => r.runId)).toEqual([`${first.runId}.r1`, `${first.runId}.r2`]);
      const digest = JSON.parse(a!.summary_json) as RunDigest;
      expect(digest.replicates).toEqual({ set: first.runId, runs: [`${first.runId}.r1`, `${first.runId}.r2`], planned: 2 });
      expect(digest.comparisons.map((c) => [c.metric, c.verdict])).toEqual(set.combined.lines.map((l) => [l.metric, l.verdict]));
      const cost = set.combined.lines.find((l) => l.metric === 'cost per job')!;
      expect(digest.comparisons.find((c) => c.metric === 'cost per job')!.ratio).toBe(cost.estimate);
      expect(digest.targets!.map((t) => t.name)).toEqual(['baseline', 'decentralized']);

      // The second set is checked against the first: replicate 1 with replicate 1 (the same seeds), job for job.
      expect(a!.previous_run_id).toBe('');
      expect(b!.previous_run_id).toBe(first.runId);
      const checks = JSON.parse(b!.regressions_json) as RegressionCheck[];
      expect(checks.length).toBeGreaterThan(0);
      const expected = detectRegressions(await jobOutcomes(store, `${first.runId}.r1`), await jobOutcomes(store, `${second.runId}.r1`), { seed: second.runId });
      expect(checks).toEqual(JSON.parse(JSON.stringify(expected)));

      // The webhook hears of the set: its id, its page, the replicates, the failed gate.
      expect(posts).toHaveLength(2);
      expect(posts[1]).toMatchObject({
        campaign: 'sets', scenario: 'tiny-set', runId: second.runId, status: 'completed',
        report: join(reports, second.runId, 'index.html'),
        replicates: [`${second.runId}.r1`, `${second.runId}.r2`],
        failedThresholds: [{ expression: 'success_rate > 1.01' }],
      });
      const index = readFileSync(runner.indexPath, 'utf8');
      expect(index).toContain(`href="../${second.runId}/index.html"`);
      expect(index).toContain('replicate set: 2 of 2 runs');
    } finally {
      await store.close();
      hook.close();
    }
  }, 120_000);

  it('the index shows a run once even when an older version left its "running" row beside it', () => {
    const row = (over: Partial<CampaignRunRow>): CampaignRunRow => ({
      campaign: 'c', scenario: 's', run_id: '', scheduled_at_us: 1, started_at_us: 1, ended_at_us: 0, status: 'running', thresholds_passed: 1, thresholds_json: '[]',
      previous_run_id: '', regressions_json: '[]', summary_json: '', error: '', updated_at_us: 1, scheduled_date: 0, ...over,
    });
    const stuck = row({});
    const finished = row({ run_id: 's-1', status: 'completed', ended_at_us: 2, updated_at_us: 2 });
    const stillRunning = row({ scheduled_at_us: 5 });
    expect(latestRows([stuck, finished, stillRunning])).toEqual([finished, stillRunning]);
  });
});
