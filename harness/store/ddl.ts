// Renders CREATE statements from the one table definition (events/schema.ts).
// Engine dialect differences are decided here and only here.
import { TABLES, type AnyTableDef, type TableName } from '../events/schema.ts';

export interface DdlOptions {
  database: string;
  /** Server version features; chDB is always current. */
  features?: { lowCardinality?: boolean; codecs?: boolean };
}

export function createDatabaseSql(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS ${database}`;
}

export function createTableSql(def: AnyTableDef, opts: DdlOptions): string {
  const cols = Object.entries(def.columns)
    .map(([name, type]) => `  ${name} ${type}`)
    .join(',\n');
  const engine = def.engine === 'ReplacingMergeTree' ? `ReplacingMergeTree(${def.version ?? ''})` : 'MergeTree()';
  return (
    `CREATE TABLE IF NOT EXISTS ${opts.database}.${def.name} (\n${cols}\n) ENGINE = ${engine}\n` +
    `PARTITION BY ${def.partitionBy}\nORDER BY (${def.orderBy.join(', ')})`
  );
}

export function schemaSql(opts: DdlOptions): string[] {
  return [
    createDatabaseSql(opts.database),
    ...Object.values(TABLES).map((t: AnyTableDef) => createTableSql(t, opts)),
  ];
}

export function columnsOf(table: TableName): string[] {
  return Object.keys(TABLES[table].columns);
}
