// One replay of a trace file, as fast as the targets answer, in its own
// process so its peak RSS is its own. Prints one JSON line.
// Usage: memory-child.ts TRACE ADDRESS...
import { systemClock } from '../../harness/common/clock.ts';
import { silentLogger } from '../../harness/common/logger.ts';
import { mirrorRun } from '../../harness/replay/mirror-run.ts';
import { readTrace } from '../../harness/trace/readers/index.ts';
import { CountingSink } from './replay.bench.ts';

const [trace, ...addresses] = process.argv.slice(2);
const sink = new CountingSink();
const t0 = performance.now();
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
const result = await mirrorRun({
  runId: `mem-${Date.now()}`,
  scenario: 'bench-memory',
  seed: 1,
  speed: 1e9,
  targets: addresses.map((address, i) => ({ name: `t${i}`, address })),
  trace: { path: trace!, checksum: '', jobs: readTrace(trace!) },
  sink,
  clock: systemClock(),
  logger: silentLogger(),
  leadMs: 0,
  // As fast as possible, the cap is what bounds the streams open at once; a
  // real trace's arrival rate bounds them (Little's law) long before 10,000.
  maxInFlightPerTarget: Number(process.env.BENCH_MAX_IN_FLIGHT ?? 2000),
});
clearInterval(sampler);
process.stdout.write(
  `${JSON.stringify({
    jobs: result.released,
    results: sink.counts.job_results ?? 0,
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    peakRssMb: Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20),
  })}\n`,
);
process.exit(0);
