// Typed query parameters, rendered on the client. Every statement is written
// with ClickHouse's own placeholder syntax, `{name:Type}`, and its values are
// passed beside it; this is the one place they become SQL text. Rendering
// here rather than on the server (@clickhouse/client `query_params`, chDB
// `queryBind`) because ClickHouse 18.16, which the server tests run, predates
// server-side parameters ("Unknown setting param_x"), and one renderer gives
// both engines the same SQL text. Each value is checked against its declared
// type and escaped by that type: strings become quoted literals with every
// quote, backslash and control byte escaped; numbers must be finite and fit
// their type; identifiers must be plain names. A value that does not fit is
// an error naming the placeholder, never a best effort.
import { ConfigError, StoreError } from '../common/errors.ts';

export type ParamValue = string | number | bigint | boolean | null | readonly ParamValue[];
export type QueryParams = Readonly<Record<string, ParamValue>>;

const INT_RANGE: Record<string, [bigint, bigint]> = {
  UInt8: [0n, 255n],
  UInt16: [0n, 65_535n],
  UInt32: [0n, 4_294_967_295n],
  UInt64: [0n, 18_446_744_073_709_551_615n],
  Int8: [-128n, 127n],
  Int16: [-32_768n, 32_767n],
  Int32: [-2_147_483_648n, 2_147_483_647n],
  Int64: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a configured name (database, cluster) that DDL writes as an
 * identifier: a plain name, so that it can never change a statement.
 */
export function assertIdentifier(what: string, value: string): string {
  if (!IDENTIFIER.test(value)) throw new ConfigError(`${what} "${value}": expected a plain name (a letter or _, then letters, digits, _)`);
  return value;
}

function fail(name: string, type: string, problem: string): never {
  throw new StoreError('STORE_QUERY', `query parameter {${name}:${type}}: ${problem}`);
}

const describe = (v: unknown) => (typeof v === 'string' ? `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"` : Array.isArray(v) ? 'an array' : String(v));

/** A string as a ClickHouse string literal: quote, backslash and every control byte escaped. */
export function quoteString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + "'";
}

/** Splits `Array(Nullable(String))` into its outer name and argument. */
function typeParts(type: string): { outer: string; inner: string } {
  const m = /^(\w+)\((.*)\)$/s.exec(type.trim());
  return m ? { outer: m[1]!, inner: m[2]!.trim() } : { outer: type.trim(), inner: '' };
}

/** One value as SQL text of its declared type. */
export function renderValue(name: string, type: string, value: ParamValue): string {
  const { outer, inner } = typeParts(type);
  if (outer === 'Nullable') return value === null ? 'NULL' : renderValue(name, inner, value);
  if (outer === 'LowCardinality') return renderValue(name, inner, value);
  if (value === null || value === undefined) fail(name, type, `no value (${String(value)}) for a non-Nullable type`);
  if (outer === 'Array') {
    if (!Array.isArray(value)) fail(name, type, `expected an array, found ${describe(value)}`);
    return `[${(value as readonly ParamValue[]).map((v, i) => renderValue(`${name}[${i}]`, inner, v)).join(', ')}]`;
  }
  if (outer === 'String' || outer === 'FixedString') {
    if (typeof value !== 'string') fail(name, type, `expected a string, found ${describe(value)}`);
    if (outer === 'FixedString' && Buffer.byteLength(value) > Number(inner)) fail(name, type, `longer than ${inner} bytes`);
    return quoteString(value);
  }
  if (outer === 'Identifier') {
    if (typeof value !== 'string' || !IDENTIFIER.test(value)) fail(name, type, `expected a plain name (letters, digits, _), found ${describe(value)}`);
    return `\`${value}\``;
  }
  if (outer in INT_RANGE) {
    let n: bigint;
    if (typeof value === 'bigint') n = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
    else fail(name, type, `expected a safe integer or a bigint, found ${describe(value)}`);
    const [lo, hi] = INT_RANGE[outer]!;
    if (n < lo || n > hi) fail(name, type, `${n} is outside ${lo}..${hi}`);
    // In parentheses when negative: "x -{v}" must not become the comment "x --5".
    return n < 0n ? `(${n})` : String(n);
  }
  if (outer === 'Float64' || outer === 'Float32') {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(name, type, `expected a finite number, found ${describe(value)}`);
    const text = String(value);
    return value < 0 || Object.is(value, -0) ? `(${text})` : text;
  }
  if (outer === 'Bool') {
    if (typeof value !== 'boolean') fail(name, type, `expected a boolean, found ${describe(value)}`);
    // 0/1: ClickHouse 18.16 has no Bool type, and UInt8 is what a condition takes.
    return value ? '1' : '0';
  }
  return fail(name, type, `type ${type} is not supported here (String, FixedString(N), Identifier, [U]Int8..64, Float32/64, Bool, Array(T), Nullable(T), LowCardinality(T))`);
}

/**
 * The statement with every `{name:Type}` placeholder outside quotes and
 * comments replaced by its value. Throws when a placeholder has no value, a
 * value does not fit its type, or a value has no placeholder (a typo that
 * would otherwise drop a condition silently).
 */
export function bindQuery(sql: string, params: QueryParams = {}): string {
  const used = new Set<string>();
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    // Quoted strings and identifiers: copied as they are, including escaped quotes.
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < n) {
        if (sql[j] === '\\') j += 2;
        else if (sql[j] === ch) {
          if (sql[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end < 0 ? n : end;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end < 0 ? n : end + 2;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    if (ch === '{') {
      const m = /^\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/.exec(sql.slice(i, i + 200));
      if (m) {
        const [whole, name, type] = m as unknown as [string, string, string];
        if (!Object.hasOwn(params, name)) fail(name, type, 'no value given');
        out += renderValue(name, type, params[name]!);
        used.add(name);
        i += whole.length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  for (const k of Object.keys(params)) if (!used.has(k)) throw new StoreError('STORE_QUERY', `query parameter "${k}" has no {${k}:Type} placeholder in the statement`);
  return out;
}
