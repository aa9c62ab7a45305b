// A ClickHouse server (or a cluster through any of its nodes) via the official
// HTTP client. The same DDL as chDB, rendered for the server's version; the
// password only ever lives in the client config, never in the description or
// a log line.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { DEFAULTS } from '../common/defaults.ts';
import { ConfigError } from '../common/errors.ts';
import { redactUrl } from '../common/redact.ts';
import type { RowOf, TableName } from '../events/schema.ts';
import { storeErrorOf } from './classify.ts';
import { columnsOf } from './ddl.ts';
import { arrowOrTextInSlices, encodeRows, type InsertFormat } from './encode.ts';
import { rowBinaryOrTextInSlices } from './row-binary.ts';
import { EngineStore } from './engine-store.ts';
import { assertIdentifier, bindQuery } from './bind.ts';
import type { QueryParams, QueryStats } from './store.ts';

export interface ClickHouseStoreOptions {
  url: string;
  user?: string;
  password?: string;
  database: string;
  cluster?: string;
  /** PEM file of the CA that signed the server's certificate (https URLs). */
  caCertPath?: string;
  requestTimeoutMs?: number;
  insertFormat?: InsertFormat;
  ttlDays?: number;
  /** Told what each query() read (rows, time); rowsRead from X-ClickHouse-Summary, absent on servers before 19. */
  onQuery?: (stats: QueryStats) => void;
}

/** Rows read, from the X-ClickHouse-Summary header the server sends with a result (19.x and later). */
function rowsReadOf(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['x-clickhouse-summary'];
  try {
    const n = Number((JSON.parse(String(raw)) as { read_rows?: string }).read_rows);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Measured by `npm run bench -- store` (README "Stored data"): on the 18.16
 * server RowBinary goes in faster than JSONEachRow or TabSeparated.
 */
export const CLICKHOUSE_INSERT_FORMAT: InsertFormat = 'RowBinary';

export class ClickHouseStore extends EngineStore {
  readonly description: string;
  readonly database: string;
  readonly cluster: string | undefined;
  private readonly client: ClickHouseClient;

  constructor(private readonly opts: ClickHouseStoreOptions) {
    super();
    let parsed: URL;
    try {
      parsed = new URL(opts.url);
    } catch {
      throw new ConfigError(`ClickHouse URL "${redactUrl(opts.url)}" is not a valid URL (expected e.g. http://127.0.0.1:8123)`);
    }
    this.database = assertIdentifier('database', opts.database);
    this.cluster = opts.cluster ? assertIdentifier('cluster', opts.cluster) : opts.cluster;
    this.description = `clickhouse ${redactUrl(opts.url)}${opts.cluster ? ` cluster ${opts.cluster}` : ''} database ${opts.database}`;
    let tls: { ca_cert: Buffer } | undefined;
    if (opts.caCertPath) {
      try {
        tls = { ca_cert: readFileSync(opts.caCertPath) };
      } catch (cause) {
        throw new ConfigError(`cannot read the CA certificate ${opts.caCertPath}: ${String(cause)}`, { cause });
      }
    }
    this.client = createClient({
      url: `${parsed.protocol}//${parsed.host}`,
      username: opts.user ?? (decodeURIComponent(parsed.username) || 'default'),
      password: opts.password ?? decodeURIComponent(parsed.password),
      request_timeout: opts.requestTimeoutMs ?? DEFAULTS.store.requestTimeoutMs,
      ...(tls ? { tls } : {}),
      // On a cluster, an insert returns once every shard has its rows, so a read right after sees them
      // and a failed insert is retried by us rather than queued on the node's disk.
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0, ...(opts.cluster ? { insert_distributed_sync: 1 } : {}) },
      // Failures reach our own logger with context; the client's console output would duplicate them.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  protected get ttlDays(): number | undefined {
    return this.opts.ttlDays;
  }

  async insert<T extends TableName>(table: T, rows: readonly RowOf<T>[]): Promise<void> {
    if (rows.length === 0) return;
    let format = this.opts.insertFormat ?? CLICKHOUSE_INSERT_FORMAT;
    try {
      // A server before Arrow input gets RowBinary (its fastest format in the store bench) rather than an error that would set the rows aside.
      if (format === 'ArrowStream' && !(await this.features()).arrowStream) format = 'RowBinary';
      const slice = DEFAULTS.store.batchRows;
      const body = format === 'ArrowStream' ? await arrowOrTextInSlices(table, rows, slice) : format === 'RowBinary' ? await rowBinaryOrTextInSlices(table, rows, slice) : undefined;
      if (body) {
        await this.insertBody(table, format as 'ArrowStream' | 'RowBinary', body);
        return;
      }
      // A batch neither binary format can carry exactly goes as JSON, where the server judges each row.
      if (format === 'ArrowStream' || format === 'RowBinary') format = 'JSONEachRow';
      await this.client.insert({
        table: `${this.database}.${table}`,
        // JSON rows go as objects (the client serializes them); text formats as one pre-encoded chunk.
        values: format === 'JSONEachRow' ? (rows as unknown[]) : Readable.from([Buffer.from(encodeRows(table, rows, format))], { objectMode: false }),
        format,
        columns: columnsOf(table) as [string, ...string[]],
      });
    } catch (cause) {
      throw storeErrorOf(cause, `insert of ${rows.length} rows into ${table} at ${redactUrl(this.opts.url)} failed`);
    }
  }

  /** A binary body: @clickhouse/client's insert() takes neither format, so the statement goes with the bytes as its body. */
  private async insertBody(table: TableName, format: 'ArrowStream' | 'RowBinary', body: Uint8Array | Buffer[]): Promise<void> {
    const parts = Array.isArray(body) ? body : [Buffer.from(body.buffer, body.byteOffset, body.byteLength)];
    const res = await this.client.exec({
      query: `INSERT INTO ${this.database}.${table} (${columnsOf(table).join(', ')}) FORMAT ${format}`,
      values: Readable.from(parts, { objectMode: false }),
    });
    // Read to its (empty) end rather than destroyed: a destroyed response closes the keep-alive socket, and the next insert pays a new connection.
    for await (const chunk of res.stream) void chunk;
  }

  async query<R = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<R[]> {
    const text = bindQuery(sql, params);
    const started = performance.now();
    try {
      const rs = await this.client.query({ query: text, format: 'JSONEachRow' });
      const rows = await rs.json<R>();
      this.opts.onQuery?.({ sql: text, rowsRead: rowsReadOf(rs.response_headers), elapsedMs: performance.now() - started });
      return rows;
    } catch (cause) {
      throw storeErrorOf(cause, `query at ${redactUrl(this.opts.url)} failed\n${text}\n`);
    }
  }

  async *stream<R = Record<string, unknown>>(sql: string, params?: QueryParams): AsyncGenerator<R[]> {
    const text = bindQuery(sql, params);
    const fail = (cause: unknown) => storeErrorOf(cause, `streamed query at ${redactUrl(this.opts.url)} failed\n${text}\n`);
    let rs;
    try {
      rs = await this.client.query({ query: text, format: 'JSONEachRow' });
    } catch (cause) {
      throw fail(cause);
    }
    const stream = rs.stream<R>();
    try {
      for await (const rows of stream) {
        const batch = (rows as { json<T>(): T }[]).map((r) => r.json<R>());
        if (batch.length) yield batch;
      }
    } catch (cause) {
      throw fail(cause);
    } finally {
      // A loop that breaks early must not leave the response (and its socket) half read.
      stream.destroy();
    }
  }

  async exec(sql: string, params?: QueryParams): Promise<void> {
    const text = bindQuery(sql, params);
    try {
      await this.client.command({ query: text });
    } catch (cause) {
      throw storeErrorOf(cause, `statement at ${redactUrl(this.opts.url)} failed\n${text}\n`);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
