// Row encodings for inserts: `npm run bench -- store` measures each on both
// backends (see README "Stored data"), and each engine takes its fastest.
import { Data, Field, Float64, List, makeData, RecordBatch, RecordBatchStreamWriter, Schema, Struct, Uint32, Utf8 } from 'apache-arrow';
import { TABLES, type ColumnType, type RowOf, type TableName } from '../events/schema.ts';

export type InsertFormat = 'JSONEachRow' | 'TabSeparated' | 'ArrowStream' | 'RowBinary';

function tsvString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function tsvArray(a: readonly string[]): string {
  return `[${a.map((s) => `'${tsvString(s).replace(/'/g, "\\'")}'`).join(',')}]`;
}

export function encodeRows<T extends TableName>(table: T, rows: readonly RowOf<T>[], format: Exclude<InsertFormat, 'ArrowStream' | 'RowBinary'>): string {
  let out = '';
  if (format === 'JSONEachRow') {
    for (const row of rows) out += JSON.stringify(row) + '\n';
    return out;
  }
  const cols = Object.entries(TABLES[table].columns);
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    let line = '';
    for (let i = 0; i < cols.length; i++) {
      const [name, type] = cols[i]!;
      const v = r[name];
      if (i) line += '\t';
      if (type === 'String') line += tsvString(String(v ?? ''));
      else if (type === 'Array(String)') line += tsvArray((v as string[] | undefined) ?? []);
      else line += String(v ?? 0);
    }
    out += line + '\n';
  }
  return out;
}

// Arrow IPC (stream) encoding: columns are built straight from the rows into
// typed arrays, with no per-value objects, then framed once. Numbers go as
// Float64 (JS numbers are doubles: every value the rows hold is exact in it)
// and the engine casts to the column's integer type on insert; DateTime goes
// as UInt32 seconds, its storage type. Strings are one UTF-8 buffer and offsets.

/** Thrown for a string UTF-8 cannot hold (a lone surrogate): Arrow would store U+FFFD in its place, so the batch goes as text and the database refuses that row. */
class NotUtf8 extends Error {}

/** String.prototype.isWellFormed (Node 20; not in the ES2023 lib typings). */
const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

function utf8Column(values: string[]): Data<Utf8> {
  const offsets = new Int32Array(values.length + 1);
  let bytes = 0;
  for (let i = 0; i < values.length; i++) {
    if (!wellFormed(values[i]!)) throw new NotUtf8();
    bytes += Buffer.byteLength(values[i]!, 'utf8');
    offsets[i + 1] = bytes;
  }
  const data = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const v of values) at += data.write(v, at, 'utf8');
  return makeData({ type: new Utf8(), length: values.length, valueOffsets: offsets, data });
}

function arrowColumn(type: ColumnType, rows: readonly Record<string, unknown>[], name: string): { field: Field; data: Data } {
  const n = rows.length;
  switch (type) {
    case 'String': {
      const values = new Array<string>(n);
      for (let i = 0; i < n; i++) values[i] = String(rows[i]![name] ?? '');
      return { field: new Field(name, new Utf8(), false), data: utf8Column(values) };
    }
    case 'Array(String)': {
      const offsets = new Int32Array(n + 1);
      const flat: string[] = [];
      for (let i = 0; i < n; i++) {
        for (const s of (rows[i]![name] as string[] | undefined) ?? []) flat.push(String(s));
        offsets[i + 1] = flat.length;
      }
      const item = new Field('item', new Utf8(), false);
      const type = new List(item);
      return { field: new Field(name, type, false), data: makeData({ type, length: n, valueOffsets: offsets, child: utf8Column(flat) }) };
    }
    case 'DateTime':
    case 'UInt32':
    case 'UInt8': {
      const data = new Uint32Array(n);
      for (let i = 0; i < n; i++) data[i] = Number(rows[i]![name] ?? 0);
      return { field: new Field(name, new Uint32(), false), data: makeData({ type: new Uint32(), length: n, data }) };
    }
    default: {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = Number(rows[i]![name] ?? 0);
      return { field: new Field(name, new Float64(), false), data: makeData({ type: new Float64(), length: n, data }) };
    }
  }
}

function recordBatchOf<T extends TableName>(table: T, rows: readonly RowOf<T>[]): RecordBatch {
  const cols = Object.entries(TABLES[table].columns) as [string, ColumnType][];
  const built = cols.map(([name, type]) => arrowColumn(type, rows as readonly Record<string, unknown>[], name));
  const schema = new Schema(built.map((b) => b.field));
  const struct = makeData({ type: new Struct(schema.fields), length: rows.length, children: built.map((b) => b.data) });
  return new RecordBatch(schema, struct);
}

/** The rows as one Arrow IPC stream (schema + one record batch), columns in the table's order; NotUtf8 when a string has a lone surrogate. */
export function encodeArrowStream<T extends TableName>(table: T, rows: readonly RowOf<T>[]): Uint8Array {
  return RecordBatchStreamWriter.writeAll([recordBatchOf(table, rows)]).toUint8Array(true);
}

/** The batch as Arrow, or undefined when a string cannot go as UTF-8 (then as JSON text, which the engine refuses row by row). */
export function arrowOrText<T extends TableName>(table: T, rows: readonly RowOf<T>[]): Uint8Array | undefined {
  const batch = recordBatchOrText(table, rows);
  return batch && RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
}

function recordBatchOrText<T extends TableName>(table: T, rows: readonly RowOf<T>[]): RecordBatch | undefined {
  try {
    return recordBatchOf(table, rows);
  } catch (err) {
    if (err instanceof NotUtf8) return undefined;
    throw err;
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Encodes a large insert a slice of rows at a time, giving the event loop a
 * turn between slices: the writer runs on the replay's thread, and a
 * catch-up insert encoded at once would hold its release clock for the whole
 * batch (100,000 rows: ~50–170 ms as RowBinary, ~230–300 ms as Arrow on this
 * machine) instead of one slice. Undefined when a slice cannot be encoded.
 */
export async function inSlices<R, E>(rows: readonly R[], slice: number, encode: (part: readonly R[]) => E | undefined): Promise<E[] | undefined> {
  const parts: E[] = [];
  for (let i = 0; i < rows.length; i += slice) {
    if (i) await turn();
    const part = encode(rows.slice(i, i + slice));
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return parts;
}

/** As arrowOrText, one record batch per slice of rows (one IPC stream), a turn of the event loop between slices. */
export async function arrowOrTextInSlices<T extends TableName>(table: T, rows: readonly RowOf<T>[], slice: number): Promise<Uint8Array | undefined> {
  const batches = await inSlices(rows, slice, (part) => recordBatchOrText(table, part));
  return batches && RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
}
