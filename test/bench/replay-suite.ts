// Replay figures against both simulators running in their own process.
import { fileURLToPath } from 'node:url';
import { bareThroughput, lateness, replayThroughput } from './replay.bench.ts';
import { spawnJsonLine } from './spawn.ts';

export async function replayBench() {
  const proc = await spawnJsonLine<string[]>([fileURLToPath(new URL('./target-process.ts', import.meta.url)), 'sims']);
  const targets = [
    { name: 'baseline', address: proc.value[0]! },
    { name: 'decentralized', address: proc.value[1]! },
  ];
  try {
    const n = Number(process.env.BENCH_JOBS ?? 20_000);
    await replayThroughput(targets, 2_000); // warm-up
    const replay = await replayThroughput(targets, n);
    const bare = await bareThroughput(targets, n);
    const fidelity = [];
    for (const rate of [1_000, 5_000]) fidelity.push(await lateness(targets, rate, 5));
    return {
      targets: 'baseline + decentralized simulators (one separate process)',
      jobs: n,
      replayJobsPerSec: Math.round(replay),
      bareGrpcLoopJobsPerSec: Math.round(bare),
      ratio: Number((replay / bare).toFixed(3)),
      lateness: fidelity,
    };
  } finally {
    await proc.stop();
  }
}
