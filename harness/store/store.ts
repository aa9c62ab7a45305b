// The Store interface every backend (chDB embedded, ClickHouse server,
// cluster) implements. Stages before the store hand it rows; stages after it
// read aggregates with SQL. Nothing outside store/ knows which engine runs.
import type { RowOf, TableName } from '../events/schema.ts';

export interface Store {
  /** Engine description for logs and reports, e.g. "chdb 26.7.2.1 at ./.mirrorbench/chdb". */
  readonly description: string;
  /** Creates the database and tables if missing. Idempotent. */
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
