// Sharded replay figures (issue 20): fan-out of one worker and of two worker
// processes against two trivial targets (answering at once, in a process of
// their own), and what a worker costs in CPU per 1,000 jobs/s, from which the
// README derives how many workers a trace's rate needs. On a 2-core machine
// two workers plus the targets cannot scale linearly; the CPU cost is the
// figure that carries to a bigger machine.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serverCommand, startClickHouseServer } from '../helpers/clickhouse-server.ts';
import { spawnJsonLine } from './spawn.ts';

const TARGET_PROCESS = fileURLToPath(new URL('./target-process.ts', import.meta.url));
const WORKER = fileURLToPath(new URL('./shard-worker.ts', import.meta.url));

interface WorkerResult {
  index: number;
  jobs: number;
  wallMs: number;
  cpuMs: number;
}

function worker(args: (string | number)[], env: Record<string, string> = {}): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult) : reject(new Error(`shard worker exited ${code}`))));
  });
}

/** n workers on one trace from one common start (a few seconds ahead, so every process is up). */
async function workers(n: number, jobs: number, perSecond: number, addresses: string[], env: Record<string, string> = {}) {
  const startAtMs = Date.now() + 4_000;
  const rs = await Promise.all(Array.from({ length: n }, (_, i) => worker([i, n, jobs, perSecond, startAtMs, ...addresses], env)));
  const sent = rs.reduce((s, r) => s + r.jobs, 0);
  const wallMs = Math.max(...rs.map((r) => r.wallMs));
  return {
    workers: n,
    jobs: sent,
    fanOutJobsPerSec: Math.round(sent / (wallMs / 1000)),
    perWorker: rs.map((r) => ({ shard: `${r.index}/${n}`, jobs: r.jobs, seconds: Number((r.wallMs / 1000).toFixed(2)), cpuSeconds: Number((r.cpuMs / 1000).toFixed(2)) })),
    // CPU-seconds a worker spends per 1,000 jobs sent (to 2 targets), i.e. cores it keeps busy at 1,000 jobs/s.
    cpuCoresPer1000JobsPerSec: Number((rs.reduce((s, r) => s + r.cpuMs, 0) / sent).toFixed(3)),
  };
}

export async function shardBench() {
  const jobs = Number(process.env.BENCH_SHARD_JOBS ?? 20_000);
  const rate = Number(process.env.BENCH_SHARD_RATE ?? 500);
  const targets = await spawnJsonLine<string[]>([TARGET_PROCESS, 'instant', '2']);
  try {
    const addresses = targets.value;
    await workers(1, 2_000, 0, addresses); // warm-up
    const one = await workers(1, jobs, 0, addresses);
    const two = await workers(2, jobs, 0, addresses);
    // At a fixed rate, the CPU a worker needs to keep it: the marginal cost a deployment plans with — rows counted only,
    // then written through the batch writer into a ClickHouse server process (its CPU is the server's, not the worker's).
    const paced = await workers(1, rate * 10, rate, addresses);
    let pacedWithStore: unknown = 'no clickhouse-server binary: skipped';
    if (serverCommand()) {
      const server = await startClickHouseServer();
      try {
        pacedWithStore = await workers(1, rate * 10, rate, addresses, { BENCH_CLICKHOUSE_URL: server.url });
      } finally {
        await server.stop();
      }
    }
    return {
      targets: 'two scripted targets answering at once with COMPLETED + SETTLED (one separate process); each job goes to both',
      saturated: { oneWorker: one, twoWorkers: two, speedup: Number((two.fanOutJobsPerSec / one.fanOutJobsPerSec).toFixed(2)) },
      paced: { perSecond: rate, seconds: 10, rowsCountedOnly: paced, rowsIntoClickHouseServer: pacedWithStore },
    };
  } finally {
    await targets.stop();
  }
}
