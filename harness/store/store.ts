// The Store interface every backend (chDB embedded, ClickHouse server,
// cluster) implements. Stages before the store hand it rows; stages after it
// read aggregates with SQL. Nothing outside store/ knows which engine runs.
import type { RowOf, TableName } from '../events/schema.ts';
import type { QueryParams } from './bind.ts';
import type { ServerFeatures } from './dialect.ts';

export type { QueryParams } from './bind.ts';

/** What one read cost, for benches, tests and slow-query logs. */
export interface QueryStats {
  sql: string;
  /** Rows the engine read, when it says. */
  rowsRead: number | undefined;
  elapsedMs: number;
}

export interface Store {
  /** Engine description for logs and reports, e.g. "chdb at ./.mirrorbench/chdb"; never holds a password. */
  readonly description: string;
  /** Database every table lives in. */
  readonly database: string;
  /** Cluster name when tables are replicated and sharded (server backend only). */
  readonly cluster: string | undefined;
  /** What the engine supports, from `SELECT version()`. */
  features(): Promise<ServerFeatures>;
  /** Creates the database and applies pending migrations. Idempotent. */
  init(): Promise<void>;
  /** Appends rows to a table. Rows with the same key replace each other, so a retried batch never double-counts. */
  insert<T extends TableName>(table: T, rows: readonly RowOf<T>[]): Promise<void>;
  /**
   * Runs a read query and returns the rows (JSONEachRow semantics; 64-bit
   * integers as numbers). Values go in `params`, written `{name:Type}` in the
   * SQL (bind.ts renders them, the same text on every engine).
   */
  query<R = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<R[]>;
  /**
   * Runs a read query and yields its rows in batches as the engine produces
   * them, so a large result never sits in memory whole. On chDB a stream holds
   * the session: other statements wait until it ends (or the loop breaks), so
   * never query the same store inside the loop.
   */
  stream<R = Record<string, unknown>>(sql: string, params?: QueryParams): AsyncIterable<R[]>;
  /** Runs a statement that returns nothing (DDL, OPTIMIZE, ALTER … DELETE). */
  exec(sql: string, params?: QueryParams): Promise<void>;
  close(): Promise<void>;
}
