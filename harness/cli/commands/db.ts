// `mirrorbench db init|migrate|status|prune` and `mirrorbench export`.
import { resolve, join } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { TABLES, type TableName } from '../../events/schema.ts';
import { dbStatus, pruneRuns } from '../../store/admin.ts';
import { exportRun, type ExportFormat } from '../../store/export.ts';
import { ddlOptionsOf, migrate } from '../../store/migrations.ts';
import { openStore } from '../../store/open.ts';
import { runExists } from '../../store/runs.ts';
import type { Store } from '../../store/store.ts';
import { addStoreOptions, storeOptionsFrom, type StoreFlags } from '../context.ts';
import { nonNegativeNumber } from '../parse.ts';

async function withStore<T>(flags: StoreFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(storeOptionsFrom(flags));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('schema management on chDB or a ClickHouse server (init, migrate, status, prune)');

  addStoreOptions(db.command('init').description('create the database and apply every migration (with --cluster: replicated tables and Distributed tables over them)'))
    .option('--ttl-days <n>', 'drop rows older than this many days (servers with TTL)', nonNegativeNumber)
    .action(async (flags: StoreFlags & { ttlDays?: number }) => {
      await withStore(flags, async (store) => {
        const applied = await migrate(store, await ddlOptionsOf(store, { ttlDays: flags.ttlDays }));
        process.stdout.write(`${store.description}: ${applied.length ? `applied migrations ${applied.join(', ')}` : 'up to date'}\n`);
      });
    });

  addStoreOptions(db.command('migrate').description('apply pending migrations')).action(async (flags: StoreFlags) => {
    await withStore(flags, async (store) => {
      const applied = await migrate(store, await ddlOptionsOf(store));
      process.stdout.write(applied.length ? `applied migrations ${applied.join(', ')}\n` : 'no pending migrations\n');
    });
  });

  addStoreOptions(db.command('status').description('server version, applied and pending migrations, rows per table'))
    .option('--json', 'print JSON')
    .action(async (flags: StoreFlags & { json?: boolean }) => {
      await withStore(flags, async (store) => {
        const s = await dbStatus(store);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...s, migrations: { applied: s.migrations.applied, pending: s.migrations.pending.map((m) => ({ version: m.version, name: m.name })) } }, null, 2)}\n`);
          return;
        }
        const lines = [`${s.description} (ClickHouse ${s.version})`, `runs: ${s.runs}`];
        for (const m of s.migrations.applied) lines.push(`applied  ${m.version}  ${m.name}  (${m.applied_at})`);
        for (const m of s.migrations.pending) lines.push(`pending  ${m.version}  ${m.name}`);
        for (const [t, n] of Object.entries(s.rows)) lines.push(`${t.padEnd(16)} ${n} rows`);
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

  addStoreOptions(db.command('prune').description('delete runs: by id, or started more than N days ago'))
    .option('--run <id...>', 'run ids to delete')
    .option('--older-than <days>', 'delete runs started more than this many days ago', nonNegativeNumber)
    .option('--dry-run', 'list the runs without deleting')
    .action(async (flags: StoreFlags & { run?: string[]; olderThan?: number; dryRun?: boolean }) => {
      if (!flags.run?.length && flags.olderThan === undefined) throw new UsageError('db prune: give --run ID… or --older-than DAYS');
      await withStore(flags, async (store) => {
        const ids = await pruneRuns(store, { runIds: flags.run, olderThanDays: flags.olderThan, dryRun: flags.dryRun });
        process.stdout.write(`${flags.dryRun ? 'would delete' : 'deleted'} ${ids.length} run(s)${ids.length ? `: ${ids.join(', ')}` : ''}\n`);
      });
    });
}

export function registerExportCommands(program: Command): void {
  addStoreOptions(
    program
      .command('export')
      .description("write a run's rows as Arrow IPC files or CSV, one file per table")
      .requiredOption('--run <id>', 'run id')
      .addOption(new Option('--format <format>', 'arrow (Arrow IPC file) or csv').choices(['arrow', 'csv']).default('arrow'))
      .option('--table <name...>', `tables to export (default all: ${Object.keys(TABLES).join(', ')})`)
      .option('--out <dir>', 'output directory (default reports/out/<run>/data)'),
  ).action(async (flags: StoreFlags & { run: string; format: ExportFormat; table?: string[]; out?: string }) => {
    for (const t of flags.table ?? []) if (!(t in TABLES)) throw new UsageError(`--table ${t}: expected one of ${Object.keys(TABLES).join(', ')}`);
    await withStore(flags, async (store) => {
      if (!(await runExists(store, flags.run))) throw new UsageError(`run "${flags.run}" is not in ${store.description}`);
      const files = await exportRun(store, {
        runId: flags.run,
        format: flags.format,
        outDir: resolve(flags.out ?? join('reports/out', flags.run, 'data')),
        tables: flags.table as TableName[] | undefined,
      });
      for (const f of files) process.stdout.write(`${f.path}  ${f.rows} rows\n`);
    });
  });
}
