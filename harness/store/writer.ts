// The batched asynchronous writer between the replay and the store: rows are
// added synchronously and cheaply, inserted in large batches (by size or every
// flush interval), one insert in flight per table. When rows arrive faster
// than one batch per insert, the next insert takes every full batch waiting
// (up to maxInsertRows): an insert costs the server a fixed ~40–80 ms here
// whatever its size (a new part), so a writer that is behind catches up in
// fewer, larger inserts instead of falling further behind, and rows still go
// in the order they came, one insert at a time. A failed insert is retried
// with backoff; if the database stays away the batch goes to the local spool
// and is written when it answers again. Nothing is lost, nothing is counted
// twice (see spool.ts), and the replay is told to slow down when rows pile up.
// A batch the database refuses as data is split until the refused rows are
// found; only those are set aside (spool/rejected/), the rest go in.
import { join } from 'node:path';
import { DEFAULTS } from '../common/defaults.ts';
import { silentLogger, type Logger } from '../common/logger.ts';
import { TABLES, type RowOf, type TableName } from '../events/schema.ts';
import { isRejectedData } from './classify.ts';
import { Spool } from './spool.ts';
import type { Store } from './store.ts';
import { retry } from '../common/retry.ts';
import { errorMessage, StoreError } from '../common/errors.ts';

export interface BatchWriterOptions {
  batchRows?: number;
  /** The largest insert a writer that is behind makes, in rows (whole batches); default 10 batches. */
  maxInsertRows?: number;
  flushIntervalMs?: number;
  /** Above this many buffered rows the writer reports pressure. */
  maxBufferedRows?: number;
  dataDir?: string;
  logger?: Logger;
  retry?: { attempts?: number; baseDelayMs?: number };
}

type Buffers = { [T in TableName]: RowOf<T>[] };

export class BatchWriter {
  private readonly buffers = Object.fromEntries(Object.keys(TABLES).map((t) => [t, []])) as unknown as Buffers;
  private readonly inFlight = new Map<TableName, Promise<void>>();
  private readonly written = Object.fromEntries(Object.keys(TABLES).map((t) => [t, 0])) as Record<TableName, number>;
  private batches = 0;
  private failures = 0;
  private spooled = 0;
  private rejected = 0;
  private buffered = 0;
  private readonly timer: NodeJS.Timeout;
  /** Where rows wait while the database is away. */
  readonly spool: Spool;
  private readonly batchRows: number;
  private readonly maxInsertRows: number;
  private readonly maxBuffered: number;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly logger: Logger;
  private waiters: (() => void)[] = [];
  private storeDown = false;

  constructor(private readonly store: Store, opts: BatchWriterOptions = {}) {
    this.batchRows = opts.batchRows ?? DEFAULTS.store.batchRows;
    this.maxInsertRows = Math.max(this.batchRows, opts.maxInsertRows ?? this.batchRows * DEFAULTS.store.maxInsertBatches);
    this.maxBuffered = opts.maxBufferedRows ?? this.batchRows * 20;
    this.attempts = opts.retry?.attempts ?? DEFAULTS.store.insertAttempts;
    this.baseDelayMs = opts.retry?.baseDelayMs ?? DEFAULTS.store.retryBaseMs;
    this.logger = opts.logger ?? silentLogger();
    this.spool = new Spool(join(opts.dataDir ?? DEFAULTS.dataDir, 'spool'));
    this.timer = setInterval(() => void this.tick(), opts.flushIntervalMs ?? DEFAULTS.store.flushIntervalMs);
    this.timer.unref();
  }

  add<T extends TableName>(table: T, row: RowOf<T>): void {
    const buf = this.buffers[table] as RowOf<T>[];
    buf.push(row);
    this.buffered++;
    if (buf.length >= this.batchRows && !this.inFlight.has(table)) void this.flushTable(table);
  }

  pressure(): boolean {
    return this.buffered > this.maxBuffered;
  }

  waitForCapacity(): Promise<void> {
    if (!this.pressure()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stats() {
    return { written: { ...this.written }, batches: this.batches, failures: this.failures, spooled: this.spooled, rejected: this.rejected, buffered: this.buffered };
  }

  private async tick(): Promise<void> {
    for (const t of Object.keys(TABLES) as TableName[]) if (this.buffers[t].length && !this.inFlight.has(t)) void this.flushTable(t);
    if (this.storeDown || this.spooled) await this.drainSpool().catch(() => undefined);
  }

  private flushTable(table: TableName): Promise<void> {
    const existing = this.inFlight.get(table);
    if (existing) return existing;
    const buf = this.buffers[table];
    // Whole batches only (a partial one waits for the timer, as it always has), every one waiting up to the cap.
    const take = buf.length < this.batchRows ? buf.length : Math.min(this.maxInsertRows, buf.length - (buf.length % this.batchRows));
    const rows = buf.splice(0, take) as RowOf<typeof table>[];
    if (rows.length === 0) return Promise.resolve();
    const p = this.insertWithRetry(table, rows).finally(() => {
      this.buffered -= rows.length;
      this.inFlight.delete(table);
      if (!this.pressure()) for (const w of this.waiters.splice(0)) w();
      if (this.buffers[table].length >= this.batchRows) void this.flushTable(table);
    });
    this.inFlight.set(table, p);
    return p;
  }

  private async insertWithRetry<T extends TableName>(table: T, rows: RowOf<T>[]): Promise<void> {
    // While the store is known to be down, go straight to the spool.
    try {
      await retry(() => this.insertIsolating(table, rows), {
        attempts: this.storeDown ? 1 : this.attempts,
        baseMs: this.baseDelayMs,
        onFailure: (err, i) => {
          this.failures++;
          this.logger.warn({ table, rows: rows.length, attempt: i + 1, err: errorMessage(err) }, 'insert failed');
        },
      });
      this.batches++;
      return;
    } catch {
      // Every try failed (each logged): the rows go to the spool.
    }
    this.storeDown = true;
    this.spool.append(table, rows);
    this.spooled += rows.length;
    this.logger.warn({ table, rows: rows.length, spool: this.spool.dir }, 'database unreachable: rows spooled to disk');
  }

  /**
   * Inserts rows; when the database refuses them as data, halves the batch
   * until the refused rows are alone and sets only those aside. Other errors
   * propagate (the database is away: retry or spool).
   */
  private async insertIsolating<T extends TableName>(table: T, rows: RowOf<T>[]): Promise<void> {
    try {
      await this.store.insert(table, rows);
      this.written[table] += rows.length;
    } catch (err) {
      if (!isRejectedData(err)) throw err;
      if (rows.length === 1) {
        this.spool.reject(table, rows, errorMessage(err));
        this.rejected++;
        this.logger.error({ table, spool: this.spool.dir, err: errorMessage(err) }, 'row refused by the database: set aside in spool/rejected');
        return;
      }
      const mid = rows.length >> 1;
      await this.insertIsolating(table, rows.slice(0, mid));
      await this.insertIsolating(table, rows.slice(mid));
    }
  }

  /**
   * Writes spooled rows to the database; resolves with how many went in.
   * Rejects when the database is still away (the rows stay on disk). A file
   * the database answers but will not take is kept and logged, and the
   * other files are written all the same.
   */
  async drainSpool(): Promise<number> {
    const { rows: n, failed } = await this.spool.drain((table, rows) => this.insertIsolating(table, rows));
    if (n) {
      this.spooled = Math.max(0, this.spooled - n);
      this.logger.info({ rows: n }, 'spooled rows written to the database');
    }
    const away = failed.find((f) => !(f.error instanceof StoreError) || f.error.code === 'STORE_UNAVAILABLE');
    for (const f of failed.filter((x) => x !== away)) {
      this.logger.error({ table: f.table, file: f.file, err: errorMessage(f.error) }, 'spool file not written: the database refused the insert; kept for the next drain');
    }
    if (away) throw new StoreError('STORE_UNAVAILABLE', `spooled rows stay in ${this.spool.dir}: ${errorMessage(away.error)}`, { cause: away.error });
    this.storeDown = false;
    return n;
  }

  async flush(): Promise<void> {
    for (;;) {
      const pending = (Object.keys(TABLES) as TableName[]).filter((t) => this.buffers[t].length || this.inFlight.has(t));
      if (pending.length === 0) return;
      await Promise.all(pending.map((t) => this.inFlight.get(t) ?? this.flushTable(t)));
    }
  }

  /** Flushes everything; spooled rows are drained if the database answers (else they stay on disk for next time). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    try {
      await this.drainSpool();
    } catch (err) {
      this.logger.warn({ err: errorMessage(err), spool: this.spool.dir }, 'spooled rows stay on disk until the database is back');
    }
  }
}
