// A run's rows out of the store, as Arrow IPC files (typed columns, for
// pandas/polars/DuckDB) or CSV with a header. Rows are read page by page and
// written as they come, so memory stays bounded whatever the run's size.
// Pages are ranges of the sorting key (keyset pagination), bounded on both
// sides: one pass over the key columns finds every page's last key, then each
// page reads only its own granules. LIMIT/OFFSET over FINAL reads and merges
// the whole run for every page, and so does a keyset page bounded only below
// (FINAL cannot stop early at the LIMIT): both quadratic in the run's size.
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  Float64,
  Int64,
  List,
  Field,
  RecordBatchFileWriter,
  TimestampSecond,
  Uint8,
  Uint32,
  Uint64,
  Utf8,
  makeTable,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { stringify } from 'csv-stringify';
import { TABLES, type AnyTableDef, type ColumnType, type TableName } from '../events/schema.ts';
import type { QueryParams } from './bind.ts';
import type { Store } from './store.ts';

export type ExportFormat = 'arrow' | 'csv';

export interface ExportOptions {
  runId: string;
  format: ExportFormat;
  outDir: string;
  tables?: readonly TableName[];
  /** Rows per query page and per Arrow record batch. */
  pageRows?: number;
}

export interface ExportedFile {
  table: TableName;
  path: string;
  rows: number;
}

/** The Arrow type of each column type (64-bit integers as BigInt columns, DateTime as seconds). */
const ARROW_TYPES: Record<ColumnType, () => DataType> = {
  String: () => new Utf8(),
  Int64: () => new Int64(),
  UInt64: () => new Uint64(),
  UInt32: () => new Uint32(),
  UInt8: () => new Uint8(),
  Float64: () => new Float64(),
  DateTime: () => new TimestampSecond(),
  'Array(String)': () => new List(new Field('item', new Utf8(), true)),
};

function arrowType(t: ColumnType): DataType {
  return ARROW_TYPES[t]();
}

function column(values: unknown[], t: ColumnType): Vector {
  // 64-bit integer columns are BigInt in Arrow; JSON hands them over as numbers.
  if (t === 'Int64' || t === 'UInt64') return vectorFromArray(values.map((v) => BigInt(Math.trunc(Number(v ?? 0)))), arrowType(t) as Int64);
  // Timestamp columns take milliseconds in arrow-js whatever the unit.
  if (t === 'DateTime') return vectorFromArray(values.map((v) => Number(v) * 1000), arrowType(t));
  return vectorFromArray(values, arrowType(t));
}

/** The SELECT list: DateTime as epoch seconds, so both formats carry one unambiguous number. */
function selectList(table: TableName): string {
  return Object.entries(TABLES[table].columns)
    .map(([name, type]) => (type === 'DateTime' ? `toUInt32(${name}) AS ${name}` : name))
    .join(', ');
}

/**
 * Key comparisons with a cursor on the sorting key k0, k1, …, spelled out
 * (k0 > c0 OR (k0 = c0 AND k1 > c1) OR …) rather than as a tuple comparison,
 * so that old servers' primary-key analysis prunes the granules outside.
 * `after`: strictly after the cursor; `upTo`: at or before it.
 */
export function keysetCondition(def: AnyTableDef, side: 'after' | 'upTo', prefix: string): string {
  const keys = def.orderBy;
  const param = (i: number) => `{${prefix}${i}:${def.columns[keys[i]!]}}`;
  return keys
    .map((k, i) => {
      const last = i === keys.length - 1;
      const op = side === 'after' ? '>' : last ? '<=' : '<';
      return `(${[...keys.slice(0, i).map((e, j) => `${e} = ${param(j)}`), `${k} ${op} ${param(i)}`].join(' AND ')})`;
    })
    .join(' OR ');
}

type Cursor = Record<string, string | number>;

/**
 * The last sorting key of every page of about `pageRows` rows, in order, from
 * the key columns alone. Read without FINAL: a replaced row not yet merged
 * away only makes its page a row shorter.
 */
async function pageEnds(store: Store, def: AnyTableDef, runId: string, pageRows: number): Promise<Cursor[]> {
  const keys = def.orderBy.join(', ');
  return store.query<Cursor>(
    `SELECT ${keys} FROM (SELECT ${keys} FROM {db:Identifier}.{table:Identifier} WHERE run_id = {run:String} ORDER BY ${keys}) ` +
      'WHERE rowNumberInAllBlocks() % {page:UInt64} = {lastInPage:UInt64}',
    { db: store.database, table: def.name, run: runId, page: pageRows, lastInPage: pageRows - 1 },
  );
}

async function* pages(store: Store, table: TableName, runId: string, pageRows: number): AsyncGenerator<Record<string, unknown>[]> {
  const def: AnyTableDef = TABLES[table];
  const ends = await pageEnds(store, def, runId, pageRows);
  const bound = (prefix: string, c: Cursor) => Object.fromEntries(def.orderBy.map((k, i) => [`${prefix}${i}`, c[k]!]));
  // The sorting key is unique after FINAL (every table is a ReplacingMergeTree on it): ranges split it without overlap.
  for (let i = 0; i <= ends.length; i++) {
    const from = ends[i - 1];
    const to = ends[i];
    const rows = await store.query<Record<string, unknown>>(
      `SELECT ${selectList(table)} FROM {db:Identifier}.{table:Identifier} FINAL WHERE run_id = {run:String}` +
        (from ? ` AND (${keysetCondition(def, 'after', 'a')})` : '') +
        (to ? ` AND (${keysetCondition(def, 'upTo', 'b')})` : '') +
        ` ORDER BY ${def.orderBy.join(', ')}`,
      { db: store.database, table: def.name, run: runId, ...(from ? bound('a', from) : {}), ...(to ? bound('b', to) : {}) },
    );
    if (rows.length) yield rows;
  }
}

async function exportArrow(store: Store, table: TableName, runId: string, path: string, pageRows: number): Promise<number> {
  const cols = Object.entries(TABLES[table].columns);
  const writer = new RecordBatchFileWriter();
  const out = createWriteStream(path);
  const piped = writer.toNodeStream().pipe(out);
  let n = 0;
  for await (const rows of pages(store, table, runId, pageRows)) {
    const t = makeTable(Object.fromEntries(cols.map(([name, type]) => [name, column(rows.map((r) => r[name]), type)])) as never);
    // Batches, not tables: writing a Table resets the writer and would end the file.
    for (const b of t.batches) writer.write(b);
    n += rows.length;
  }
  if (n === 0) {
    // An empty run still gets a file with the schema, so readers need no special case.
    for (const b of makeTable(Object.fromEntries(cols.map(([name, type]) => [name, column([], type)])) as never).batches) writer.write(b);
  }
  writer.finish();
  await finished(piped);
  return n;
}

async function exportCsv(store: Store, table: TableName, runId: string, path: string, pageRows: number): Promise<number> {
  const cols = Object.keys(TABLES[table].columns);
  const csv = stringify({ header: true, columns: cols, cast: { object: (v) => JSON.stringify(v) } });
  const out = createWriteStream(path);
  csv.pipe(out);
  let n = 0;
  for await (const rows of pages(store, table, runId, pageRows)) {
    for (const r of rows) if (!csv.write(r)) await once(csv, 'drain');
    n += rows.length;
  }
  csv.end();
  await finished(out);
  return n;
}

export async function exportRun(store: Store, opts: ExportOptions): Promise<ExportedFile[]> {
  mkdirSync(opts.outDir, { recursive: true });
  const pageRows = opts.pageRows ?? 50_000;
  const out: ExportedFile[] = [];
  for (const table of opts.tables ?? (Object.keys(TABLES) as TableName[])) {
    const path = join(opts.outDir, `${table}.${opts.format}`);
    const rows = opts.format === 'arrow' ? await exportArrow(store, table, opts.runId, path, pageRows) : await exportCsv(store, table, opts.runId, path, pageRows);
    out.push({ table, path, rows });
  }
  return out;
}
