import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RowOf, TableName } from '../../../harness/events/schema.ts';
import { featuresOf } from '../../../harness/store/dialect.ts';
import { Spool } from '../../../harness/store/spool.ts';
import type { Store } from '../../../harness/store/store.ts';
import { BatchWriter } from '../../../harness/store/writer.ts';

/** A store kept in memory that can be switched off, as a database going away. */
class FlakyStore implements Store {
  readonly description = 'memory';
  readonly database = 'mem';
  readonly cluster = undefined;
  up = true;
  inserts = 0;
  rows: Record<string, unknown[]> = {};
  async init() {}
  async features() {
    return featuresOf('25.1');
  }
  async insert<T extends TableName>(table: T, rows: readonly RowOf<T>[]) {
    this.inserts++;
    if (!this.up) throw new Error('connection refused');
    (this.rows[table] ??= []).push(...rows);
  }
  async query<R>(): Promise<R[]> {
    return [];
  }
  async *stream<R>(): AsyncGenerator<R[]> {}
  async exec() {}
  async close() {}
}

const tick = (i: number): RowOf<'price_ticks'> => ({ run_id: 'r', target: 't', currency: 'GLM', usd_rate: i, at_us: i, event_date: 0 });

describe('batch writer', () => {
  it('flushes by size without waiting for the timer', async () => {
    const store = new FlakyStore();
    const w = new BatchWriter(store, { batchRows: 10, flushIntervalMs: 60_000, dataDir: mkdtempSync(join(tmpdir(), 'mb-w-')) });
    for (let i = 0; i < 25; i++) w.add('price_ticks', tick(i));
    await new Promise((r) => setTimeout(r, 20));
    expect(store.rows.price_ticks).toHaveLength(20);
    await w.close();
    expect(store.rows.price_ticks).toHaveLength(25);
    expect(w.stats().written.price_ticks).toBe(25);
  });

  it('flushes by time', async () => {
    const store = new FlakyStore();
    const w = new BatchWriter(store, { batchRows: 1000, flushIntervalMs: 30, dataDir: mkdtempSync(join(tmpdir(), 'mb-w-')) });
    w.add('price_ticks', tick(1));
    await new Promise((r) => setTimeout(r, 120));
    expect(store.rows.price_ticks).toHaveLength(1);
    await w.close();
  });

  it('spools to disk when the database is away and writes every row once it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-w-'));
    const store = new FlakyStore();
    store.up = false;
    const w = new BatchWriter(store, { batchRows: 5, flushIntervalMs: 60_000, dataDir: dir, retry: { attempts: 2, baseDelayMs: 1 } });
    for (let i = 0; i < 12; i++) w.add('price_ticks', tick(i));
    await w.flush();
    expect(store.rows.price_ticks ?? []).toHaveLength(0);
    expect(new Spool(join(dir, 'spool')).pending()).toEqual({ price_ticks: 12 });
    expect(w.stats().spooled).toBe(12);
    // Still down at close: rows stay on disk, none lost.
    await w.close();
    expect(new Spool(join(dir, 'spool')).pending()).toEqual({ price_ticks: 12 });
    // A later writer on the same data directory drains them when the database is back.
    store.up = true;
    const w2 = new BatchWriter(store, { dataDir: dir });
    await w2.close();
    expect((store.rows.price_ticks as RowOf<'price_ticks'>[]).map((r) => r.usd_rate).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(new Spool(join(dir, 'spool')).pending()).toEqual({});
  });

  it('signals back-pressure while rows pile up and releases it when they drain', async () => {
    const store = new FlakyStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: Store = { ...store, description: 'slow', database: 'mem', cluster: undefined, features: store.features, init: async () => {}, query: async () => [], stream: store.stream, exec: async () => {}, close: async () => {}, insert: async () => gate };
    const w = new BatchWriter(slow, { batchRows: 5, maxBufferedRows: 10, flushIntervalMs: 60_000, dataDir: mkdtempSync(join(tmpdir(), 'mb-w-')) });
    for (let i = 0; i < 20; i++) w.add('price_ticks', tick(i));
    expect(w.pressure()).toBe(true);
    let resolved = false;
    const waiting = w.waitForCapacity().then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(false);
    release();
    await waiting;
    expect(w.pressure()).toBe(false);
    await w.close();
  });

  it('catches up in whole batches up to maxInsertRows per insert, one insert in flight, rows in order', async () => {
    const store = new FlakyStore();
    const sizes: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let release: (() => void) | undefined;
    const gated: Store = {
      ...store, description: 'gated', database: 'mem', cluster: undefined, features: store.features, init: async () => {}, query: async () => [], stream: store.stream, exec: async () => {}, close: async () => {},
      insert: async (table, rows) => {
        sizes.push(rows.length);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise<void>((r) => (release = r));
        inFlight--;
        await store.insert(table, rows);
      },
    };
    const w = new BatchWriter(gated, { batchRows: 5, maxInsertRows: 20, flushIntervalMs: 60_000, dataDir: mkdtempSync(join(tmpdir(), 'mb-w-')) });
    for (let i = 0; i < 48; i++) w.add('price_ticks', tick(i));
    // The first batch went when it was full; 43 rows wait behind it.
    expect(sizes).toEqual([5]);
    const closing = w.close();
    while (sizes.length < 4 || inFlight) {
      await new Promise((r) => setTimeout(r, 1));
      if (inFlight) release!();
    }
    await closing;
    // Behind: 20 (capped), then 20, then the 3 left (a partial batch goes only at the timer or at close).
    expect(sizes).toEqual([5, 20, 20, 3]);
    expect(maxInFlight).toBe(1);
    expect((store.rows.price_ticks as RowOf<'price_ticks'>[]).map((r) => r.usd_rate)).toEqual([...Array(48).keys()]);
    expect(w.stats().written.price_ticks).toBe(48);
  });
});
