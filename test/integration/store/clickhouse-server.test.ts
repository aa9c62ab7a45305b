// The server backend against a real ClickHouse server process (Debian's
// 18.16 here, current releases in production): DDL per version, migrations,
// idempotent writes, refused rows set aside, the same report numbers as chDB,
// export, prune, and a server killed in the middle of a replay.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES, type RowOf, type TableName } from '../../../harness/events/schema.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { dbStatus, pruneRuns } from '../../../harness/store/admin.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ClickHouseStore } from '../../../harness/store/clickhouse-store.ts';
import { exportRun } from '../../../harness/store/export.ts';
import { migrationStatus, ddlOptionsOf, migrate, MIGRATIONS } from '../../../harness/store/migrations.ts';
import type { Store } from '../../../harness/store/store.ts';
import { BatchWriter } from '../../../harness/store/writer.ts';
import { summarize } from '../../../reports/summary.ts';
import { replayOntoSims, writeAll } from '../../helpers/mirror-fixture.ts';
import { serverUnavailableReason, startClickHouseServer, type TestServer } from '../../helpers/clickhouse-server.ts';

const unavailable = serverUnavailableReason();

function replayInto(runId: string, jobs = 200, sink?: MemorySink) {
  return replayOntoSims(runId, { jobs, seed: 21, spanHours: 4, simSeeds: [5, 6] }, sink);
}

async function countsPerTarget(store: Store, runId: string) {
  return store.query<{ target: string; n: number; jobs: number }>(
    `SELECT target, count() AS n, uniqExact(job_id) AS jobs FROM ${store.database}.job_results FINAL WHERE run_id = '${runId}' GROUP BY target ORDER BY target`,
  );
}

describe.skipIf(unavailable)('ClickHouse server store', () => {
  let server: TestServer;
  let store: ClickHouseStore;
  let sink: MemorySink;

  beforeAll(async () => {
    server = await startClickHouseServer();
    store = new ClickHouseStore({ url: server.url, database: 'mb_it' });
    await store.init();
    sink = await replayInto('same-run');
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('renders the DDL for the server version and applies each migration once', async () => {
    const f = await store.features();
    expect(f.version).toMatch(/^\d+\.\d+/);
    await store.init(); // a second init changes nothing
    const status = await migrationStatus(store, await ddlOptionsOf(store));
    expect(status.applied.map((a) => a.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(status.pending).toEqual([]);
    const [ddl] = await store.query<{ statement: string }>('SHOW CREATE TABLE mb_it.job_results');
    // 18.16 has LowCardinality only behind an experimental setting and no codecs; current servers get both.
    expect(ddl!.statement.includes('LowCardinality')).toBe(f.lowCardinality);
    expect(ddl!.statement.includes('CODEC')).toBe(f.codecs);
    // A later migration runs once and is recorded.
    const extra = [...MIGRATIONS, { version: 99, name: 'test column', up: () => ['ALTER TABLE mb_it.price_ticks ADD COLUMN note String'] }];
    expect(await migrate(store, await ddlOptionsOf(store), extra)).toEqual([99]);
    expect(await migrate(store, await ddlOptionsOf(store), extra)).toEqual([]);
  });

  it('gives the same report numbers as chDB for the same run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-same-'));
    const chdb = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    await chdb.init();
    await writeAll(chdb, sink, dir);
    await writeAll(store, sink, mkdtempSync(join(tmpdir(), 'mb-same-s-')));
    const [a, b] = [await summarize(chdb, 'same-run'), await summarize(store, 'same-run')];
    await chdb.close();
    expect(a.targets.map((t) => t.jobs)).toEqual([200, 200]);
    expect(b.targets).toEqual(a.targets);
    expect(b.comparisons).toEqual(a.comparisons);
    expect(b.byTaskType).toEqual(a.byTaskType);
    expect(b.churn).toEqual(a.churn);
    expect(b.marketplace).toEqual(a.marketplace);
    expect(b.cdf).toEqual(a.cdf);
  });

  it('counts a batch written twice once', async () => {
    await writeAll(store, sink, mkdtempSync(join(tmpdir(), 'mb-twice-')));
    expect((await countsPerTarget(store, 'same-run')).map((r) => [r.target, r.n, r.jobs])).toEqual([
      ['baseline', 200, 200],
      ['decentralized', 200, 200],
    ]);
  });

  it('sets aside only the rows the server refuses, writing the rest of their batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-reject-'));
    const w = new BatchWriter(store, { dataDir: dir, batchRows: 100, flushIntervalMs: 60_000, retry: { attempts: 1, baseDelayMs: 1 } });
    for (let i = 0; i < 40; i++) {
      // A producer bug: a rate that is not a number.
      const usd_rate = (i === 13 ? 'not-a-number' : i) as unknown as number;
      w.add('price_ticks', { run_id: 'reject-run', target: 't', currency: 'GLM', usd_rate, at_us: i, event_date: 1_700_000_000 });
    }
    await w.close();
    const [r] = await store.query<{ n: number }>("SELECT count() AS n FROM mb_it.price_ticks FINAL WHERE run_id = 'reject-run'");
    expect(r!.n).toBe(39);
    expect(w.stats().rejected).toBe(1);
    const rejected = readFileSync(join(dir, 'spool', 'rejected', 'price_ticks.jsonl'), 'utf8').trim().split('\n');
    expect(rejected).toHaveLength(1);
    expect(JSON.parse(rejected[0]!).row.usd_rate).toBe('not-a-number');
  });

  it('exports a run as Arrow IPC and CSV with every row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-export-'));
    const arrow = await exportRun(store, { runId: 'same-run', format: 'arrow', outDir: join(dir, 'a'), pageRows: 150 });
    const csv = await exportRun(store, { runId: 'same-run', format: 'csv', outDir: join(dir, 'c'), tables: ['job_results', 'runs'] });
    const results = arrow.find((f) => f.table === 'job_results')!;
    expect(results.rows).toBe(400);
    const t = tableFromIPC(readFileSync(results.path));
    expect(t.numRows).toBe(400);
    expect(t.schema.fields.map((f) => f.name)).toEqual(Object.keys(TABLES.job_results.columns));
    const expected = sink.rows.job_results.reduce((s, r) => s + r.total_us, 0);
    let total = 0n;
    for (const v of t.getChild('total_us')!) total += v as bigint;
    expect(Number(total)).toBe(expected);
    const rows = parse(readFileSync(csv[0]!.path), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(400);
    expect(rows.reduce((s, r) => s + Number(r.total_us), 0)).toBe(expected);
    const runs = parse(readFileSync(csv[1]!.path), { columns: true }) as Record<string, string>[];
    expect(JSON.parse(runs[0]!.targets!)).toEqual(['baseline', 'decentralized']);
  });

  it('prunes a run from every table', async () => {
    await writeAll(store, await replayInto('prune-me', 30), mkdtempSync(join(tmpdir(), 'mb-prune-')));
    expect(await pruneRuns(store, { runIds: ['prune-me'], dryRun: true })).toEqual(['prune-me']);
    await pruneRuns(store, { runIds: ['prune-me'] });
    // Deletes are mutations applied in the background.
    const deadline = Date.now() + 20_000;
    let left = -1;
    while (Date.now() < deadline) {
      const [r] = await store.query<{ n: number }>("SELECT count() AS n FROM mb_it.job_results WHERE run_id = 'prune-me'");
      left = Number(r!.n);
      if (left === 0) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(left).toBe(0);
    expect((await countsPerTarget(store, 'same-run')).map((r) => r.n)).toEqual([200, 200]);
    const status = await dbStatus(store);
    expect(status.runs).toBeGreaterThanOrEqual(1);
  });

  it('loses nothing and counts nothing twice when the server is killed mid-replay and comes back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-kill-'));
    const writer = new BatchWriter(store, { dataDir: dir, batchRows: 200, flushIntervalMs: 100, retry: { attempts: 2, baseDelayMs: 50 } });
    const outage = (async () => {
      await new Promise((r) => setTimeout(r, 1200));
      await server.kill();
      await new Promise((r) => setTimeout(r, 1500));
      await server.start();
    })();
    const jobs = 400;
    const mem = await replayInto('killed-run', jobs, new (class extends MemorySink {
      override add<T extends TableName>(table: T, row: RowOf<T>): void {
        super.add(table, row);
        writer.add(table, row);
      }
    })());
    await outage;
    await writer.close();
    expect(writer.stats().failures).toBeGreaterThan(0); // the outage was felt
    const counts = await countsPerTarget(store, 'killed-run');
    expect(counts.map((r) => [r.target, r.n, r.jobs])).toEqual([
      ['baseline', jobs, jobs],
      ['decentralized', jobs, jobs],
    ]);
    const [ev] = await store.query<{ n: number }>("SELECT count() AS n FROM mb_it.job_events FINAL WHERE run_id = 'killed-run'");
    expect(ev!.n).toBe(mem.rows.job_events.length);
    const [run] = await store.query<{ status: string }>("SELECT status FROM mb_it.runs FINAL WHERE run_id = 'killed-run'");
    expect(run!.status).toBe('completed');
  }, 60_000);
});
