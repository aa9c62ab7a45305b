// Store figures (issues 4, 13): rows per second into each backend through the
// batch writer (its capacity: rows handed to it faster than it writes), for
// each insert format, beside the rows per second the replay hands the store at
// its best rate, and a bare insert of the same rows in batches of batchRows
// (chDB's Session.insert or a binary file through file(), @clickhouse/client).
// For each backend's default format also: the writer as it was before issue 13
// (one batch per insert), and the writer fed at the replay's rate for a few
// seconds. Job results are the widest rows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { Session } from 'chdb';
import { DEFAULTS } from '../../harness/common/defaults.ts';
import { dateOfUs, TABLES, type RowOf } from '../../harness/events/schema.ts';
import { CHDB_INSERT_FORMAT, ChdbStore } from '../../harness/store/chdb-store.ts';
import { CLICKHOUSE_INSERT_FORMAT, ClickHouseStore } from '../../harness/store/clickhouse-store.ts';
import { columnsOf } from '../../harness/store/ddl.ts';
import { encodeArrowStream, encodeRows, type InsertFormat } from '../../harness/store/encode.ts';
import { rowBinaryOrText } from '../../harness/store/row-binary.ts';
import type { Store } from '../../harness/store/store.ts';
import { BatchWriter, type BatchWriterOptions } from '../../harness/store/writer.ts';
import { serverCommand, startClickHouseServer } from '../helpers/clickhouse-server.ts';
import { CountingSink, replayThroughput } from './replay.bench.ts';
import { TARGET_PROCESS } from './replay-suite.ts';
import { spawnJsonLine } from './spawn.ts';

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

interface WriterFigures {
  rowsPerSec: number;
  inserts: number;
}

async function viaWriter(store: Store, rows: RowOf<'job_results'>[], opts: BatchWriterOptions = {}): Promise<WriterFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'mb-bench-w-'));
  let inserts = 0;
  const s = await timed(async () => {
    const w = new BatchWriter(store, { dataDir: dir, ...opts });
    for (const r of rows) {
      w.add('job_results', r);
      if (w.pressure()) await w.waitForCapacity();
    }
    await w.close();
    inserts = w.stats().batches;
  });
  rmSync(dir, { recursive: true, force: true });
  return { rowsPerSec: rows.length / s, inserts };
}

/**
 * The writer fed at a fixed rate (the replay's best), as a replay feeds it,
 * for a few seconds: does it ever hold the producer back, how many rows pile
 * up, and how long after the last row is everything in.
 */
async function pacedWriter(store: Store, rowsPerSec: number, seconds: number, runId: string, opts: BatchWriterOptions = {}) {
  const pool = resultRows(Math.min(200_000, Math.ceil(rowsPerSec * seconds)), runId);
  const dir = mkdtempSync(join(tmpdir(), 'mb-bench-p-'));
  const w = new BatchWriter(store, { dataDir: dir, ...opts });
  const total = Math.round(rowsPerSec * seconds);
  let added = 0;
  let maxBuffered = 0;
  let pressureWaits = 0;
  const t0 = performance.now();
  while (added < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rowsPerSec));
    for (; added < due; added++) w.add('job_results', pool[added % pool.length]!);
    maxBuffered = Math.max(maxBuffered, w.stats().buffered);
    if (w.pressure()) {
      pressureWaits++;
      await w.waitForCapacity();
    } else await new Promise((r) => setTimeout(r, 1));
  }
  const fedS = (performance.now() - t0) / 1000;
  const last = performance.now();
  await w.close();
  const stats = w.stats();
  rmSync(dir, { recursive: true, force: true });
  return {
    rowsPerSec: Math.round(total / fedS), seconds: Number(fedS.toFixed(2)), pressureWaits, maxBuffered,
    inserts: stats.batches, msToStoreAfterLastRow: Math.round(performance.now() - last), keptUp: pressureWaits === 0,
  };
}

function batches<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** The same rows, same batches, straight into chDB: its raw insert for text, a binary file through file() for ArrowStream and RowBinary. */
async function bareChdb(session: Session, dir: string, b: RowOf<'job_results'>[], format: InsertFormat): Promise<void> {
  if (format !== 'ArrowStream' && format !== 'RowBinary') {
    await session.insert({ table: 'mirrorbench.job_results', values: Buffer.from(encodeRows('job_results', b, format)), format, columns: columnsOf('job_results') });
    return;
  }
  const file = join(dir, 'bare.bin');
  writeFileSync(file, format === 'ArrowStream' ? encodeArrowStream('job_results', b) : rowBinaryOrText('job_results', b)!);
  const cols = columnsOf('job_results').join(', ');
  const structure = Object.entries(TABLES.job_results.columns).map(([name, type]) => `${name} ${type}`).join(', ');
  const source = format === 'ArrowStream' ? `file('${file}', 'ArrowStream')` : `file('${file}', 'RowBinary', '${structure}')`;
  await session.queryAsync(`INSERT INTO mirrorbench.job_results (${cols}) SELECT ${cols} FROM ${source}`, { format: 'CSV' });
}

/** An INSERT with a binary body through @clickhouse/client, its empty response read to the end so the socket is kept. */
async function bareBody(client: ClickHouseClient, format: 'ArrowStream' | 'RowBinary', body: Uint8Array): Promise<void> {
  const cols = columnsOf('job_results');
  const res = await client.exec({ query: `INSERT INTO mirrorbench.job_results (${cols.join(', ')}) FORMAT ${format}`, values: Readable.from([Buffer.from(body)], { objectMode: false }) });
  for await (const chunk of res.stream) void chunk;
}

/**
 * Rows per second the replay hands the store at its best rate: a fan-out to
 * two trivial targets (own process) as fast as it sends, every row counted.
 */
async function replayRowRate(n: number): Promise<{ jobsPerSec: number; rowsPerJob: number; rowsPerSec: number }> {
  const trivial = await spawnJsonLine<string[]>([TARGET_PROCESS, 'scripted', '2']);
  try {
    const targets = trivial.value.map((address, i) => ({ name: `trivial${i}`, address }));
    await replayThroughput(targets, 2_000); // warm-up
    const sink = new CountingSink();
    const jobsPerSec = await replayThroughput(targets, n, undefined, sink);
    const rows = Object.values(sink.counts).reduce((a, b) => a + (b ?? 0), 0);
    return { jobsPerSec: Math.round(jobsPerSec), rowsPerJob: Number((rows / n).toFixed(2)), rowsPerSec: Math.round((jobsPerSec * rows) / n) };
  } finally {
    await trivial.stop();
  }
}

export async function storeBench() {
  const n = Number(process.env.BENCH_ROWS ?? 300_000);
  const pacedS = Number(process.env.BENCH_PACED_S ?? 3);
  // Rates to feed the writer at besides the replay's measured one (rows/s, comma-separated): e.g. the replay's best rate
  // measured on a quiet machine, since on a loaded one the replay slows down more than the writer.
  const extraRates = (process.env.BENCH_PACED_RATES ?? '').split(',').filter(Boolean).map(Number);
  const pacedAll = async (store: Store, format: string, opts: BatchWriterOptions = {}) => {
    const at: Record<string, unknown> = { [`${replay.rowsPerSec} (replay, this run)`]: await pacedWriter(store, replay.rowsPerSec, pacedS, `p-${format}`, opts) };
    for (const r of extraRates) at[String(r)] = await pacedWriter(store, r, pacedS, `p${r}-${format}`, opts);
    return at;
  };
  const size = DEFAULTS.store.batchRows;
  const replay = await replayRowRate(Number(process.env.BENCH_JOBS ?? 10_000));
  const out: Record<string, unknown> = {
    // The machine's load when the section starts: on a shared machine the figures move with it.
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    rows: n, batchRows: size, maxInsertRows: size * DEFAULTS.store.maxInsertBatches,
    goal: 'writer capacity (job_results rows/s, the widest rows) above what the replay produces at its best rate',
    replayAtBestRate: replay,
  };
  const verdict = (writer: WriterFigures) => ({
    writerRowsPerSec: Math.round(writer.rowsPerSec), keepsUp: writer.rowsPerSec > replay.rowsPerSec,
    headroom: Number((writer.rowsPerSec / replay.rowsPerSec).toFixed(2)), inserts: writer.inserts,
  });
  // The writer as it was before issue 13: one batch per insert, whatever is waiting.
  const oneBatch = { maxInsertRows: size };

  // chDB
  for (const format of ['JSONEachRow', 'TabSeparated', 'ArrowStream', 'RowBinary'] as InsertFormat[]) {
    const dir = mkdtempSync(join(tmpdir(), 'mb-bench-chdb-'));
    const store = new ChdbStore({ path: join(dir, 'w'), database: 'mirrorbench', insertFormat: format });
    await store.init();
    await store.insert('job_results', resultRows(20_000, `warm-${format}`));
    const writer = await viaWriter(store, resultRows(n, `w-${format}`));
    const isDefault = format === CHDB_INSERT_FORMAT;
    const before = isDefault ? await viaWriter(store, resultRows(n, `w1-${format}`), oneBatch) : undefined;
    const paced = isDefault ? await pacedAll(store, format) : undefined;
    await store.close();
    // Bare: chDB allows one data directory per process, so the same one.
    const session = new Session(join(dir, 'w'));
    const rows = resultRows(n, `b-${format}`);
    const s = await timed(async () => {
      for (const b of batches(rows, size)) await bareChdb(session, dir, b, format);
    });
    session.close();
    rmSync(dir, { recursive: true, force: true });
    out[`chdb ${format}${isDefault ? ' (default)' : ''}`] = {
      ...verdict(writer), bareRowsPerSec: Math.round(n / s),
      ...(before ? { oneBatchPerInsert: verdict(before), pacedAtReplayRate: paced } : {}),
    };
  }

  // ClickHouse server
  if (!serverCommand()) {
    out.server = 'skipped: no clickhouse-server binary';
    return out;
  }
  const server = await startClickHouseServer();
  try {
    for (const format of ['JSONEachRow', 'TabSeparated', 'RowBinary', 'ArrowStream'] as InsertFormat[]) {
      const store = new ClickHouseStore({ url: server.url, database: 'mirrorbench', insertFormat: format });
      await store.init();
      const features = await store.features();
      if (format === 'ArrowStream' && !features.arrowStream) {
        out[`clickhouse ${features.version} ArrowStream`] = `not measured: this server takes no Arrow input (the store sends it RowBinary instead)`;
        await store.close();
        continue;
      }
      // Warm the server (first parts, caches) so neither measurement pays for it.
      await store.insert('job_results', resultRows(20_000, `warm-${format}`));
      const writer = await viaWriter(store, resultRows(n, `w-${format}`));
      const isDefault = format === CLICKHOUSE_INSERT_FORMAT;
      // JSONEachRow one batch per insert is the server path before issue 13; RowBinary that way separates the two levers.
      const before = isDefault || format === 'JSONEachRow' ? await viaWriter(store, resultRows(n, `w1-${format}`), oneBatch) : undefined;
      const paced = isDefault ? await pacedAll(store, format) : undefined;
      const pacedBefore = format === 'JSONEachRow' ? await pacedAll(store, format, oneBatch) : undefined;
      await store.close();
      const client = createClient({ url: server.url });
      const rows = resultRows(n, `b-${format}`);
      const s = await timed(async () => {
        for (const b of batches(rows, size)) {
          if (format === 'JSONEachRow') await client.insert({ table: 'mirrorbench.job_results', values: b, format });
          else if (format === 'TabSeparated') await client.insert({ table: 'mirrorbench.job_results', values: Readable.from([Buffer.from(encodeRows('job_results', b, format))], { objectMode: false }), format });
          else await bareBody(client, format, format === 'ArrowStream' ? encodeArrowStream('job_results', b) : rowBinaryOrText('job_results', b)!);
        }
      });
      await client.close();
      out[`clickhouse ${features.version} ${format}${isDefault ? ' (default)' : ''}`] = {
        ...verdict(writer), bareRowsPerSec: Math.round(n / s),
        ...(before ? { oneBatchPerInsert: { ...verdict(before), ...(pacedBefore ? { pacedAtReplayRate: pacedBefore } : {}) } } : {}),
        ...(paced ? { pacedAtReplayRate: paced } : {}),
      };
    }
  } finally {
    await server.stop();
  }
  return out;
}
