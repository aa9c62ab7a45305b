// Replay figures (issue 13), all in one run: first against two trivial targets
// that answer at once in a process of their own (what the harness itself can
// do), with the chained-timer floor of this machine beside the lateness; then
// the same against both simulators (one separate process), bound by the
// simulator process.
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import hdr from 'hdr-histogram-js';
import { bareThroughput, lateness, replayThroughput, type BenchTarget } from './replay.bench.ts';
import { spawnJsonLine } from './spawn.ts';

export const TARGET_PROCESS = fileURLToPath(new URL('./target-process.ts', import.meta.url));

/** Lateness of a chained 1 ms timer for `seconds`: the floor any timer-driven release clock on this machine sits on. */
export async function chainedTimerFloor(seconds: number): Promise<{ p50Ms: number; p99Ms: number; maxMs: number }> {
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const end = performance.now() + seconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = (due: number) => {
      const now = performance.now();
      h.recordValue(Math.max(1, Math.round((now - due) * 1000)));
      if (now >= end) return resolve();
      setTimeout(() => tick(now + 1), 1);
    };
    setTimeout(() => tick(performance.now() + 1), 1);
  });
  return { p50Ms: h.getValueAtPercentile(50) / 1000, p99Ms: h.getValueAtPercentile(99) / 1000, maxMs: h.maxValue / 1000 };
}

async function line(targets: BenchTarget[], n: number, targetPid: number | undefined, shortDeadline: boolean) {
  await replayThroughput(targets, 2_000); // warm-up
  const replay = await replayThroughput(targets, n);
  const bare = await bareThroughput(targets, n);
  // The same with each target's client in a thread of its own (mirrorRun targetThreads).
  const threads = await replayThroughput(targets, n, true);
  const fidelity = [];
  for (const rate of [1_000, 5_000]) fidelity.push(await lateness(targets, rate, 5, { targetPid, shortDeadline }));
  const fidelityThreads = [];
  for (const rate of [1_000, 5_000]) fidelityThreads.push(await lateness(targets, rate, 5, { targetPid, shortDeadline, targetThreads: true }));
  return {
    jobs: n, replayJobsPerSec: Math.round(replay), bareGrpcLoopJobsPerSec: Math.round(bare), ratio: Number((replay / bare).toFixed(3)),
    lateness: fidelity,
    targetThreads: { replayJobsPerSec: Math.round(threads), ratio: Number((threads / bare).toFixed(3)), lateness: fidelityThreads },
  };
}

export async function replayBench() {
  const n = Number(process.env.BENCH_JOBS ?? 20_000);
  const floor = await chainedTimerFloor(5);
  const trivial = await spawnJsonLine<string[]>([TARGET_PROCESS, 'scripted', '2']);
  let trivialLine;
  try {
    trivialLine = await line(trivial.value.map((address, i) => ({ name: `trivial${i}`, address })), n, trivial.child.pid, false);
  } finally {
    await trivial.stop();
  }
  const sims = await spawnJsonLine<string[]>([TARGET_PROCESS, 'sims']);
  try {
    const simLine = await line([{ name: 'baseline', address: sims.value[0]! }, { name: 'decentralized', address: sims.value[1]! }], n, sims.child.pid, true);
    return {
      goals: 'trivial targets: ratio ≥ 0.8; lateness p99 ≤ 2 ms at 1,000/s and ≤ 5 ms at 5,000/s',
      measured: 'lateness = when the job was handed to the target client (in its own thread with targetThreads) − its intended time; sentP99Ms adds the wait in the harness queue; coresBusy = average cores used by the harness and by the targets\' process (the machine has os.availableParallelism())',
      cores: availableParallelism(),
      loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
      chainedTimerFloor: floor,
      trivialTargets: { targets: 'two scripted targets answering at once (one separate process)', ...trivialLine },
      simulators: { targets: 'baseline + decentralized simulators (one separate process)', ...simLine },
    };
  } finally {
    await sims.stop();
  }
}
