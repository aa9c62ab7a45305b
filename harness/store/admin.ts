// Database housekeeping behind `mirrorbench db`: what a database holds and
// lacks, and removing old runs.
import { TABLES, type AnyTableDef, type TableName } from '../events/schema.ts';
import { storageTableName } from './ddl.ts';
import { ddlOptionsOf, migrationStatus, type MigrationStatus } from './migrations.ts';
import type { Store } from './store.ts';

export interface DbStatus {
  description: string;
  version: string;
  migrations: MigrationStatus;
  /** Stored rows per table (before background merges fold replaced rows). */
  rows: Partial<Record<TableName, number>>;
  runs: number;
}

export async function dbStatus(store: Store): Promise<DbStatus> {
  const opts = await ddlOptionsOf(store);
  const migrations = await migrationStatus(store, opts);
  const rows: Partial<Record<TableName, number>> = {};
  let runs = 0;
  if (migrations.applied.length) {
    for (const t of Object.keys(TABLES) as TableName[]) {
      const [r] = await store.query<{ n: number }>('SELECT count() AS n FROM {db:Identifier}.{table:Identifier}', { db: store.database, table: t });
      rows[t] = Number(r?.n ?? 0);
    }
    const [r] = await store.query<{ n: number }>('SELECT uniqExact(run_id) AS n FROM {db:Identifier}.runs', { db: store.database });
    runs = Number(r?.n ?? 0);
  }
  return { description: store.description, version: opts.features.version, migrations, rows, runs };
}

export interface PruneOptions {
  runIds?: readonly string[];
  /** Runs started more than this many days before `nowUs`. */
  olderThanDays?: number;
  nowUs?: number;
  dryRun?: boolean;
}

/**
 * Deletes every row of the chosen runs from every table (ALTER … DELETE, a
 * mutation ClickHouse applies in the background; on a cluster it runs on the
 * local tables of every node). Resolves with the run ids removed.
 */
export async function pruneRuns(store: Store, opts: PruneOptions): Promise<string[]> {
  const ids = new Set(opts.runIds ?? []);
  if (opts.olderThanDays !== undefined) {
    const cutoff = (opts.nowUs ?? Date.now() * 1000) - opts.olderThanDays * 86_400e6;
    const old = await store.query<{ run_id: string }>('SELECT DISTINCT run_id FROM {db:Identifier}.runs WHERE started_at_us < {cutoff:Int64}', { db: store.database, cutoff: Math.floor(cutoff) });
    for (const r of old) ids.add(r.run_id);
  }
  if (ids.size === 0 || opts.dryRun) return [...ids].sort();
  const on = store.cluster ? ' ON CLUSTER {cluster:Identifier}' : '';
  for (const def of Object.values(TABLES) as AnyTableDef[]) {
    await store.exec(`ALTER TABLE {db:Identifier}.{table:Identifier}${on} DELETE WHERE has({ids:Array(String)}, run_id)`, {
      db: store.database,
      table: storageTableName(def, { cluster: store.cluster }),
      ids: [...ids],
      ...(store.cluster ? { cluster: store.cluster } : {}),
    });
  }
  return [...ids].sort();
}
