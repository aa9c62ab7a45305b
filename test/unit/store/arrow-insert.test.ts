// The Arrow IPC insert path (issue 13): every column type of every table comes
// back from chDB exactly as the JSONEachRow path stores it, hostile strings
// and 2^53-scale integers included; a string UTF-8 cannot hold (a lone
// surrogate) sends its batch as JSON, where the database refuses that row alone.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES, type ColumnType, type RowOf, type TableName } from '../../../harness/events/schema.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { columnsOf } from '../../../harness/store/ddl.ts';
import { arrowOrText } from '../../../harness/store/encode.ts';

const HOSTILE = ["it's", 'tab\there', 'new\nline', 'back\\slash', 'émoji 🚀', '', '"quoted"', 'nul\u0000byte'];

/** Row i of a table: each column filled by its type, values chosen to break a careless encoder. */
function row(table: TableName, i: number): Record<string, unknown> {
  const cols = Object.entries(TABLES[table].columns) as [string, ColumnType][];
  return Object.fromEntries(cols.map(([name, type], c) => {
    const v = (i * 31 + c) % HOSTILE.length;
    switch (type) {
      case 'String': return [name, `${HOSTILE[v]}${i}`];
      case 'Array(String)': return [name, i % 3 ? [HOSTILE[v]!, `x${i}`] : []];
      case 'Int64': return [name, 1_764_000_000_123_456 + i * 7 - (c % 2) * 3_000_000_000_000_000];
      case 'UInt64': return [name, 5_530_000_000 + i];
      case 'UInt32': return [name, 4_000_000_000 + i];
      case 'UInt8': return [name, (i + c) % 2];
      case 'Float64': return [name, i / 3 + 0.1];
      case 'DateTime': return [name, 1_764_000_000 + i];
    }
  }));
}

const TABLE_NAMES = Object.keys(TABLES) as TableName[];
const dir = mkdtempSync(join(tmpdir(), 'mb-arrow-'));
let arrow: ChdbStore;
let json: ChdbStore;
beforeAll(async () => {
  arrow = new ChdbStore({ path: join(dir, 'c'), database: 'arrow', insertFormat: 'ArrowStream' });
  json = new ChdbStore({ path: join(dir, 'c'), database: 'json', insertFormat: 'JSONEachRow' });
  await arrow.init();
  await json.init();
});
afterAll(async () => {
  await arrow.close();
});

describe('Arrow IPC inserts into chDB', () => {
  it('store every table\'s rows exactly as the JSON path does', async () => {
    for (const table of TABLE_NAMES) {
      const rows = Array.from({ length: 40 }, (_, i) => row(table, i)) as unknown as RowOf<typeof table>[];
      expect(arrowOrText(table, rows)).toBeInstanceOf(Uint8Array);
      await arrow.insert(table, rows);
      await json.insert(table, rows);
      const cols = columnsOf(table).join(', ');
      const read = (db: string) => arrow.query(`SELECT ${cols} FROM ${db}.${table} ORDER BY ${cols}`);
      const [a, j] = [await read('arrow'), await read('json')];
      expect(a).toHaveLength(40);
      expect(a).toEqual(j);
    }
  });

  it('sends a batch with a lone surrogate as JSON, so the database refuses it rather than storing U+FFFD', async () => {
    const rows = [row('price_ticks', 1), { ...row('price_ticks', 2), currency: 'GLM\ud800' }] as unknown as RowOf<'price_ticks'>[];
    expect(arrowOrText('price_ticks', rows)).toBeUndefined();
    await expect(arrow.insert('price_ticks', rows)).rejects.toMatchObject({ code: 'STORE_REJECTED' });
    const [r] = await arrow.query<{ n: number }>("SELECT count() AS n FROM arrow.price_ticks WHERE currency LIKE 'GLM%'");
    expect(r!.n).toBe(0);
  });

  it('stores an insert of several slices (one record batch each, one stream) whole', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => ({ ...row('price_ticks', i), run_id: 'sliced' })) as unknown as RowOf<'price_ticks'>[];
    await arrow.insert('price_ticks', rows);
    await json.insert('price_ticks', rows);
    const read = (db: string) => arrow.query(`SELECT count() AS n, sum(at_us) AS s, groupArray(currency) AS c FROM (SELECT * FROM ${db}.price_ticks WHERE run_id = 'sliced' ORDER BY at_us, currency)`);
    const [a, j] = [await read('arrow'), await read('json')];
    expect((a[0] as { n: number }).n).toBe(25_000);
    expect(a).toEqual(j);
  });
});
