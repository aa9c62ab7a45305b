// Issue 16 item 1, the store's side: a row the database refuses as data is set
// aside on its own (the rest of its batch goes in), whatever ClickHouse code
// the refusal carries, and a spool file that cannot be written never keeps the
// spool files after it from being written.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../../harness/common/errors.ts';
import type { RowOf, TableName } from '../../../harness/events/schema.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { DATA_ERROR_CODES, RETIRED_DATA_ERROR_CODES, storeErrorOf } from '../../../harness/store/classify.ts';
import { featuresOf } from '../../../harness/store/dialect.ts';
import { Spool } from '../../../harness/store/spool.ts';
import type { Store } from '../../../harness/store/store.ts';
import { BatchWriter } from '../../../harness/store/writer.ts';

const tick = (i: number, currency = 'GLM'): RowOf<'price_ticks'> => ({ run_id: 'refused', target: 't', currency, usd_rate: i, at_us: i, event_date: 1_700_000_000 });

describe('rows chDB refuses as data', () => {
  let store: ChdbStore;
  const dir = mkdtempSync(join(tmpdir(), 'mb-refused-'));
  beforeAll(async () => {
    store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mb' });
    await store.init();
  });
  afterAll(() => store.close());

  it('sets aside a row with a lone surrogate and writes the rest of its batch, spooling nothing', async () => {
    const data = join(dir, 'w1');
    const w = new BatchWriter(store, { dataDir: data, batchRows: 1000, flushIntervalMs: 60_000, retry: { attempts: 2, baseDelayMs: 1 } });
    for (let i = 0; i < 50; i++) w.add('price_ticks', tick(i, i === 17 ? 'GLM\ud800' : 'GLM'));
    await w.close();
    const [r] = await store.query<{ n: number }>("SELECT count() AS n FROM mb.price_ticks FINAL WHERE run_id = 'refused'");
    expect(r!.n).toBe(49);
    expect(w.stats()).toMatchObject({ rejected: 1, spooled: 0 });
    expect(new Spool(join(data, 'spool')).pending()).toEqual({});
    const [line] = readFileSync(join(data, 'spool', 'rejected', 'price_ticks.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(line!)).toMatchObject({ row: { usd_rate: 17, currency: 'GLM\ud800' }, reason: expect.stringMatching(/Code: 25/) });
  });

  it('classifies each refusal-as-data code under the name chDB gives it', async () => {
    const codes = Object.entries(DATA_ERROR_CODES).map(([code, name]) => [Number(code), name] as const);
    expect(codes.length).toBeGreaterThanOrEqual(20);
    const rows = await store.query<{ code: number; name: string }>(`SELECT arrayJoin([${codes.map(([c]) => c).join(',')}]) AS code, errorCodeToName(code) AS name`);
    const known = new Map(rows.map((r) => [Number(r.code), r.name]));
    for (const [code, name] of codes) expect(`${code} ${known.get(code)}`).toBe(`${code} ${name}`);
    // Codes only older servers raise: current ClickHouse has no name for them any more.
    const retired = Object.keys(RETIRED_DATA_ERROR_CODES).map(Number);
    const gone = await store.query<{ name: string }>(`SELECT errorCodeToName(arrayJoin([${retired.join(',')}])) AS name`);
    expect(gone.map((r) => r.name)).toEqual(retired.map(() => ''));
    for (const code of retired) expect(storeErrorOf(new Error(`Code: ${code}. DB::Exception: x`), 'insert').code).toBe('STORE_REJECTED');
    for (const [code] of codes) expect(storeErrorOf(new Error(`Code: ${code}. DB::Exception: x`), 'insert').code).toBe('STORE_REJECTED');
    expect(storeErrorOf({ message: 'x', code: '25' }, 'insert').code).toBe('STORE_REJECTED');
    expect(storeErrorOf(new Error('Code: 60. DB::Exception: Unknown table'), 'insert').code).toBe('STORE_QUERY');
    expect(storeErrorOf(new Error('connect ECONNREFUSED'), 'insert').code).toBe('STORE_UNAVAILABLE');
  });
});

/** A store that refuses one table's inserts as a statement error, as a schema gone wrong would. */
class OneTableBroken implements Store {
  readonly description = 'memory';
  readonly database = 'mem';
  readonly cluster = undefined;
  rows: Record<string, unknown[]> = {};
  constructor(private readonly broken: TableName) {}
  async init() {}
  async features() {
    return featuresOf('25.1');
  }
  async insert<T extends TableName>(table: T, rows: readonly RowOf<T>[]) {
    if (table === this.broken) throw new StoreError('STORE_QUERY', `insert into ${table}: Code: 60. DB::Exception: Unknown table`);
    (this.rows[table] ??= []).push(...rows);
  }
  async query<R>(): Promise<R[]> {
    return [];
  }
  async *stream<R>(): AsyncGenerator<R[]> {}
  async exec() {}
  async close() {}
}

describe('spool drain', () => {
  it('writes every other spool file when one cannot be written, and keeps that one', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mb-spool-')), 'spool');
    const spool = new Spool(dir);
    // job_events sorts before price_ticks and runs: it used to stop the drain there.
    spool.append('job_events', [{ run_id: 'r', target: 't', job_id: 'j', seq: 0, type: 'QUEUED', target_ts_us: 1, received_at_us: 1, provider_id: '', detail: '', event_date: 0 } as unknown as RowOf<'job_events'>]);
    spool.append('price_ticks', [tick(1), tick(2)]);
    const store = new OneTableBroken('job_events');
    const w = new BatchWriter(store, { dataDir: join(dir, '..'), flushIntervalMs: 60_000 });
    await w.close();
    expect((store.rows.price_ticks ?? []).length).toBe(2);
    expect(new Spool(dir).pending()).toEqual({ job_events: 1 });
    // Next time the table is back, the kept file goes in.
    const healed = new OneTableBroken('runs');
    const w2 = new BatchWriter(healed, { dataDir: join(dir, '..'), flushIntervalMs: 60_000 });
    await w2.close();
    expect((healed.rows.job_events ?? []).length).toBe(1);
    expect(new Spool(dir).pending()).toEqual({});
  });

  it('writes the whole lines of a spool file cut off mid-line by a crash, setting the broken line aside', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mb-spool-')), 'spool');
    const spool = new Spool(dir);
    spool.append('price_ticks', [tick(1), tick(2), tick(3)]);
    appendFileSync(join(dir, 'price_ticks.jsonl'), '{"run_id":"refused","targ');
    const store = new OneTableBroken('runs');
    const w = new BatchWriter(store, { dataDir: join(dir, '..'), flushIntervalMs: 60_000 });
    await w.close();
    expect((store.rows.price_ticks as RowOf<'price_ticks'>[]).map((r) => r.usd_rate)).toEqual([1, 2, 3]);
    expect(new Spool(dir).pending()).toEqual({});
    const rejected = readFileSync(join(dir, 'rejected', 'price_ticks.jsonl'), 'utf8').trim().split('\n');
    expect(rejected).toHaveLength(1);
    expect(JSON.parse(rejected[0]!)).toMatchObject({ reason: expect.stringMatching(/not a whole JSON row/), line: '{"run_id":"refused","targ' });
  });

  it('leaves files it does not know alone', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mb-spool-')), 'spool');
    new Spool(dir).append('price_ticks', [tick(1)]);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const store = new OneTableBroken('runs');
    await new BatchWriter(store, { dataDir: join(dir, '..'), flushIntervalMs: 60_000 }).close();
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt']);
  });
});
