// Sorts database failures into the three things a writer can do about them:
// wait and retry (the server is away), give up on a statement (it is wrong),
// or set rows aside (the server refuses them as data, so retrying the same
// batch would fail forever and block every row behind it).
import { StoreError } from '../common/errors.ts';

/**
 * ClickHouse error codes that mean "these rows are not valid data": a value
 * that cannot be parsed, converted or does not fit its column. Names as
 * src/Common/ErrorCodes.cpp has them; a test checks each against chDB's own
 * errorCodeToName(). A batch refused with one of them is halved until the
 * refused rows are alone (writer.ts).
 */
export const DATA_ERROR_CODES: Readonly<Record<number, string>> = {
  6: 'CANNOT_PARSE_TEXT',
  16: 'NO_SUCH_COLUMN_IN_TABLE',
  19: 'SIZE_OF_FIXED_STRING_DOESNT_MATCH',
  25: 'CANNOT_PARSE_ESCAPE_SEQUENCE', // e.g. a lone UTF-16 surrogate escaped in JSON ("\ud800")
  26: 'CANNOT_PARSE_QUOTED_STRING',
  27: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
  38: 'CANNOT_PARSE_DATE',
  41: 'CANNOT_PARSE_DATETIME',
  53: 'TYPE_MISMATCH',
  69: 'ARGUMENT_OUT_OF_BOUND',
  70: 'CANNOT_CONVERT_TYPE',
  72: 'CANNOT_PARSE_NUMBER',
  117: 'INCORRECT_DATA',
  128: 'TOO_LARGE_ARRAY_SIZE',
  130: 'CANNOT_READ_ARRAY_FROM_TEXT',
  131: 'TOO_LARGE_STRING_SIZE',
  248: 'INVALID_PARTITION_VALUE',
  321: 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
  349: 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN',
  376: 'CANNOT_PARSE_UUID',
  407: 'DECIMAL_OVERFLOW',
  441: 'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
  467: 'CANNOT_PARSE_BOOL',
  469: 'VIOLATED_CONSTRAINT',
  563: 'CANNOT_READ_MAP_FROM_TEXT',
  632: 'UNEXPECTED_DATA_AFTER_PARSED_VALUE',
  675: 'CANNOT_PARSE_IPV4',
  676: 'CANNOT_PARSE_IPV6',
  691: 'UNKNOWN_ELEMENT_OF_ENUM',
};

/**
 * Refusal-as-data codes that older servers still raise (Debian's 18.16, for
 * TabSeparated input) and current ClickHouse has retired.
 */
export const RETIRED_DATA_ERROR_CODES: Readonly<Record<number, string>> = {
  17: 'DELIMITER_IN_STRING_LITERAL_DOESNT_MATCH',
  21: 'CANNOT_READ_ALL_DATA_FROM_TAB_SEPARATED_INPUT',
  22: 'CANNOT_PARSE_ALL_VALUE_FROM_TAB_SEPARATED_INPUT',
};

export function isDataErrorCode(code: number): boolean {
  return code in DATA_ERROR_CODES || code in RETIRED_DATA_ERROR_CODES;
}

/** ClickHouse's numeric error code from an error object or its message ("Code: 27. DB::Exception"). */
export function clickhouseCode(cause: unknown): number | undefined {
  const e = cause as { code?: unknown; clickhouseCode?: unknown; message?: unknown };
  // chDB's errors carry it as clickhouseCode; @clickhouse/client's as a numeric string code.
  if (typeof e?.clickhouseCode === 'number') return e.clickhouseCode;
  if (typeof e?.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  const m = /Code: (\d+)/.exec(String(e?.message ?? cause));
  return m ? Number(m[1]) : undefined;
}

export function storeErrorOf(cause: unknown, what: string): StoreError {
  const msg = `${what}: ${(cause as { message?: unknown })?.message ?? String(cause)}`;
  const code = clickhouseCode(cause);
  if (code === undefined) return new StoreError('STORE_UNAVAILABLE', msg, { cause });
  return new StoreError(isDataErrorCode(code) ? 'STORE_REJECTED' : 'STORE_QUERY', msg, { cause });
}

export function isRejectedData(err: unknown): boolean {
  return err instanceof StoreError && err.code === 'STORE_REJECTED';
}
