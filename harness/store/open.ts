// Chooses the store from flags and environment: chDB (embedded) by default,
// a ClickHouse server when a URL is given. The password comes from the
// environment only, so it never appears in shell history or `ps`.
import { join } from 'node:path';
import { DEFAULTS } from '../common/defaults.ts';
import { ConfigError } from '../common/errors.ts';
import { ChdbStore } from './chdb-store.ts';
import { ClickHouseStore } from './clickhouse-store.ts';
import type { InsertFormat } from './encode.ts';
import type { Store } from './store.ts';

export interface StoreOptions {
  kind?: 'chdb' | 'clickhouse';
  dataDir?: string;
  path?: string;
  url?: string;
  user?: string;
  password?: string;
  database?: string;
  cluster?: string;
  caCertPath?: string;
  insertFormat?: InsertFormat;
  ttlDays?: number;
}

export const STORE_ENV = {
  url: 'MIRRORBENCH_CLICKHOUSE_URL',
  user: 'MIRRORBENCH_CLICKHOUSE_USER',
  password: 'MIRRORBENCH_CLICKHOUSE_PASSWORD',
  database: 'MIRRORBENCH_CLICKHOUSE_DATABASE',
  cluster: 'MIRRORBENCH_CLICKHOUSE_CLUSTER',
  caCert: 'MIRRORBENCH_CLICKHOUSE_CA_CERT',
} as const;

export function openStore(opts: StoreOptions = {}, env: NodeJS.ProcessEnv = process.env): Store {
  const kind = opts.kind ?? 'chdb';
  const database = opts.database ?? env[STORE_ENV.database] ?? DEFAULTS.database;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new ConfigError(`database name "${database}" must be letters, digits and underscores`);
  if (kind === 'chdb') {
    return new ChdbStore({
      path: opts.path ?? join(opts.dataDir ?? DEFAULTS.dataDir, DEFAULTS.chdbDir),
      database,
      insertFormat: opts.insertFormat,
      ttlDays: opts.ttlDays,
    });
  }
  if (kind === 'clickhouse') {
    const url = opts.url ?? env[STORE_ENV.url];
    if (!url) throw new ConfigError(`store "clickhouse" needs --url or ${STORE_ENV.url} (e.g. http://127.0.0.1:8123)`);
    const cluster = opts.cluster ?? env[STORE_ENV.cluster];
    if (cluster && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(cluster)) throw new ConfigError(`cluster name "${cluster}" must be letters, digits and underscores`);
    return new ClickHouseStore({
      url,
      user: opts.user ?? env[STORE_ENV.user],
      password: opts.password ?? env[STORE_ENV.password],
      database,
      cluster,
      caCertPath: opts.caCertPath ?? env[STORE_ENV.caCert],
      insertFormat: opts.insertFormat,
      ttlDays: opts.ttlDays,
    });
  }
  throw new ConfigError(`store "${String(kind)}" is not known: use chdb or clickhouse`);
}
