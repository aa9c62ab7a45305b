// What the two engines (chDB, the ClickHouse server) do alike, written once:
// the features read from `SELECT version()` and kept, and `init` = apply
// the pending migrations. Each engine adds how it talks to ClickHouse.
import type { RowOf, TableName } from '../events/schema.ts';
import { featuresOf, type ServerFeatures } from './dialect.ts';
import { ddlOptionsOf, migrate } from './migrations.ts';
import type { QueryParams, Store } from './store.ts';

export abstract class EngineStore implements Store {
  abstract readonly description: string;
  abstract readonly database: string;
  abstract readonly cluster: string | undefined;
  private serverFeatures: ServerFeatures | undefined;

  /** Row TTL in days for `init` (servers with TTL), from the engine's options. */
  protected abstract get ttlDays(): number | undefined;

  abstract insert<T extends TableName>(table: T, rows: readonly RowOf<T>[]): Promise<void>;
  abstract query<R = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<R[]>;
  abstract stream<R = Record<string, unknown>>(sql: string, params?: QueryParams): AsyncIterable<R[]>;
  abstract exec(sql: string, params?: QueryParams): Promise<void>;
  abstract close(): Promise<void>;

  async features(): Promise<ServerFeatures> {
    if (!this.serverFeatures) {
      const [row] = await this.query<{ v: string }>('SELECT version() AS v');
      this.serverFeatures = featuresOf(row?.v ?? '');
    }
    return this.serverFeatures;
  }

  async init(): Promise<void> {
    await migrate(this, await ddlOptionsOf(this, { ttlDays: this.ttlDays }));
  }
}
