// What every command shares: the logger, store options from flags and
// environment, and the Ctrl-C handling that turns a signal into an abort.
import type { Command } from 'commander';
import { createLogger, type Logger } from '../common/logger.ts';
import type { StoreOptions } from '../store/open.ts';

export function loggerFor(opts: { verbose?: boolean; quiet?: boolean }): Logger {
  return createLogger({ level: opts.verbose ? 'debug' : opts.quiet ? 'warn' : undefined });
}

export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--store <kind>', 'chdb (embedded, default) or clickhouse (server; password from MIRRORBENCH_CLICKHOUSE_PASSWORD)')
    .option('--url <url>', 'ClickHouse server URL (or MIRRORBENCH_CLICKHOUSE_URL)')
    .option('--user <user>', 'ClickHouse user (or MIRRORBENCH_CLICKHOUSE_USER)')
    .option('--data-dir <dir>', 'where embedded data, spool and generated traces live', '.mirrorbench');
}

export function storeOptionsFrom(o: { store?: string; url?: string; user?: string; dataDir?: string }): StoreOptions {
  const kind = o.store ?? (process.env.MIRRORBENCH_CLICKHOUSE_URL ? 'clickhouse' : 'chdb');
  return { kind: kind as StoreOptions['kind'], url: o.url, user: o.user, dataDir: o.dataDir };
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
      process.exit(130);
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
