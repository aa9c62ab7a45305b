// What every command shares: the logger, store options from flags and
// environment, and the Ctrl-C handling that turns a signal into an abort.
import type { Command } from 'commander';
import { createLogger, type Logger } from '../common/logger.ts';
import { UsageError } from '../common/errors.ts';
import { STORE_ENV, type StoreOptions } from '../store/open.ts';

/**
 * Exit codes a script or a campaign can rely on (README "The CLI"): 4 means the
 * run finished but its comparison is INCONCLUSIVE (summary.json validity), so
 * it must never be taken for a pass; an interrupt wins over it, and it over a
 * failed threshold. 5: a worker of a sharded run reached the common start
 * (--start-at) later than its bound and did not start (START_LATE).
 */
export const EXIT = { ok: 0, unexpected: 1, badInput: 2, thresholdFailed: 3, inconclusive: 4, startLate: 5, interrupted: 130 } as const;

export function loggerFor(opts: { verbose?: boolean; quiet?: boolean }): Logger {
  return createLogger({ level: opts.verbose ? 'debug' : opts.quiet ? 'warn' : undefined });
}

export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--store <kind>', 'chdb (embedded, default) or clickhouse (a server; chosen by default when MIRRORBENCH_CLICKHOUSE_URL is set)')
    .option('--url <url>', 'ClickHouse server URL, http(s)://host:port (or MIRRORBENCH_CLICKHOUSE_URL)')
    .option('--user <user>', 'ClickHouse user (or MIRRORBENCH_CLICKHOUSE_USER); the password is read from MIRRORBENCH_CLICKHOUSE_PASSWORD only')
    .option('--database <name>', 'database name (or MIRRORBENCH_CLICKHOUSE_DATABASE)', undefined)
    .option('--cluster <name>', 'ClickHouse cluster: replicated, sharded tables (or MIRRORBENCH_CLICKHOUSE_CLUSTER)')
    .option('--ca-cert <file>', 'PEM CA certificate for an https URL (or MIRRORBENCH_CLICKHOUSE_CA_CERT)')
    .option('--data-dir <dir>', 'where embedded data, spool and generated traces live', '.mirrorbench');
}

export interface StoreFlags {
  store?: string;
  url?: string;
  user?: string;
  database?: string;
  cluster?: string;
  caCert?: string;
  dataDir?: string;
}

export function storeOptionsFrom(o: StoreFlags): StoreOptions {
  const kind = o.store ?? (o.url || process.env[STORE_ENV.url] ? 'clickhouse' : 'chdb');
  if (kind !== 'chdb' && kind !== 'clickhouse') throw new UsageError(`--store ${kind}: expected chdb or clickhouse`);
  return { kind, url: o.url, user: o.user, database: o.database, cluster: o.cluster, caCertPath: o.caCert, dataDir: o.dataDir };
}

/**
 * First SIGINT/SIGTERM: stop sending, let in-flight jobs finish, flush the
 * store. A second one exits at once.
 */
export function abortOnSignals(logger: Logger): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      logger.warn({ signal: sig }, 'stopping: no more jobs sent, draining in-flight jobs and flushing the store (again to force)');
      controller.abort(new Error(`received ${sig}`));
    } else {
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** What a command that runs or plans a scenario hands to harness/run/: its logger, store, folders and the Ctrl-C abort. */
export interface RunContext {
  logger: Logger;
  store: StoreOptions;
  dataDir?: string;
  reportsDir?: string;
  signal: AbortSignal;
}

/** Runs `body` with the command's run context; the signal handlers live exactly as long as it. */
export async function withRunContext<T>(flags: StoreFlags & { reportsDir?: string; verbose?: boolean; quiet?: boolean }, body: (ctx: RunContext) => Promise<T>): Promise<T> {
  const logger = loggerFor(flags);
  const store = storeOptionsFrom(flags);
  const signals = abortOnSignals(logger);
  try {
    return await body({ logger, store, dataDir: flags.dataDir, reportsDir: flags.reportsDir, signal: signals.signal });
  } finally {
    signals.dispose();
  }
}
