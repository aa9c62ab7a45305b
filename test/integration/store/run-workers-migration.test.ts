// Migration 3 (run_workers, issue 20) on a database that already holds runs,
// on chDB and on a real ClickHouse server: it is applied once, the runs stored
// before it read as they did (their runs-row status, no workers), and a run
// written after it gets its status from its workers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateOfUs } from '../../../harness/events/schema.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ClickHouseStore } from '../../../harness/store/clickhouse-store.ts';
import { ddlOptionsOf, migrate, migrationStatus, MIGRATIONS } from '../../../harness/store/migrations.ts';
import { runWorkers } from '../../../harness/store/runs.ts';
import type { Store } from '../../../harness/store/store.ts';
import { summarize } from '../../../reports/summary.ts';
import { replayOntoSims, writeAll } from '../../helpers/mirror-fixture.ts';
import { serverUnavailableReason, startClickHouseServer, type TestServer } from '../../helpers/clickhouse-server.ts';
import type { MemorySink } from '../../../harness/replay/sink.ts';

const unavailable = serverUnavailableReason();
let sink: MemorySink;
let server: TestServer | undefined;

beforeAll(async () => {
  // A run as mirrorRun wrote it before worker rows existed: no `worker` option, so no run_workers rows.
  sink = await replayOntoSims('before-v3', { jobs: 60, seed: 5, spanHours: 1, simSeeds: [3, 4] });
  if (!unavailable) server = await startClickHouseServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function check(store: Store): Promise<void> {
  const opts = await ddlOptionsOf(store);
  expect(await migrate(store, opts, MIGRATIONS.filter((m) => m.version < 3))).toEqual([1, 2]);
  expect(sink.rows.run_workers).toEqual([]);
  await writeAll(store, sink);
  // Read before the migration (a reader that does not migrate): no worker rows, no error.
  expect(await runWorkers(store, 'before-v3')).toEqual([]);
  // A report on the database as it is (the report command reads, it does not migrate): tables added later are empty.
  const unmigrated = await summarize(store, 'before-v3');
  expect(unmigrated.targets.map((t) => t.jobs)).toEqual([60, 60]);
  expect(unmigrated.run.workers).toBeUndefined();

  await store.init(); // what any command does first: the pending migration is applied, once
  expect((await migrationStatus(store, opts)).applied.map((a) => a.version)).toEqual(MIGRATIONS.map((m) => m.version));
  expect(await migrate(store, opts)).toEqual([]);
  const after = await summarize(store, 'before-v3');
  // The runs row's own status and jobs, as before run_workers existed.
  const row = sink.rows.runs.at(-1)!;
  expect(after.run).toMatchObject({ id: 'before-v3', status: row.status, jobsSent: row.jobs_sent });
  expect(row.status).toBe('completed');
  expect(after.run.workers).toBeUndefined();
  expect(after.validity.reasons.map((r) => r.code)).not.toContain('run_not_completed');
  expect(after.targets.map((t) => t.jobs)).toEqual([60, 60]);

  // Rows of the same run written after the migration (a second worker of it): its status is theirs now.
  const w = { run_id: 'before-v3', shard_count: 2, host: 'h', start_at_us: 0, started_at_us: 1, ended_at_us: 0, start_lateness_us: 0, jobs_sent: 30, lateness_p99_us: 0, lateness_max_us: 0, resumes: 0, started_date: dateOfUs(1) };
  await store.insert('run_workers', [{ ...w, shard_index: 0, status: 'completed', updated_at_us: 1 }, { ...w, shard_index: 1, status: 'interrupted', updated_at_us: 1 }]);
  expect((await runWorkers(store, 'before-v3')).map((r) => [r.shard_index, r.status])).toEqual([[0, 'completed'], [1, 'interrupted']]);
  const split = await summarize(store, 'before-v3');
  expect(split.run).toMatchObject({ status: 'interrupted', jobsSent: 60, workers: { shards: 2, present: [0, 1], missing: [] } });
  expect(split.validity.reasons.find((r) => r.code === 'run_not_completed')?.message).toMatch(/1 of 2 workers completed \(shard 1\/2 interrupted/);
}

describe('migration 3: run workers', () => {
  it('on chDB: applied once, older runs read as before', async () => {
    const store = new ChdbStore({ path: join(mkdtempSync(join(tmpdir(), 'mb-v3-')), 'chdb'), database: 'mb_v3' });
    try {
      await check(store);
    } finally {
      await store.close();
    }
  }, 120_000);

  it.skipIf(unavailable)('on a ClickHouse server: applied once, older runs read as before', async () => {
    const store = new ClickHouseStore({ url: server!.url, database: 'mb_v3' });
    try {
      await check(store);
    } finally {
      await store.close();
    }
  }, 120_000);
});
