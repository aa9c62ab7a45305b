// Append-only local spool for rows the database could not take. One JSONL
// file per table under <dataDir>/spool/, appended and fsync'd before the rows
// leave memory, replayed (then removed) once the database is back. Inserting a
// spooled batch twice is harmless: every table is a ReplacingMergeTree keyed
// on stable ids, so reads with FINAL count a row once.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES, type RowOf, type TableName } from '../events/schema.ts';

export class Spool {
  constructor(readonly dir: string) {}

  append<T extends TableName>(table: T, rows: readonly RowOf<T>[]): void {
    if (rows.length === 0) return;
    mkdirSync(this.dir, { recursive: true });
    const fd = openSync(join(this.dir, `${table}.jsonl`), 'a');
    try {
      writeSync(fd, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Sets aside rows the database refused as data, with the reason, under
   * rejected/: kept for a person to look at, never retried automatically.
   */
  reject<T extends TableName>(table: T, rows: readonly RowOf<T>[], reason: string): void {
    const dir = join(this.dir, 'rejected');
    mkdirSync(dir, { recursive: true });
    const fd = openSync(join(dir, `${table}.jsonl`), 'a');
    try {
      writeSync(fd, rows.map((row) => JSON.stringify({ reason, row })).join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Rows set aside as refused, per table. */
  rejected(): Partial<Record<TableName, number>> {
    return new Spool(join(this.dir, 'rejected')).pending();
  }

  /** Tables with spooled rows and how many. */
  pending(): Partial<Record<TableName, number>> {
    const out: Partial<Record<TableName, number>> = {};
    if (!existsSync(this.dir)) return out;
    for (const f of readdirSync(this.dir)) {
      const m = /^(\w+)\.jsonl(\.draining\.\d+)?$/.exec(f);
      if (!m || !(m[1]! in TABLES)) continue;
      const table = m[1] as TableName;
      out[table] = (out[table] ?? 0) + readFileSync(join(this.dir, f), 'utf8').split('\n').filter(Boolean).length;
    }
    return out;
  }

  /**
   * Hands each table's spooled rows to `insert`; a table's file is removed only
   * after its insert succeeded. The file is renamed first so rows spooled
   * meanwhile go to a fresh file.
   */
  async drain(insert: <T extends TableName>(table: T, rows: RowOf<T>[]) => Promise<void>): Promise<number> {
    if (!existsSync(this.dir)) return 0;
    let n = 0;
    for (const f of readdirSync(this.dir).sort()) {
      const m = /^(\w+)\.jsonl(\.draining\.\d+)?$/.exec(f);
      if (!m || !(m[1]! in TABLES)) continue;
      const table = m[1] as TableName;
      let path = join(this.dir, f);
      if (!m[2]) {
        // Rows spooled while this drain runs go to a fresh file.
        const draining = `${path}.draining.${Date.now()}`;
        renameSync(path, draining);
        path = draining;
      }
      const rows = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RowOf<typeof table>);
      for (let i = 0; i < rows.length; i += 10_000) await insert(table, rows.slice(i, i + 10_000));
      rmSync(path);
      n += rows.length;
    }
    return n;
  }
}
