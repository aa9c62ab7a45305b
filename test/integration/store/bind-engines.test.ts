// Bound parameters on both real engines (chDB, and Debian's ClickHouse 18.16
// server, which has no server-side parameters): hostile strings come back
// byte for byte and match only themselves, so no value can change a
// statement; integer extremes and arrays keep their type; streams yield every
// row in batches, and on chDB a statement issued during a stream waits for it
// instead of ending it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ClickHouseStore } from '../../../harness/store/clickhouse-store.ts';
import type { Store } from '../../../harness/store/store.ts';
import { serverUnavailableReason, startClickHouseServer, type TestServer } from '../../helpers/clickhouse-server.ts';

export const HOSTILE = [
  "x' OR 1=1 --",
  "x\\' OR 1=1 --",
  "'; DROP TABLE hostile; --",
  '\\',
  "\\'",
  "''",
  'a\nb\r\nc\td',
  'nul\0byte',
  '\x01\x1b[31m\x7f',
  '{run:String}',
  '*/ SELECT 1 /*',
  '-- comment',
  '"double" `back`',
  'ünïcödé ✓ 日本 🚀',
  '',
];

const unavailable = serverUnavailableReason();
let server: TestServer | undefined;
const stores: { name: string; store: Store }[] = [];

beforeAll(async () => {
  stores.push({ name: 'chdb', store: new ChdbStore({ path: join(mkdtempSync(join(tmpdir(), 'mb-bind-')), 'chdb'), database: 'mb_bind' }) });
  if (!unavailable) {
    server = await startClickHouseServer();
    stores.push({ name: 'server 18.16', store: new ClickHouseStore({ url: server.url, database: 'mb_bind' }) });
  }
  for (const { store } of stores) {
    await store.exec('CREATE DATABASE IF NOT EXISTS {db:Identifier}', { db: store.database });
    await store.exec('CREATE TABLE IF NOT EXISTS {db:Identifier}.hostile (id UInt32, s String) ENGINE = MergeTree ORDER BY id', { db: store.database });
  }
}, 60_000);

afterAll(async () => {
  for (const { store } of stores) await store.close();
  await server?.stop();
});

describe.each([['chdb'], ['server 18.16']])('bound parameters on %s', (name) => {
  const get = () => stores.find((s) => s.name === name)?.store;
  it.skipIf(name !== 'chdb' && unavailable)('returns every hostile string byte for byte, and it matches only itself', async () => {
    const store = get()!;
    for (const [i, s] of HOSTILE.entries()) {
      await store.exec('INSERT INTO {db:Identifier}.hostile (id, s) VALUES ({id:UInt32}, {s:String})', { db: store.database, id: i, s });
    }
    const back = await store.query<{ s: string }>('SELECT {s:String} AS s', { s: HOSTILE.join('|') });
    expect(back[0]!.s).toBe(HOSTILE.join('|'));
    for (const [i, s] of HOSTILE.entries()) {
      const rows = await store.query<{ id: number; s: string }>('SELECT id, s FROM {db:Identifier}.hostile WHERE s = {s:String} ORDER BY id', { db: store.database, s });
      expect(rows, JSON.stringify(s)).toEqual([{ id: i, s }]);
    }
    const [{ n }] = (await store.query<{ n: number }>('SELECT count() AS n FROM {db:Identifier}.hostile WHERE has({ids:Array(String)}, s)', { db: store.database, ids: HOSTILE })) as [{ n: number }];
    expect(Number(n)).toBe(HOSTILE.length);
    // The table is still there: no value ran as a statement.
    const [{ c }] = (await store.query<{ c: number }>('SELECT count() AS c FROM system.tables WHERE database = {db:String} AND name = {t:String}', { db: store.database, t: 'hostile' })) as [{ c: number }];
    expect(Number(c)).toBe(1);
  });

  it.skipIf(name !== 'chdb' && unavailable)('keeps integer extremes, negative numbers and floats exact', async () => {
    const store = get()!;
    const [r] = await store.query<Record<string, string>>(
      'SELECT toString({u:UInt64}) AS u, toString({i:Int64}) AS i, toString(10 -{neg:Int64}) AS neg, toString({f:Float64}) AS f, toString({a:Array(Int32)}) AS a',
      { u: 18_446_744_073_709_551_615n, i: -9_223_372_036_854_775_807n, neg: -5, f: -0.125, a: [-2_147_483_648, 0, 7] },
    );
    expect(r).toEqual({ u: '18446744073709551615', i: '-9223372036854775807', neg: '15', f: '-0.125', a: '[-2147483648,0,7]' });
  });

  it.skipIf(name !== 'chdb' && unavailable)('streams a large result in batches, every row once', async () => {
    const store = get()!;
    let rows = 0;
    let batches = 0;
    let sum = 0;
    for await (const batch of store.stream<{ n: number }>('SELECT number AS n FROM system.numbers LIMIT {k:UInt64}', { k: 200_000 })) {
      batches++;
      rows += batch.length;
      for (const r of batch) sum += Number(r.n);
    }
    expect(rows).toBe(200_000);
    expect(sum).toBe((199_999 * 200_000) / 2);
    expect(batches).toBeGreaterThan(1);
    // A loop that stops early leaves the store usable.
    for await (const batch of store.stream('SELECT number FROM system.numbers LIMIT 1000000')) if (batch.length) break;
    expect(await store.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});

describe('chDB stream and concurrent statements', () => {
  it('a statement issued while a stream runs waits for it instead of ending it', async () => {
    const store = stores[0]!.store;
    let rows = 0;
    let concurrent: Promise<unknown> | undefined;
    for await (const batch of store.stream<{ n: number }>('SELECT number AS n FROM system.numbers LIMIT 300000')) {
      rows += batch.length;
      concurrent ??= store.query('SELECT 42 AS x');
    }
    expect(rows).toBe(300_000);
    expect(await concurrent).toEqual([{ x: 42 }]);
  });
});
