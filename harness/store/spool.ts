// Append-only local spool for rows the database could not take. One JSONL
// file per table under <dataDir>/spool/, appended and fsync'd before the rows
// leave memory, replayed (then removed) once the database is back. Inserting a
// spooled batch twice is harmless: every table is a ReplacingMergeTree keyed
// on stable ids, so reads with FINAL count a row once.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES, type RowOf, type TableName } from '../events/schema.ts';

/** Appends lines to <dir>/<table>.jsonl and fsyncs before returning: the rows are on disk when this returns. */
function appendLines(dir: string, table: TableName, lines: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  const fd = openSync(join(dir, `${table}.jsonl`), 'a');
  try {
    writeSync(fd, lines.join('\n') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The spool files in `dir` (`<table>.jsonl`, or one renamed for a drain in progress), oldest name first. */
function spoolFiles(dir: string): { name: string; table: TableName; draining: boolean }[] {
  if (!existsSync(dir)) return [];
  const out: { name: string; table: TableName; draining: boolean }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = /^(\w+)\.jsonl(\.draining\.\d+)?$/.exec(name);
    if (m && m[1]! in TABLES) out.push({ name, table: m[1] as TableName, draining: Boolean(m[2]) });
  }
  return out;
}

export class Spool {
  constructor(readonly dir: string) {}

  append<T extends TableName>(table: T, rows: readonly RowOf<T>[]): void {
    if (rows.length === 0) return;
    appendLines(this.dir, table, rows.map((r) => JSON.stringify(r)));
  }

  /**
   * Sets aside rows the database refused as data, with the reason, under
   * rejected/: kept for a person to look at, never retried automatically.
   */
  reject<T extends TableName>(table: T, rows: readonly RowOf<T>[], reason: string): void {
    appendLines(join(this.dir, 'rejected'), table, rows.map((row) => JSON.stringify({ reason, row })));
  }

  /** Rows set aside as refused, per table. */
  rejected(): Partial<Record<TableName, number>> {
    return new Spool(join(this.dir, 'rejected')).pending();
  }

  /** Tables with spooled rows and how many. */
  pending(): Partial<Record<TableName, number>> {
    const out: Partial<Record<TableName, number>> = {};
    for (const { name, table } of spoolFiles(this.dir)) {
      out[table] = (out[table] ?? 0) + readFileSync(join(this.dir, name), 'utf8').split('\n').filter(Boolean).length;
    }
    return out;
  }

  /**
   * The rows still waiting in the spool for one table, oldest file first
   * (lines that are not whole rows are skipped: the drain sets them aside).
   * A resume reads these so outcomes not yet in the database count as known.
   */
  *rows<T extends TableName>(table: T): Generator<RowOf<T>> {
    for (const f of spoolFiles(this.dir)) {
      if (f.table !== table) continue;
      for (const line of readFileSync(join(this.dir, f.name), 'utf8').split('\n')) {
        if (!line) continue;
        try {
          yield JSON.parse(line) as RowOf<T>;
        } catch {
          continue;
        }
      }
    }
  }

  /** Sets aside spool lines that are not whole rows (an append cut off by a crash), as they were. */
  private rejectLines(table: TableName, lines: readonly string[], reason: string): void {
    appendLines(join(this.dir, 'rejected'), table, lines.map((line) => JSON.stringify({ reason, line })));
  }

  /**
   * Hands each spool file's rows to `insert`; a file is removed only after all
   * its rows went in. A file that fails stays for the next drain and the
   * others are still written: one bad file never holds back the rest (it
   * used to stop the drain, blocking later runs' rows too). A line that is
   * not a whole row is set aside under rejected/. The file is renamed first
   * so rows spooled meanwhile go to a fresh file.
   */
  async drain(insert: <T extends TableName>(table: T, rows: RowOf<T>[]) => Promise<void>): Promise<DrainResult> {
    const result: DrainResult = { rows: 0, failed: [] };
    for (const f of spoolFiles(this.dir)) {
      const table = f.table;
      let path = join(this.dir, f.name);
      if (!f.draining) {
        // Rows spooled while this drain runs go to a fresh file.
        const draining = `${path}.draining.${Date.now()}`;
        renameSync(path, draining);
        path = draining;
      }
      const rows: RowOf<typeof table>[] = [];
      const broken: string[] = [];
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          rows.push(JSON.parse(line) as RowOf<typeof table>);
        } catch {
          broken.push(line);
        }
      }
      try {
        for (let i = 0; i < rows.length; i += 10_000) await insert(table, rows.slice(i, i + 10_000));
      } catch (error) {
        result.failed.push({ file: path, table, error });
        continue;
      }
      if (broken.length) this.rejectLines(table, broken, 'not a whole JSON row (an append cut off by a crash?)');
      rmSync(path);
      result.rows += rows.length;
    }
    return result;
  }
}

export interface DrainResult {
  /** Rows written. */
  rows: number;
  /** Files that could not be written; they stay for the next drain. */
  failed: { file: string; table: TableName; error: unknown }[];
}
