// The embedded default: chDB (ClickHouse in-process), data in a project-local
// folder. All calls go through chDB's async API so inserts and reports never
// block the replay's event loop.
import { mkdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Session } from 'chdb';
import { DEFAULTS } from '../common/defaults.ts';
import { StoreError } from '../common/errors.ts';
import { TABLES, type RowOf, type TableName } from '../events/schema.ts';
import { storeErrorOf } from './classify.ts';
import { columnsOf } from './ddl.ts';
import { arrowOrTextInSlices, encodeRows, type InsertFormat } from './encode.ts';
import { rowBinaryOrTextInSlices } from './row-binary.ts';
import { EngineStore } from './engine-store.ts';
import { assertIdentifier, bindQuery } from './bind.ts';
import type { QueryParams, QueryStats } from './store.ts';

export interface ChdbStoreOptions {
  path: string;
  database: string;
  insertFormat?: InsertFormat;
  ttlDays?: number;
  /** Told what each query() read (rows, time). */
  onQuery?: (stats: QueryStats) => void;
}

/**
 * Measured by `npm run bench -- store` (README "Stored data"): an Arrow IPC
 * file goes in several times faster than JSONEachRow or TabSeparated text.
 */
export const CHDB_INSERT_FORMAT: InsertFormat = 'ArrowStream';

/** Per process, not per store: two stores on one data directory never share a file name. */
let insertFiles = 0;

/** The table's columns and types, as file() needs them for a format that carries no schema. */
function structureOf(table: TableName): string {
  return Object.entries(TABLES[table].columns).map(([name, type]) => `${name} ${type}`).join(', ');
}

export class ChdbStore extends EngineStore {
  readonly description: string;
  readonly database: string;
  readonly cluster = undefined;
  private session: Session | undefined;
  /**
   * chDB runs one streaming read per session, and any other statement on the
   * session ends it ("No active streaming query"). So a stream waits for the
   * statements in flight, and statements wait for the streams before them.
   */
  private streamsDone: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly opts: ChdbStoreOptions) {
    super();
    this.description = `chdb at ${opts.path}`;
    this.database = assertIdentifier('database', opts.database);
  }

  protected get ttlDays(): number | undefined {
    return this.opts.ttlDays;
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

  async insert<T extends TableName>(table: T, rows: readonly RowOf<T>[]): Promise<void> {
    if (rows.length === 0) return;
    const format = this.opts.insertFormat ?? CHDB_INSERT_FORMAT;
    try {
      const slice = DEFAULTS.store.batchRows;
      const file = format === 'ArrowStream' ? await arrowOrTextInSlices(table, rows, slice) : format === 'RowBinary' ? await rowBinaryOrTextInSlices(table, rows, slice) : undefined;
      if (file) await this.insertFile(table, format as 'ArrowStream' | 'RowBinary', file);
      else {
        // A batch neither binary format can carry exactly goes as JSON, where the engine judges each row.
        const text = format === 'ArrowStream' || format === 'RowBinary' ? 'JSONEachRow' : format;
        const payload = encodeRows(table, rows, text);
        await this.shared(() => this.open().insert({
          table: `${this.opts.database}.${table}`,
          values: Buffer.from(payload),
          format: text,
          columns: columnsOf(table),
        }));
      }
    } catch (cause) {
      throw storeErrorOf(cause, `insert of ${rows.length} rows into ${table} failed`);
    }
  }

  /**
   * chDB's raw insert takes text formats only; a binary file read by the
   * engine's file() table function skips text parsing altogether. The file
   * lives beside the data for the one statement. RowBinary carries no schema,
   * so the statement names the columns' types.
   */
  private async insertFile(table: TableName, format: 'ArrowStream' | 'RowBinary', payload: Uint8Array | Buffer[]): Promise<void> {
    const dir = join(this.opts.path, 'insert-files');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${table}-${process.pid}-${insertFiles++}.${format === 'ArrowStream' ? 'arrows' : 'rowbinary'}`);
    await writeFile(file, payload);
    try {
      const cols = columnsOf(table).join(', ');
      const into = `INSERT INTO {db:Identifier}.{table:Identifier} (${cols}) SELECT ${cols} FROM`;
      const sql = format === 'ArrowStream'
        ? bindQuery(`${into} file({file:String}, 'ArrowStream')`, { db: this.opts.database, table, file })
        : bindQuery(`${into} file({file:String}, 'RowBinary', {structure:String})`, { db: this.opts.database, table, file, structure: structureOf(table) });
      await this.shared(() => this.open().queryAsync(sql, { format: 'CSV' }));
    } finally {
      await rm(file, { force: true });
    }
  }

  private async shared<T>(op: () => Promise<T>): Promise<T> {
    await this.streamsDone;
    this.inFlight++;
    try {
      return await op();
    } finally {
      if (--this.inFlight === 0) for (const wake of this.idle.splice(0)) wake();
    }
  }

  async query<R = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<R[]> {
    const text = bindQuery(sql, params);
    let out: string;
    const started = performance.now();
    try {
      const res = await this.shared(() => this.open().queryAsync(text, { format: 'JSONEachRow' }));
      out = res.text();
      this.opts.onQuery?.({ sql: text, rowsRead: res.rowsRead, elapsedMs: performance.now() - started });
    } catch (cause) {
      throw storeErrorOf(cause, `query failed\n${text}\n`);
    }
    const rows: R[] = [];
    for (const line of out.split('\n')) if (line) rows.push(JSON.parse(line) as R);
    return rows;
  }

  async *stream<R = Record<string, unknown>>(sql: string, params?: QueryParams): AsyncGenerator<R[]> {
    const text = bindQuery(sql, params);
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const before = this.streamsDone;
    this.streamsDone = before.then(() => mine);
    try {
      await before;
      while (this.inFlight > 0) await new Promise<void>((r) => this.idle.push(r));
      let it: AsyncIterator<{ rows<T>(): T[] }>;
      try {
        it = this.open().queryStream(text, { format: 'JSONEachRow' })[Symbol.asyncIterator]();
      } catch (cause) {
        throw storeErrorOf(cause, `query failed\n${text}\n`);
      }
      try {
        for (;;) {
          let next: IteratorResult<{ rows<T>(): T[] }>;
          try {
            next = await it.next();
          } catch (cause) {
            throw storeErrorOf(cause, `streamed query failed\n${text}\n`);
          }
          if (next.done) return;
          const batch = next.value.rows<R>();
          if (batch.length) yield batch;
        }
      } finally {
        // A loop that stops early cancels the engine's stream, which would otherwise hold the session.
        await it.return?.();
      }
    } finally {
      release();
    }
  }

  async exec(sql: string, params?: QueryParams): Promise<void> {
    const text = bindQuery(sql, params);
    try {
      await this.shared(() => this.open().queryAsync(text, { format: 'CSV' }));
    } catch (cause) {
      throw storeErrorOf(cause, `statement failed\n${text}\n`);
    }
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = undefined;
  }
}
