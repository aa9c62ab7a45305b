// Simulator figures (issue 3): simulated jobs per second each simulator serves
// over gRPC on this machine — a bare grpc-js client loop (2,000 streams in
// flight) against one simulator in its own process, every stream drained to
// its outcome.
import { fileURLToPath } from 'node:url';
import { bareThroughput } from './replay.bench.ts';
import { spawnJsonLine } from './spawn.ts';

export async function simBench() {
  const n = Number(process.env.BENCH_SIM_JOBS ?? 20_000);
  const out: Record<string, unknown> = { jobs: n };
  for (const kind of ['baseline', 'decentralized'] as const) {
    const proc = await spawnJsonLine<string[]>([fileURLToPath(new URL('./target-process.ts', import.meta.url)), kind]);
    try {
      await bareThroughput([{ name: kind, address: proc.value[0]! }], 2_000); // warm-up
      out[`${kind} jobs/s`] = Math.round(await bareThroughput([{ name: kind, address: proc.value[0]! }], n));
    } finally {
      await proc.stop();
    }
  }
  return out;
}
