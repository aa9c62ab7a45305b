// Export figures: a run's job events out of chDB page by page, by keyset
// ranges of the sorting key (what `mirrorbench export` does) against
// LIMIT/OFFSET over FINAL (what it did), same page size. Query time only for
// both, so the comparison is of the reads, not of writing CSV.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../../harness/store/chdb-store.ts';
import { exportRun } from '../../harness/store/export.ts';

export async function exportBench() {
  const rows = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
  const pageRows = Number(process.env.BENCH_EXPORT_PAGE ?? 50_000);
  const dir = mkdtempSync(join(tmpdir(), 'mb-bench-export-'));
  let queryMs = 0;
  const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench', onQuery: (q) => (queryMs += q.elapsedMs) });
  try {
    await store.init();
    await store.exec(
      `INSERT INTO {db:Identifier}.job_events (run_id, target, job_id, seq, type, target_at_us, received_at_us, event_date)
       SELECT 'bench', if(number % 2 = 0, 'baseline', 'decentralized'), concat('job-', toString(cityHash64(intDiv(number, 6)) % 1000000007)), number % 3,
              'PROGRESS', toInt64(number), toInt64(number), toDateTime(1700000000)
       FROM system.numbers LIMIT {n:UInt64}`,
      { db: store.database, n: rows },
    );
    let t = performance.now();
    const [file] = await exportRun(store, { runId: 'bench', format: 'csv', outDir: join(dir, 'out'), tables: ['job_events'], pageRows });
    const keysetTotalMs = performance.now() - t;
    const keysetQueryMs = queryMs;
    queryMs = 0;
    t = performance.now();
    let offsetRows = 0;
    for (let offset = 0; ; offset += pageRows) {
      const page = await store.query(
        'SELECT * FROM {db:Identifier}.job_events FINAL WHERE run_id = {run:String} ORDER BY run_id, target, job_id, seq LIMIT {page:UInt32} OFFSET {offset:UInt64}',
        { db: store.database, run: 'bench', page: pageRows, offset },
      );
      offsetRows += page.length;
      if (page.length < pageRows) break;
    }
    return {
      rows: file!.rows,
      pageRows,
      keysetQueriesMs: Math.round(keysetQueryMs),
      keysetExportWithCsvMs: Math.round(keysetTotalMs),
      limitOffsetQueriesMs: Math.round(queryMs),
      limitOffsetRows: offsetRows,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
