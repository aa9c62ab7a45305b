// Chooses the store from flags and environment: chDB (embedded) by default,
// a ClickHouse server when a URL is given.
import { join } from 'node:path';
import { DEFAULTS } from '../common/defaults.ts';
import { ConfigError } from '../common/errors.ts';
import { ChdbStore } from './chdb-store.ts';
import type { Store } from './store.ts';

export interface StoreOptions {
  kind?: 'chdb' | 'clickhouse';
  dataDir?: string;
  path?: string;
  url?: string;
  user?: string;
  password?: string;
  database?: string;
}

export function openStore(opts: StoreOptions = {}): Store {
  const kind = opts.kind ?? 'chdb';
  const database = opts.database ?? DEFAULTS.database;
  if (kind === 'chdb') {
    return new ChdbStore({ path: opts.path ?? join(opts.dataDir ?? DEFAULTS.dataDir, DEFAULTS.chdbDir), database });
  }
  throw new ConfigError(`store "${kind}": the ClickHouse server backend is not available in this build; use --store chdb`);
}
