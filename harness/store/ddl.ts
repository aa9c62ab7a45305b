// Renders CREATE statements from the one table definition (events/schema.ts)
// for the server at hand. Engine dialect differences are decided here and only
// here: LowCardinality, codecs and TTL where the server has them; on a cluster,
// replicated local tables plus Distributed tables under the plain names, so
// every query and insert reads the same table names on every backend.
import { TABLES, type AnyTableDef, type ColumnType, type TableName } from '../events/schema.ts';
import type { ServerFeatures } from './dialect.ts';

export interface DdlOptions {
  database: string;
  features: ServerFeatures;
  /** Cluster name from the server's remote_servers config; tables are then replicated and sharded. */
  cluster?: string;
  /** Drop rows older than this many days (servers with TTL only). */
  ttlDays?: number;
}

export const LOCAL_SUFFIX = '_local';

export function createDatabaseSql(opts: Pick<DdlOptions, 'database' | 'cluster'>): string {
  return `CREATE DATABASE IF NOT EXISTS ${opts.database}${onCluster(opts)}`;
}

function onCluster(opts: Pick<DdlOptions, 'cluster'>): string {
  return opts.cluster ? ` ON CLUSTER ${opts.cluster}` : '';
}

function columnSql(def: AnyTableDef, name: string, type: ColumnType, f: ServerFeatures): string {
  let t: string = type;
  if (f.lowCardinality && def.lowCardinality?.includes(name) && type === 'String') t = 'LowCardinality(String)';
  // Microsecond timestamps rise almost monotonically within a part: deltas compress to a few bits.
  const codec = f.codecs && type === 'Int64' && name.endsWith('_at_us') ? ' CODEC(Delta, ZSTD(1))' : '';
  return `  ${name} ${t}${codec}`;
}

function engineSql(def: AnyTableDef, opts: DdlOptions): string {
  const replacing = def.engine === 'ReplacingMergeTree';
  const base = replacing ? 'ReplacingMergeTree' : 'MergeTree';
  const args: string[] = [];
  if (opts.cluster) args.push(`'/clickhouse/tables/{shard}/${opts.database}/${def.name}'`, `'{replica}'`);
  if (replacing && def.version) args.push(def.version);
  return `${opts.cluster ? 'Replicated' : ''}${base}(${args.join(', ')})`;
}

/** The table rows are stored in: `<name>` alone, `<name>_local` on a cluster. */
export function storageTableName(def: AnyTableDef, opts: Pick<DdlOptions, 'cluster'>): string {
  return opts.cluster ? `${def.name}${LOCAL_SUFFIX}` : def.name;
}

export function createTableSql(def: AnyTableDef, opts: DdlOptions): string[] {
  const cols = Object.entries(def.columns)
    .map(([name, type]) => columnSql(def, name, type, opts.features))
    .join(',\n');
  const ttl = opts.ttlDays && opts.features.ttl ? `\nTTL ${def.dateColumn} + INTERVAL ${Math.floor(opts.ttlDays)} DAY` : '';
  const local = storageTableName(def, opts);
  const out = [
    `CREATE TABLE IF NOT EXISTS ${opts.database}.${local}${onCluster(opts)} (\n${cols}\n) ENGINE = ${engineSql(def, opts)}\n` +
      `PARTITION BY ${def.partitionBy}\nORDER BY (${def.orderBy.join(', ')})${ttl}`,
  ];
  if (opts.cluster) {
    out.push(
      `CREATE TABLE IF NOT EXISTS ${opts.database}.${def.name}${onCluster(opts)} AS ${opts.database}.${local}\n` +
        `ENGINE = Distributed(${opts.cluster}, ${opts.database}, ${local}, ${def.shardBy})`,
    );
  }
  return out;
}

/** Every table of the schema, in creation order. */
export function schemaSql(opts: DdlOptions): string[] {
  return Object.values(TABLES).flatMap((t: AnyTableDef) => createTableSql(t, opts));
}

export function columnsOf(table: TableName): string[] {
  return Object.keys(TABLES[table].columns);
}
