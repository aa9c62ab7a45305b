// The run and campaign reads (store/runs.ts, store/campaigns.ts) on chDB with
// hostile ids: each finds exactly its own rows, FINAL folds a rewritten row,
// and the outcome stream yields every job once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignHistory, previousCompletedRun, recentCampaignRuns } from '../../../harness/store/campaigns.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { jobOutcomes, runExists, storedRun, streamJobOutcomes } from '../../../harness/store/runs.ts';

const store = new ChdbStore({ path: join(mkdtempSync(join(tmpdir(), 'mb-reads-')), 'chdb'), database: 'mb_reads' });
const EVIL = "r' OR 1=1 --\\";
const JOBS = 3000;
const HOSTILE = ["r' OR 1=1 --", "' OR '1'='1", '\\', "r\\' OR 1=1 --", '{id:String}', '%', ''];

beforeAll(async () => {
  await store.init();
  const db = store.database;
  for (const [i, id] of [EVIL, 'other'].entries()) {
    await store.exec(
      'INSERT INTO {db:Identifier}.runs (run_id, status, config_json, speed, started_at_us, trace_start_us, trace_checksum, updated_at_us) VALUES ({id:String}, {status:String}, {cfg:String}, 10, {t:Int64}, 5, {sum:String}, 1)',
      { db, id, status: 'interrupted', cfg: '{}', t: 1000 + i, sum: `sum-${i}` },
    );
  }
  // A rewrite of the same run with a later version: FINAL keeps this one.
  await store.exec("INSERT INTO {db:Identifier}.runs (run_id, status, config_json, speed, started_at_us, trace_start_us, trace_checksum, updated_at_us) VALUES ({id:String}, 'completed', '{}', 20, 1000, 5, 'sum-0', 2)", { db, id: EVIL });
  await store.exec(
    "INSERT INTO {db:Identifier}.job_results (run_id, job_id, target, status, error_class, total_us, cost_usd) SELECT {id:String}, concat('j', toString(number)), if(number % 2 = 0, 'a', 'b'), 'completed', if(number = 7, 'interrupted', ''), number, 0.5 FROM system.numbers LIMIT {n:UInt32}",
    { db, id: EVIL, n: JOBS },
  );
  await store.exec("INSERT INTO {db:Identifier}.job_results (run_id, job_id, target, status, error_class, total_us, cost_usd) VALUES ('other', 'x', 'a', 'failed', '', 1, 0)", { db });
  const camp = (campaign: string, scenario: string, run: string, at: number, status: string, passed: number, regressions = '[]') =>
    store.exec(
      'INSERT INTO {db:Identifier}.campaign_runs (campaign, scenario, run_id, scheduled_at_us, status, thresholds_passed, regressions_json, updated_at_us) VALUES ({c:String}, {s:String}, {r:String}, {at:Int64}, {st:String}, {p:UInt8}, {reg:String}, 1)',
      { db, c: campaign, s: scenario, r: run, at, st: status, p: passed, reg: regressions },
    );
  await camp(EVIL, EVIL, 'r1', 100, 'completed', 1);
  await camp(EVIL, EVIL, 'r2', 200, 'completed', 1);
  await camp(EVIL, EVIL, '', 250, 'skipped_overlap', 0);
  await camp(EVIL, EVIL, 'r3', 300, 'completed', 1, '[{"verdict":"worse"}]');
  await camp('plain', 'plain', 'p1', 150, 'failed', 0);
}, 60_000);
afterAll(() => store.close());

describe('run reads', () => {
  it('finds a run by a hostile id, and nothing for the other hostile strings', async () => {
    expect(await runExists(store, EVIL)).toBe(true);
    for (const s of HOSTILE) expect(await runExists(store, s), JSON.stringify(s)).toBe(false);
    expect(await storedRun(store, EVIL)).toMatchObject({ status: 'completed', speed: 20, trace_checksum: 'sum-0' });
    expect(await storedRun(store, 'missing')).toBeUndefined();
  });

  it('streams every job outcome of the run once, in more than one batch', async () => {
    let batches = 0;
    const seen = new Set<string>();
    for await (const batch of streamJobOutcomes(store, EVIL)) {
      batches++;
      for (const r of batch) seen.add(`${r.target}/${r.job_id}`);
    }
    expect(seen.size).toBe(JOBS);
    expect(batches).toBeGreaterThanOrEqual(1);
    const all = await jobOutcomes(store, EVIL);
    expect(all).toHaveLength(JOBS);
    expect(all.find((r) => r.job_id === 'j7')).toMatchObject({ target: 'b', error_class: 'interrupted', total_us: 7, cost_usd: 0.5 });
    expect(await jobOutcomes(store, 'other')).toEqual([{ job_id: 'x', target: 'a', status: 'failed', error_class: '', total_us: 1, cost_usd: 0 }]);
  });
});

describe('campaign reads', () => {
  it('reads one campaign oldest first, all campaigns newest first', async () => {
    expect((await campaignHistory(store, EVIL)).map((r) => r.scheduled_at_us)).toEqual([100, 200, 250, 300]);
    expect((await recentCampaignRuns(store)).map((r) => r.scheduled_at_us)).toEqual([300, 250, 200, 150, 100]);
    expect((await recentCampaignRuns(store, 2)).map((r) => r.run_id)).toEqual(['r3', '']);
  });

  it('finds the previous completed run of a scenario, skipping the current one and skipped ticks', async () => {
    expect(await previousCompletedRun(store, EVIL, 'r3', 300)).toBe('r2');
    expect(await previousCompletedRun(store, EVIL, 'r2', 1000)).toBe('r3');
    expect(await previousCompletedRun(store, EVIL, 'r1', 100)).toBeUndefined();
    expect(await previousCompletedRun(store, 'plain', 'x', 1000)).toBeUndefined();
  });
});
