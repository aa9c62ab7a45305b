// The one place SQL values become text: each type renders as its literal, a
// value that does not fit is refused naming the placeholder, and placeholders
// inside quotes or comments are left alone. The same hostile strings go
// through both real engines in test/integration/store/bind-engines.test.ts.
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../harness/common/errors.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ClickHouseStore } from '../../../harness/store/clickhouse-store.ts';
import { ConfigError } from '../../../harness/common/errors.ts';
import { bindQuery, quoteString, renderValue } from '../../../harness/store/bind.ts';

describe('bindQuery', () => {
  it('renders each type as its literal', () => {
    expect(bindQuery('SELECT {s:String}, {n:UInt32}, {i:Int64}, {f:Float64}, {b:Bool}, {a:Array(String)}, {x:Nullable(String)}, {db:Identifier}.t', {
      s: 'run-1', n: 7, i: -3, f: 0.25, b: true, a: ['a', 'b'], x: null, db: 'mirrorbench',
    })).toBe("SELECT 'run-1', 7, (-3), 0.25, 1, ['a', 'b'], NULL, `mirrorbench`.t");
    expect(bindQuery('SELECT {big:UInt64}, {neg:Float64}, {e:Array(UInt8)}', { big: 18_446_744_073_709_551_615n, neg: -1e-7, e: [] })).toBe('SELECT 18446744073709551615, (-1e-7), []');
  });

  it('escapes quotes, backslashes and control bytes in strings', () => {
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString('a\\')).toBe("'a\\\\'");
    expect(quoteString('\\\'')).toBe("'\\\\\\''");
    expect(quoteString('l1\nl2\r\t\0\x1b\x7f')).toBe("'l1\\nl2\\r\\t\\x00\\x1b\\x7f'");
    expect(quoteString('ünï €')).toBe("'ünï €'");
  });

  it('keeps a negative number from turning "x -{v}" into a comment', () => {
    expect(bindQuery('SELECT 1 -{v:Int64}', { v: -5 })).toBe('SELECT 1 -(-5)');
    expect(bindQuery('SELECT 1 -{v:Float64}', { v: -0 })).toBe('SELECT 1 -(0)');
  });

  it('leaves placeholders in strings, quoted names and comments alone', () => {
    const sql = "SELECT '{a:String}', `{a:String}`, \"x{a:String}\", 'it\\'s {a:String}', 'q''{a:String}' -- {a:String}\n/* {a:String} */ {a:String}";
    expect(bindQuery(sql, { a: 'v' })).toBe("SELECT '{a:String}', `{a:String}`, \"x{a:String}\", 'it\\'s {a:String}', 'q''{a:String}' -- {a:String}\n/* {a:String} */ 'v'");
    // ZooKeeper path macros are not placeholders.
    expect(bindQuery("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/db/t', '{replica}')")).toContain('{shard}');
    expect(bindQuery('SELECT arrayMap(x -> x + {k:UInt8}, [1])', { k: 2 })).toBe('SELECT arrayMap(x -> x + 2, [1])');
  });

  it('refuses what does not fit, naming the placeholder', () => {
    const refused = (sql: string, params: Record<string, unknown>) => {
      try {
        bindQuery(sql, params as never);
      } catch (e) {
        expect(e).toBeInstanceOf(StoreError);
        expect((e as StoreError).code).toBe('STORE_QUERY');
        return (e as Error).message;
      }
      throw new Error(`bound: ${sql}`);
    };
    expect(refused('SELECT {run:String}', {})).toMatch(/\{run:String\}: no value given/);
    expect(refused('SELECT 1', { run: 'x' })).toMatch(/"run" has no \{run:Type\} placeholder/);
    expect(refused('SELECT {n:UInt32}', { n: '5' })).toMatch(/\{n:UInt32\}: expected a safe integer/);
    expect(refused('SELECT {n:UInt32}', { n: 1.5 })).toMatch(/expected a safe integer/);
    expect(refused('SELECT {n:UInt32}', { n: -1 })).toMatch(/outside 0\.\.4294967295/);
    expect(refused('SELECT {n:UInt8}', { n: 256 })).toMatch(/outside/);
    expect(refused('SELECT {n:Int64}', { n: 2 ** 60 })).toMatch(/safe integer/);
    expect(refused('SELECT {f:Float64}', { f: Number.NaN })).toMatch(/finite number/);
    expect(refused('SELECT {f:Float64}', { f: Infinity })).toMatch(/finite number/);
    expect(refused('SELECT {s:String}', { s: 5 })).toMatch(/expected a string, found 5/);
    expect(refused('SELECT {s:String}', { s: null })).toMatch(/non-Nullable/);
    expect(refused('SELECT {a:Array(String)}', { a: 'x' })).toMatch(/expected an array/);
    expect(refused('SELECT {a:Array(UInt8)}', { a: [1, 'x'] })).toMatch(/\{a\[1\]:UInt8\}/);
    expect(refused('SELECT {d:Identifier}', { d: 'db; DROP TABLE x' })).toMatch(/plain name/);
    expect(refused('SELECT {d:Identifier}', { d: 'a`b' })).toMatch(/plain name/);
    expect(refused('SELECT {d:DateTime64(3)}', { d: 1 })).toMatch(/not supported/);
  });

  it('renders a value alone for callers that build value lists', () => {
    expect(renderValue('ids', 'Array(String)', ["a'", 'b'])).toBe("['a\\'', 'b']");
  });
});

describe('configured names', () => {
  it('a database or cluster name that is not a plain name is refused when the store is made', () => {
    expect(() => new ChdbStore({ path: '/tmp/unused', database: 'mb; DROP DATABASE x' })).toThrow(ConfigError);
    expect(() => new ClickHouseStore({ url: 'http://127.0.0.1:1', database: 'mb' , cluster: "c' x" })).toThrow(/cluster "c' x": expected a plain name/);
    expect(() => new ClickHouseStore({ url: 'http://127.0.0.1:1', database: 'mb_1', cluster: 'mirrorbench' })).not.toThrow();
  });
});
