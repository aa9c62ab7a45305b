// RowBinary encoding for inserts into a ClickHouse server that has no Arrow
// input (18.16): the server parses it at a fraction of JSON's cost, and it is
// built here in one pass over the rows into one buffer, with no per-value
// string or object (see README "Stored data" for the figures).
//
// It stores exactly what the JSONEachRow path stores, or it is not used: a
// value JSON would send as something else (a lone surrogate, a non-finite or
// fractional number in an integer column, a number out of its column's range,
// null, a value of another JS type) makes the whole batch go as JSON, where
// the server decides as before (and the writer sets a refused row aside).
// 64-bit integers beyond 2^53 go as the decimal JSON.stringify would print,
// so the server stores the same integer either way.
import { TABLES, type ColumnType, type RowOf, type TableName } from '../events/schema.ts';
import { inSlices } from './encode.ts';

/** A value RowBinary cannot carry exactly as the JSON path would. */
class NotExact extends Error {}

const Kind = { String: 0, Strings: 1, Int64: 2, UInt64: 3, UInt32: 4, UInt8: 5, Float64: 6 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const KIND: Record<ColumnType, Kind> = {
  String: Kind.String,
  'Array(String)': Kind.Strings,
  Int64: Kind.Int64,
  UInt64: Kind.UInt64,
  UInt32: Kind.UInt32,
  DateTime: Kind.UInt32,
  UInt8: Kind.UInt8,
  Float64: Kind.Float64,
};

const TWO_32 = 4_294_967_296;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** String.prototype.isWellFormed (Node 20; not in the ES2023 lib typings). */
const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * One encoding buffer for the process, kept between batches: each batch is
 * copied out at its exact size, so a batch costs one allocation of what it
 * holds rather than an oversized buffer and its growth (large buffers live
 * outside V8's heap, and allocating them brings garbage collections forward).
 */
let scratch = Buffer.allocUnsafe(1 << 20);
const SCRATCH_KEPT = 64 << 20;

class Writer {
  buf = scratch;
  at = 0;

  room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    if (next.length <= SCRATCH_KEPT) scratch = next;
  }

  /** LEB128, as RowBinary prefixes lengths; room for it already made. */
  varint(v: number): void {
    while (v >= 0x80) {
      this.buf[this.at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.at++] = v;
  }

  string(s: unknown): void {
    if (typeof s !== 'string') throw new NotExact();
    const n = s.length;
    this.room(n * 3 + 10);
    // ASCII inline (most values: ids, names); anything else through the UTF-8 encoder.
    const start = this.at;
    this.varint(n);
    const buf = this.buf;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[this.at + i] = c;
    }
    if (i === n) {
      this.at += n;
      return;
    }
    if (!wellFormed(s)) throw new NotExact();
    const bytes = Buffer.byteLength(s, 'utf8');
    this.at = start;
    this.varint(bytes);
    this.at += buf.write(s, this.at, 'utf8');
  }

  int64(v: number, signed: boolean): void {
    this.room(8);
    if (Number.isSafeInteger(v) && (signed || v >= 0)) {
      const hi = Math.floor(v / TWO_32);
      this.buf.writeUInt32LE(v - hi * TWO_32, this.at);
      this.buf.writeInt32LE(hi, this.at + 4); // two's complement: the same bytes as unsigned for hi ≥ 0
      this.at += 8;
      return;
    }
    // Beyond 2^53 (or a fraction, or not finite): the integer JSON's decimal names, if it names one in range.
    if (!Number.isInteger(v)) throw new NotExact();
    let b: bigint;
    try {
      b = BigInt(JSON.stringify(v));
    } catch {
      throw new NotExact();
    }
    if (signed ? b < INT64_MIN || b > INT64_MAX : b < 0n || b > UINT64_MAX) throw new NotExact();
    if (signed) this.buf.writeBigInt64LE(b, this.at);
    else this.buf.writeBigUInt64LE(b, this.at);
    this.at += 8;
  }
}

function number(v: unknown): number {
  if (v === undefined) return 0; // JSON leaves the key out: the column's default
  if (typeof v !== 'number') throw new NotExact();
  return v;
}

function encode(w: Writer, kinds: readonly Kind[], names: readonly string[], rows: readonly Record<string, unknown>[]): void {
  const cols = kinds.length;
  for (const r of rows) {
    for (let c = 0; c < cols; c++) {
      const v = r[names[c]!];
      switch (kinds[c]) {
        case Kind.String:
          w.string(v === undefined ? '' : v);
          break;
        case Kind.Strings: {
          const a = v === undefined ? [] : v;
          if (!Array.isArray(a)) throw new NotExact();
          w.room(10);
          w.varint(a.length);
          for (const s of a) w.string(s);
          break;
        }
        case Kind.Int64:
          w.int64(number(v), true);
          break;
        case Kind.UInt64:
          w.int64(number(v), false);
          break;
        case Kind.UInt32: {
          const x = number(v);
          if (!(Number.isInteger(x) && x >= 0 && x < TWO_32)) throw new NotExact();
          w.room(4);
          w.buf.writeUInt32LE(x, w.at);
          w.at += 4;
          break;
        }
        case Kind.UInt8: {
          const x = number(v);
          if (!(Number.isInteger(x) && x >= 0 && x < 256)) throw new NotExact();
          w.room(1);
          w.buf[w.at++] = x;
          break;
        }
        default: {
          const x = number(v);
          if (!Number.isFinite(x)) throw new NotExact(); // JSON would send null
          w.room(8);
          w.buf.writeDoubleLE(x + 0, w.at); // + 0: -0 as JSON prints it, 0
          w.at += 8;
        }
      }
    }
  }
}

const LAYOUT = new Map<TableName, { kinds: Kind[]; names: string[] }>();

function layoutOf(table: TableName) {
  let l = LAYOUT.get(table);
  if (!l) {
    const cols = Object.entries(TABLES[table].columns) as [string, ColumnType][];
    l = { kinds: cols.map(([, t]) => KIND[t]), names: cols.map(([n]) => n) };
    LAYOUT.set(table, l);
  }
  return l;
}

/**
 * The rows as RowBinary, columns in the table's order (columnsOf), or
 * undefined when a value would not be stored exactly as JSON stores it (then
 * the batch goes as JSON).
 */
export function rowBinaryOrText<T extends TableName>(table: T, rows: readonly RowOf<T>[]): Buffer | undefined {
  const { kinds, names } = layoutOf(table);
  const w = new Writer();
  try {
    encode(w, kinds, names, rows as readonly Record<string, unknown>[]);
  } catch (err) {
    if (err instanceof NotExact) return undefined;
    throw err;
  }
  return Buffer.from(w.buf.subarray(0, w.at));
}

/** As rowBinaryOrText, a slice of rows at a time with a turn of the event loop between slices; the parts are the body in order (RowBinary rows simply follow one another). */
export function rowBinaryOrTextInSlices<T extends TableName>(table: T, rows: readonly RowOf<T>[], slice: number): Promise<Buffer[] | undefined> {
  return inSlices(rows, slice, (part) => rowBinaryOrText(table, part));
}
