// Starts the targets the replay figures are measured against (in their own
// process) and runs them.
import { fileURLToPath } from 'node:url';
import { bareThroughput, lateness, replayThroughput } from './replay.bench.ts';
import { spawnJsonLine } from './spawn.ts';

export async function replayBench() {
  const proc = await spawnJsonLine<string[]>([fileURLToPath(new URL('./target-process.ts', import.meta.url)), '2']);
  const targets = proc.value.map((address, i) => ({ name: `t${i}`, address }));
  try {
    const n = Number(process.env.BENCH_JOBS ?? 20_000);
    await replayThroughput(targets, 2_000); // warm-up
    const replay = await replayThroughput(targets, n);
    const bare = await bareThroughput(targets, n);
    const fidelity = [];
    for (const rate of [1_000, 5_000]) fidelity.push(await lateness(targets, rate, 5));
    return { jobs: n, replayJobsPerSec: Math.round(replay), bareJobsPerSec: Math.round(bare), ratio: Number((replay / bare).toFixed(3)), fidelity };
  } finally {
    await proc.stop();
  }
}
