// Store figures (issue 4): rows per second into each backend through the
// batch writer, against a bare insert of the same rows in the same batches
// (chDB's Session.insert, @clickhouse/client's insert), for each insert
// format. Job results are the widest rows and the bulk of a run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import { Session } from 'chdb';
import { DEFAULTS } from '../../harness/common/defaults.ts';
import { dateOfUs, type RowOf } from '../../harness/events/schema.ts';
import { ChdbStore } from '../../harness/store/chdb-store.ts';
import { ClickHouseStore } from '../../harness/store/clickhouse-store.ts';
import { columnsOf } from '../../harness/store/ddl.ts';
import { encodeRows, type InsertFormat } from '../../harness/store/encode.ts';
import type { Store } from '../../harness/store/store.ts';
import { BatchWriter } from '../../harness/store/writer.ts';
import { serverCommand, startClickHouseServer } from '../helpers/clickhouse-server.ts';

function resultRows(n: number, runId: string): RowOf<'job_results'>[] {
  const t0 = 1_760_000_000_000_000;
  const out: RowOf<'job_results'>[] = [];
  for (let i = 0; i < n; i++) {
    const at = t0 + i * 1000;
    out.push({
      run_id: runId, target: i % 2 ? 'decentralized' : 'baseline', target_kind: i % 2 ? 'decentralized' : 'baseline', job_id: `j${i >> 1}`,
      customer: `c${i % 97}`, profile: 'chat', task_type: 'llm_inference', gpu_class: 'rtx4090', gpu_count: 1, work_seconds: 3.5,
      submitted_at_us: at, intended_at_us: at, sent_at_us: at + 50, first_event_at_us: at + 900, started_at_us: at + 2000, finished_at_us: at + 9000,
      lateness_us: 50, queue_us: 2000, exec_us: 7000, total_us: 9000, status: 'completed', error_class: '', attempts: 1, providers_tried: 1,
      provider_losses: 0, offers: 4, provider_id: `p${i % 500}`, price_per_hour: 0.31, billed_gpu_seconds: 7.1, cost_native: 0.0006, currency: 'USD',
      cost_usd: 0.0006, image_bytes: 5_530_000_000, input_bytes: 2000, output_bytes: 8000, events: 7, intended_date: dateOfUs(at),
    });
  }
  return out;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

async function viaWriter(store: Store, rows: RowOf<'job_results'>[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'mb-bench-w-'));
  const s = await timed(async () => {
    const w = new BatchWriter(store, { dataDir: dir });
    for (const r of rows) {
      w.add('job_results', r);
      if (w.pressure()) await w.waitForCapacity();
    }
    await w.close();
  });
  rmSync(dir, { recursive: true, force: true });
  return rows.length / s;
}

function batches<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export async function storeBench() {
  const n = Number(process.env.BENCH_ROWS ?? 300_000);
  const size = DEFAULTS.store.batchRows;
  const out: Record<string, unknown> = { rows: n, batchRows: size };

  // chDB
  for (const format of ['JSONEachRow', 'TabSeparated'] as InsertFormat[]) {
    const dir = mkdtempSync(join(tmpdir(), 'mb-bench-chdb-'));
    const store = new ChdbStore({ path: join(dir, 'w'), database: 'mirrorbench', insertFormat: format });
    await store.init();
    await store.insert('job_results', resultRows(20_000, `warm-${format}`));
    const writer = await viaWriter(store, resultRows(n, `w-${format}`));
    await store.close();
    // Bare: the same rows, same batches, straight into chDB's insert (chDB allows one data directory per process).
    const session = new Session(join(dir, 'w'));
    const rows = resultRows(n, `b-${format}`);
    const s = await timed(async () => {
      for (const b of batches(rows, size)) await session.insert({ table: 'mirrorbench.job_results', values: Buffer.from(encodeRows('job_results', b, format)), format, columns: columnsOf('job_results') });
    });
    session.close();
    rmSync(dir, { recursive: true, force: true });
    out[`chdb ${format}`] = { writerRowsPerSec: Math.round(writer), bareRowsPerSec: Math.round(n / s), ratio: Number((writer / (n / s)).toFixed(3)) };
  }

  // ClickHouse server
  if (!serverCommand()) {
    out.server = 'skipped: no clickhouse-server binary';
    return out;
  }
  const server = await startClickHouseServer();
  try {
    for (const format of ['JSONEachRow', 'TabSeparated'] as InsertFormat[]) {
      const store = new ClickHouseStore({ url: server.url, database: 'mirrorbench', insertFormat: format });
      await store.init();
      const [v] = await store.query<{ v: string }>('SELECT version() AS v');
      // Warm the server (first parts, caches) so neither measurement pays for it.
      await store.insert('job_results', resultRows(20_000, `warm-${format}`));
      const writer = await viaWriter(store, resultRows(n, `w-${format}`));
      await store.close();
      const client = createClient({ url: server.url });
      const rows = resultRows(n, `b-${format}`);
      const s = await timed(async () => {
        for (const b of batches(rows, size)) {
          if (format === 'JSONEachRow') await client.insert({ table: 'mirrorbench.job_results', values: b, format });
          else await client.insert({ table: 'mirrorbench.job_results', values: Readable.from([Buffer.from(encodeRows('job_results', b, format))], { objectMode: false }), format });
        }
      });
      await client.close();
      out[`clickhouse ${v?.v} ${format}`] = { writerRowsPerSec: Math.round(writer), bareRowsPerSec: Math.round(n / s), ratio: Number((writer / (n / s)).toFixed(3)) };
    }
  } finally {
    await server.stop();
  }
  return out;
}
