// Versioned schema migrations. Each migration is a list of statements rendered
// for the server at hand (ddl.ts); applied versions are recorded in
// `schema_migrations`, so `db migrate` runs only what is missing and `db status`
// can say what a database lacks. Migrations only ever add: a released version
// is never edited, a change is a new version.
import { TABLES } from '../events/schema.ts';
import { createDatabaseSql, createTableSql, type DdlOptions } from './ddl.ts';
import type { Store } from './store.ts';

export interface Migration {
  version: number;
  name: string;
  up(opts: DdlOptions): string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, job results, job events, provider events, price ticks',
    up: (opts) => [TABLES.runs, TABLES.job_results, TABLES.job_events, TABLES.provider_events, TABLES.price_ticks].flatMap((t) => createTableSql(t, opts)),
  },
  {
    version: 2,
    name: 'campaign runs',
    up: (opts) => createTableSql(TABLES.campaign_runs, opts),
  },
  {
    version: 3,
    // Additive: runs and their rows stay as they were; a run without worker rows keeps its runs status.
    name: 'run workers (one row per shard worker)',
    up: (opts) => createTableSql(TABLES.run_workers, opts),
  },
  {
    version: 4,
    // A table of its own rather than columns on job_results: nothing to ALTER on a server or cluster that holds runs already, and old runs read as before.
    name: 'job tokens (LLM time to first token and per output token)',
    up: (opts) => createTableSql(TABLES.job_tokens, opts),
  },
];

export interface AppliedMigration {
  version: number;
  name: string;
  applied_at: string;
}

export interface MigrationStatus {
  applied: AppliedMigration[];
  pending: Migration[];
}

function migrationsTableSql(opts: DdlOptions): string {
  const on = opts.cluster ? ` ON CLUSTER ${opts.cluster}` : '';
  // On a cluster the record is replicated to every node (no {shard} in the path), so status reads the same anywhere.
  const engine = opts.cluster
    ? `ReplicatedReplacingMergeTree('/clickhouse/tables/all/${opts.database}/schema_migrations', '{replica}')`
    : 'ReplacingMergeTree()';
  return `CREATE TABLE IF NOT EXISTS ${opts.database}.schema_migrations${on} (version UInt32, name String, applied_at DateTime) ENGINE = ${engine} ORDER BY version`;
}

async function ensureBookkeeping(store: Store, opts: DdlOptions): Promise<void> {
  await store.exec(createDatabaseSql(opts));
  await store.exec(migrationsTableSql(opts));
}

export async function migrationStatus(store: Store, opts: DdlOptions, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationStatus> {
  await ensureBookkeeping(store, opts);
  const applied = await store.query<AppliedMigration>(
    'SELECT version, name, toString(applied_at) AS applied_at FROM {db:Identifier}.schema_migrations FINAL ORDER BY version',
    { db: opts.database },
  );
  const done = new Set(applied.map((a) => Number(a.version)));
  return { applied: applied.map((a) => ({ ...a, version: Number(a.version) })), pending: migrations.filter((m) => !done.has(m.version)) };
}

/** Applies every pending migration in order; resolves with the versions applied. */
export async function migrate(store: Store, opts: DdlOptions, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const { pending } = await migrationStatus(store, opts, migrations);
  const out: number[] = [];
  for (const m of [...pending].sort((a, b) => a.version - b.version)) {
    // Statements are idempotent (IF NOT EXISTS), so a migration cut off half-way is safely re-run.
    for (const sql of m.up(opts)) await store.exec(sql);
    await store.exec('INSERT INTO {db:Identifier}.schema_migrations (version, name, applied_at) VALUES ({version:UInt32}, {name:String}, now())', {
      db: opts.database,
      version: m.version,
      name: m.name,
    });
    out.push(m.version);
  }
  return out;
}

/** DDL options for a store as it is: its database, cluster and engine features. */
export async function ddlOptionsOf(store: Store, extra: { ttlDays?: number } = {}): Promise<DdlOptions> {
  return { database: store.database, cluster: store.cluster, features: await store.features(), ...extra };
}
