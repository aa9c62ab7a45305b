// A scenario that starts both real-backend bridges in-process from its own
// settings — SaladCloud as the baseline, Golem as the decentralized network —
// against local stand-ins of their APIs, through the whole run: replay, chDB,
// report. This is what a campaign pointed at real backends does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScenario } from '../../../harness/run/run-scenario.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';
import { startSaladMock } from '../../helpers/salad-mock.ts';
import { startYagnaMock } from '../../helpers/yagna-mock.ts';

const saved = { YAGNA_APPKEY: process.env.YAGNA_APPKEY, SALAD_API_KEY: process.env.SALAD_API_KEY };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
});

describe('scenario bridge targets', () => {
  it('runs a scenario whose targets are the SaladCloud and Golem bridges, withholding confidential jobs from the permissionless one', async () => {
    const yagna = await startYagnaMock({ appKey: 'requestor-key', providers: [{ id: '0xa1', name: 'rig-a', start: 0.01, envPerHour: 0.5, cpuPerHour: 0 }], debitNoteIntervalMs: 200 });
    const salad = await startSaladMock({ validKey: 'salad-key', runMs: 300 });
    const dir = mkdtempSync(join(tmpdir(), 'mb-bridges-'));
    try {
      const trace = join(dir, 'trace.jsonl');
      const jobs = ['public', 'internal', 'confidential', 'public'].map((sensitivity, i) => ({ job_id: `b-${i}`, submitted_at: 1_700_000_000_000_000 + i * 200_000, customer: 'acme', task_type: 'transcription', work_seconds: 0.4, sensitivity }));
      writeFileSync(trace, jobs.map((j) => JSON.stringify(j)).join('\n') + '\n');
      process.env.YAGNA_APPKEY = 'requestor-key';
      process.env.SALAD_API_KEY = 'salad-key';
      const scenario = ScenarioSchema.parse({
        name: 'real-backends',
        trace: { file: trace },
        speed: 1,
        dataPolicy: { permissionlessMaxSensitivity: 'internal' },
        targets: [
          { name: 'salad', bridge: { salad: { apiUrl: salad.url, organization: 'acme-corp', project: 'mirror', queue: 'fifo-queue', containerGroup: 'whisper', pollMs: 50 } } },
          { name: 'golem', bridge: { golem: { yagnaUrl: yagna.url, imageUrl: 'http://127.0.0.1:1/w.gvmi', imageHash: 'ab'.repeat(28), command: 'sleep {work_seconds}', maxStartPrice: 0.05, maxEnvPerHourPrice: 1, glmUsd: 0.3, agreementTimeoutSeconds: 5 } } },
        ],
      });
      const r = await runScenario({ scenario, logger: silentLogger(), dataDir: dir, reportsDir: join(dir, 'reports'), progress: false, store: { kind: 'chdb', path: join(dir, 'chdb') } });
      expect(r.run.status).toBe('completed');
      const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
      try {
        const rows = await store.query<{ target: string; job_id: string; status: string; currency: string }>(`SELECT target, job_id, status, currency FROM mirrorbench.job_results FINAL WHERE run_id = '${r.run.runId}' ORDER BY target, job_id`);
        expect(rows.map((x) => `${x.target}:${x.job_id}:${x.status}:${x.currency}`)).toEqual([
          'golem:b-0:completed:GLM',
          'golem:b-1:completed:GLM',
          'golem:b-2:withheld:',
          'golem:b-3:completed:GLM',
          'salad:b-0:completed:USD',
          'salad:b-1:completed:USD',
          'salad:b-2:completed:USD',
          'salad:b-3:completed:USD',
        ]);
        const [run] = await store.query<{ config_json: string }>(`SELECT config_json FROM mirrorbench.runs FINAL WHERE run_id = '${r.run.runId}'`);
        expect(run!.config_json).toContain('erc20-holesky');
      } finally {
        await store.close();
      }
      expect(readFileSync(r.report.htmlPath, 'utf8')).toContain('golem');
      // No budget in the scenario: the allocation is sized from the 3 jobs the Golem target gets (one is withheld)
      // at the scenario's price limits — (3 × (0.05 + 1 × 0.25) + 3 × 0.4 s × 1 GLM/h) × 1.25 = 1.13 → 1.2 GLM.
      const [allocation] = [...yagna.allocations.values()];
      expect(Number(allocation!.totalAmount)).toBeCloseTo(1.2, 10);
      // Everything the Golem bridge opened was closed when the run ended.
      expect(yagna.openDemands()).toBe(0);
      expect([...yagna.allocations.values()].every((a) => a.released)).toBe(true);
    } finally {
      await yagna.stop();
      await salad.close();
    }
  }, 90_000);

  it('refuses a bridge target unless the scenario runs in real time, and names missing keys', async () => {
    const base = { name: 'x', trace: { file: 't.jsonl' }, targets: [{ name: 'golem', bridge: { golem: { imageTag: 'a/b:1' } } }] };
    expect(ScenarioSchema.safeParse({ ...base, speed: 60 }).error?.issues[0]).toMatchObject({ path: ['speed'], message: expect.stringMatching(/needs speed: 1/) });
    expect(ScenarioSchema.safeParse({ ...base, targets: [{ name: 'golem', bridge: { golem: { imageUrl: 'http://h/i.gvmi' } } }] }).success).toBe(false);
    expect(ScenarioSchema.safeParse({ ...base, targets: [{ name: 'golem', address: 'h:1', bridge: { golem: {} } }] }).success).toBe(false);
    const scenario = ScenarioSchema.parse(base);
    delete process.env.YAGNA_APPKEY;
    const dir = mkdtempSync(join(tmpdir(), 'mb-bridges-'));
    writeFileSync(join(dir, 't.jsonl'), JSON.stringify({ job_id: 'a', submitted_at: 1, customer: 'c', task_type: 'transcription', work_seconds: 1 }) + '\n');
    await expect(runScenario({ scenario: { ...scenario, trace: { file: join(dir, 't.jsonl'), badLines: 'fail' } }, logger: silentLogger(), dataDir: dir, progress: false, store: { kind: 'chdb', path: join(dir, 'chdb') } })).rejects.toThrow(/set YAGNA_APPKEY/);
  }, 30_000);
});
