// Sorts database failures into the three things a writer can do about them:
// wait and retry (the server is away), give up on a statement (it is wrong),
// or set rows aside (the server refuses them as data, so retrying the same
// batch would fail forever and block every row behind it).
import { StoreError } from '../common/errors.ts';

/**
 * ClickHouse error codes that mean "these rows are not valid data"
 * (src/Common/ErrorCodes.cpp): cannot parse text / quoted string / assertion /
 * date / datetime / number, type mismatch, argument out of bound, cannot convert
 * type, incorrect data, too large string size, no such column in table.
 */
const DATA_ERRORS = new Set([6, 16, 26, 27, 38, 41, 53, 69, 70, 72, 117, 131]);

/** ClickHouse's numeric error code from an error object or its message ("Code: 27. DB::Exception"). */
export function clickhouseCode(cause: unknown): number | undefined {
  const e = cause as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  const m = /Code: (\d+)/.exec(String(e?.message ?? cause));
  return m ? Number(m[1]) : undefined;
}

export function storeErrorOf(cause: unknown, what: string): StoreError {
  const msg = `${what}: ${(cause as { message?: unknown })?.message ?? String(cause)}`;
  const code = clickhouseCode(cause);
  if (code === undefined) return new StoreError('STORE_UNAVAILABLE', msg, { cause });
  return new StoreError(DATA_ERRORS.has(code) ? 'STORE_REJECTED' : 'STORE_QUERY', msg, { cause });
}

export function isRejectedData(err: unknown): boolean {
  return err instanceof StoreError && err.code === 'STORE_REJECTED';
}
