// The embedded default: chDB (ClickHouse in-process), data in a project-local
// folder. All calls go through chDB's async API so inserts and reports never
// block the replay's event loop.
import { mkdirSync } from 'node:fs';
import { Session } from 'chdb';
import { StoreError } from '../common/errors.ts';
import type { RowOf, TableName } from '../events/schema.ts';
import { columnsOf, schemaSql } from './ddl.ts';
import type { Store } from './store.ts';

export interface ChdbStoreOptions {
  path: string;
  database: string;
}

export class ChdbStore implements Store {
  readonly description: string;
  private session: Session | undefined;

  constructor(private readonly opts: ChdbStoreOptions) {
    this.description = `chdb at ${opts.path}`;
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
    for (const sql of schemaSql({ database: this.opts.database })) await this.exec(sql);
  }

  async insert<T extends TableName>(table: T, rows: readonly RowOf<T>[]): Promise<void> {
    if (rows.length === 0) return;
    let payload = '';
    for (const row of rows) payload += JSON.stringify(row) + '\n';
    try {
      await this.open().insert({
        table: `${this.opts.database}.${table}`,
        values: Buffer.from(payload),
        format: 'JSONEachRow',
        columns: columnsOf(table),
      });
    } catch (cause) {
      throw new StoreError('STORE_QUERY', `insert of ${rows.length} rows into ${table} failed: ${String(cause)}`, { cause });
    }
  }

  async query<R = Record<string, unknown>>(sql: string): Promise<R[]> {
    let text: string;
    try {
      text = (await this.open().queryAsync(sql, { format: 'JSONEachRow' })).text();
    } catch (cause) {
      throw new StoreError('STORE_QUERY', `query failed: ${String(cause)}\n${sql}`, { cause });
    }
    const out: R[] = [];
    for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as R);
    return out;
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.open().queryAsync(sql, { format: 'CSV' });
    } catch (cause) {
      throw new StoreError('STORE_QUERY', `statement failed: ${String(cause)}\n${sql}`, { cause });
    }
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = undefined;
  }
}
