// The Store interface every backend (chDB embedded, ClickHouse server,
// cluster) implements. Stages before the store hand it rows; stages after it
// read aggregates with SQL. Nothing outside store/ knows which engine runs.
import type { RowOf, TableName } from '../events/schema.ts';
import type { ServerFeatures } from './dialect.ts';

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
  /** Runs a read query and returns the rows (JSONEachRow semantics; 64-bit integers as numbers). */
  query<R = Record<string, unknown>>(sql: string): Promise<R[]>;
  /** Runs a statement that returns nothing (DDL, OPTIMIZE). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Quotes a value as a ClickHouse string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
