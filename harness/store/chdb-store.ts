// The embedded default: chDB (ClickHouse in-process), data in a project-local
// folder. All calls go through chDB's async API so inserts and reports never
// block the replay's event loop.
import { mkdirSync } from 'node:fs';
import { Session } from 'chdb';
import { StoreError } from '../common/errors.ts';
import type { RowOf, TableName } from '../events/schema.ts';
import { storeErrorOf } from './classify.ts';
import { columnsOf } from './ddl.ts';
import { featuresOf, type ServerFeatures } from './dialect.ts';
import { encodeRows, type InsertFormat } from './encode.ts';
import { ddlOptionsOf, migrate } from './migrations.ts';
import type { Store } from './store.ts';

export interface ChdbStoreOptions {
  path: string;
  database: string;
  insertFormat?: InsertFormat;
  ttlDays?: number;
}

export class ChdbStore implements Store {
  readonly description: string;
  readonly database: string;
  readonly cluster = undefined;
  private session: Session | undefined;
  private serverFeatures: ServerFeatures | undefined;

  constructor(private readonly opts: ChdbStoreOptions) {
    this.description = `chdb at ${opts.path}`;
    this.database = opts.database;
  }

  async features(): Promise<ServerFeatures> {
    if (!this.serverFeatures) {
      const [row] = await this.query<{ v: string }>('SELECT version() AS v');
      this.serverFeatures = featuresOf(row?.v ?? '');
    }
    return this.serverFeatures;
  }

  private open(): Session {
    if (!this.session) {
      try {
        mkdirSync(this.opts.path, { recursive: true });
        this.session = new Session(this.opts.path, {
          // Report queries read 64-bit counters as JSON numbers.
          connectionArgs: ['--output_format_json_quote_64bit_integers=0'],
        });
      } catch (cause) {
        throw new StoreError('STORE_UNAVAILABLE', `cannot open chDB data directory ${this.opts.path}: ${String(cause)}`, { cause });
      }
    }
    return this.session;
  }

  async init(): Promise<void> {
    await migrate(this, await ddlOptionsOf(this, { ttlDays: this.opts.ttlDays }));
  }

  async insert<T extends TableName>(table: T, rows: readonly RowOf<T>[]): Promise<void> {
    if (rows.length === 0) return;
    const format = this.opts.insertFormat ?? 'JSONEachRow';
    const payload = encodeRows(table, rows, format);
    try {
      await this.open().insert({
        table: `${this.opts.database}.${table}`,
        values: Buffer.from(payload),
        format,
        columns: columnsOf(table),
      });
    } catch (cause) {
      throw storeErrorOf(cause, `insert of ${rows.length} rows into ${table} failed`);
    }
  }

  async query<R = Record<string, unknown>>(sql: string): Promise<R[]> {
    let text: string;
    try {
      text = (await this.open().queryAsync(sql, { format: 'JSONEachRow' })).text();
    } catch (cause) {
      throw storeErrorOf(cause, `query failed\n${sql}\n`);
    }
    const out: R[] = [];
    for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as R);
    return out;
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.open().queryAsync(sql, { format: 'CSV' });
    } catch (cause) {
      throw storeErrorOf(cause, `statement failed\n${sql}\n`);
    }
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = undefined;
  }
}
