// Export pages by keyset ranges of the sorting key: every row of the run
// exactly once, in key order, on chDB and on the 18.16 server; and each page
// selects only its own granules, where LIMIT/OFFSET over FINAL selects the
// whole run for every page (counted with EXPLAIN ESTIMATE, the engine's own
// index analysis): linear against quadratic. At 150k events in pages of 5k
// that is already a factor of six; `npm run bench -- export` times both.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../../harness/events/schema.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ClickHouseStore } from '../../../harness/store/clickhouse-store.ts';
import { exportRun, keysetCondition } from '../../../harness/store/export.ts';
import type { Store } from '../../../harness/store/store.ts';
import { serverUnavailableReason, startClickHouseServer, type TestServer } from '../../helpers/clickhouse-server.ts';

const N = 150_000;
const PAGE = 5_000;
const dir = mkdtempSync(join(tmpdir(), 'mb-keyset-'));
const queries: string[] = [];
const chdb = new ChdbStore({ path: join(dir, 'chdb'), database: 'mb_keyset', onQuery: (q) => queries.push(q.sql) });
const unavailable = serverUnavailableReason();
let server: TestServer | undefined;

/** `n` events of one run over two targets, job ids in an order unlike the insert order, some rows written twice. */
export async function seedEvents(store: Store, runId: string, n: number): Promise<void> {
  const insert = (limit: number) =>
    store.exec(
      `INSERT INTO {db:Identifier}.job_events (run_id, target, job_id, seq, type, target_at_us, received_at_us, event_date)
       SELECT {run:String}, if(number % 2 = 0, 'baseline', 'decentralized'), concat('job-', toString(cityHash64(intDiv(number, 6)) % 1000000007)), number % 3,
              'PROGRESS', toInt64(number), toInt64(number), toDateTime(1700000000)
       FROM system.numbers LIMIT {n:UInt64}`,
      { db: store.database, run: runId, n: limit },
    );
  await insert(n);
  // A retried batch: the first rows again, to be folded by FINAL.
  await insert(Math.floor(n / 10));
}

async function exportedKeys(store: Store, runId: string, pageRows: number): Promise<string[][]> {
  const [file] = await exportRun(store, { runId, format: 'csv', outDir: mkdtempSync(join(dir, 'out-')), tables: ['job_events'], pageRows });
  const lines = readFileSync(file!.path, 'utf8').trim().split('\n').slice(1);
  expect(lines).toHaveLength(file!.rows);
  return lines.map((l) => l.split(',').slice(0, 4));
}

/** Distinct (after FINAL) events of the run, and whether `keys` is exactly them in sorting-key order. */
async function checkOrderAndCount(store: Store, runId: string, keys: string[][]): Promise<void> {
  const [{ n }] = (await store.query<{ n: number }>('SELECT count() AS n FROM {db:Identifier}.job_events FINAL WHERE run_id = {run:String}', { db: store.database, run: runId })) as [{ n: number }];
  expect(keys).toHaveLength(Number(n));
  for (let i = 1; i < keys.length; i++) {
    const [a, b] = [keys[i - 1]!, keys[i]!];
    const after = a[1]! !== b[1]! ? a[1]! < b[1]! : a[2]! !== b[2]! ? a[2]! < b[2]! : Number(a[3]) < Number(b[3]);
    if (!after) throw new Error(`row ${i + 1} is not after row ${i}: ${a.join(',')} then ${b.join(',')}`);
  }
}

/** Rows the engine's index analysis selects for a query (granules × their rows). */
async function estimatedRows(store: Store, sql: string): Promise<number> {
  const rows = await store.query<{ rows: number }>(`EXPLAIN ESTIMATE ${sql}`);
  return rows.reduce((s, r) => s + Number(r.rows), 0);
}

beforeAll(async () => {
  await chdb.init();
  await seedEvents(chdb, 'big-run', N);
  await seedEvents(chdb, 'other-run', 1_000);
}, 60_000);
afterAll(async () => {
  await chdb.close();
  await server?.stop();
});

describe('export by keyset ranges', () => {
  it('spells the key comparisons out over the sorting key', () => {
    expect(keysetCondition(TABLES.price_ticks, 'after', 'a')).toBe(
      '(run_id > {a0:String}) OR (run_id = {a0:String} AND target > {a1:String}) OR (run_id = {a0:String} AND target = {a1:String} AND currency > {a2:String})' +
        ' OR (run_id = {a0:String} AND target = {a1:String} AND currency = {a2:String} AND at_us > {a3:Int64})',
    );
    expect(keysetCondition(TABLES.runs, 'upTo', 'b')).toBe('(run_id <= {b0:String})');
  });

  it('writes every row of the run once, in key order, each page selecting only its own granules', async () => {
    queries.length = 0;
    const keys = await exportedKeys(chdb, 'big-run', PAGE);
    await checkOrderAndCount(chdb, 'big-run', keys);
    const pageQueries = queries.filter((q) => q.includes(' FINAL '));
    expect(pageQueries.length).toBeGreaterThanOrEqual(N / PAGE);
    let keyset = 0;
    for (const q of pageQueries) keyset += await estimatedRows(chdb, q);
    let offset = 0;
    for (let o = 0; o < N; o += PAGE) {
      offset += await estimatedRows(chdb, `SELECT * FROM mb_keyset.job_events FINAL WHERE run_id = 'big-run' ORDER BY run_id, target, job_id, seq LIMIT ${PAGE} OFFSET ${o}`);
    }
    console.log(`export of ${keys.length} rows in ${pageQueries.length} pages: the pages select ${keyset} rows by keyset ranges, ${offset} by LIMIT/OFFSET`);
    const stored = N + N / 10;
    // Keyset: every stored row once, plus at most a granule (8192 rows) at each end of each page in each of the two parts.
    expect(keyset).toBeLessThanOrEqual(stored + pageQueries.length * 2 * 2 * 8192);
    // LIMIT/OFFSET: the whole run for every page.
    expect(offset).toBeGreaterThanOrEqual((N / PAGE) * stored);
    expect(offset).toBeGreaterThan(5 * keyset);
  }, 120_000);

  it.skipIf(unavailable)('pages the same way on the 18.16 server', async () => {
    server = await startClickHouseServer();
    const store = new ClickHouseStore({ url: server.url, database: 'mb_keyset' });
    try {
      await store.init();
      await seedEvents(store, 'run', 20_000);
      await seedEvents(store, 'other', 500);
      await checkOrderAndCount(store, 'run', await exportedKeys(store, 'run', 1_000));
    } finally {
      await store.close();
    }
  }, 60_000);
});
