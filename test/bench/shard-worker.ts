// One replay worker for the shard bench, in its own process as in a real
// sharded run: sends its shard of a synthetic trace to the given targets from
// the common start, and prints one JSON line with its jobs, wall time and CPU.
// Usage: shard-worker.ts <index> <count> <jobs> <perSecond> <startAtMs> <address>...
// With BENCH_CLICKHOUSE_URL set, its rows go through the batch writer into
// that ClickHouse server, as a deployed worker's do (encoding and inserts are
// part of its CPU); otherwise they are only counted.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseStore } from '../../harness/store/clickhouse-store.ts';
import { BatchWriter } from '../../harness/store/writer.ts';
import { systemClock } from '../../harness/common/clock.ts';
import { silentLogger } from '../../harness/common/logger.ts';
import { mirrorRun } from '../../harness/replay/mirror-run.ts';
import { CountingSink, syntheticJobs } from './replay.bench.ts';

const [index, count, jobs, perSecond, startAtMs] = process.argv.slice(2, 7).map(Number) as [number, number, number, number, number];
const addresses = process.argv.slice(7);
const counting = new CountingSink();
const url = process.env.BENCH_CLICKHOUSE_URL;
const store = url ? new ClickHouseStore({ url, database: 'mb_bench_shard' }) : undefined;
await store?.init();
const writer = store ? new BatchWriter(store, { logger: silentLogger(), dataDir: mkdtempSync(join(tmpdir(), 'mb-shard-bench-')) }) : undefined;
const sink = writer
  ? { add: ((t, r) => (counting.add(t, r), writer.add(t, r))) as typeof counting.add, pressure: () => writer.pressure(), waitForCapacity: () => writer.waitForCapacity() }
  : counting;
const speed = perSecond > 0 ? 1 : 1e9;
const cpu0 = process.cpuUsage();
await mirrorRun({
  runId: `bench-shard-${startAtMs}`,
  scenario: 'bench',
  seed: 1,
  speed,
  targets: addresses.map((address, i) => ({ name: `trivial${i}`, address })),
  trace: { path: 'synthetic', checksum: '', jobs: syntheticJobs(jobs, perSecond > 0 ? perSecond : 1e6) },
  selection: { shard: { index, count } },
  sink,
  clock: systemClock(),
  logger: silentLogger(),
  startAtUs: startAtMs * 1000,
  traceStartUs: 1_700_000_000_000_000,
  maxInFlightPerTarget: 2000,
  worker: { shard: { index, count }, host: 'bench', resumes: 0 },
});
await writer?.close();
const endMs = Date.now();
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ index, jobs: counting.counts.job_results ? counting.counts.job_results / addresses.length : 0, wallMs: endMs - startAtMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
process.exit(0);
