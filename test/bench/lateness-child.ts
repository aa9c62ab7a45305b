// One lateness run (replay.bench.ts `lateness`) in a process of its own, as a
// `mirrorbench replay` runs: it starts with a fresh heap and cold code, so its
// first seconds — the warm-up, then the first jobs — are measured as a real
// run has them, not inherited warm (or full of garbage) from the throughput
// runs before it. Prints one JSON line.
// Usage: lateness-child.ts '{"targets":[…],"perSecond":1000,"seconds":5,"opts":{…}}'
import { lateness, type BenchTarget } from './replay.bench.ts';

const args = JSON.parse(process.argv[2]!) as { targets: BenchTarget[]; perSecond: number; seconds: number; opts: Parameters<typeof lateness>[3] };
const result = await lateness(args.targets, args.perSecond, args.seconds, args.opts);
process.stdout.write(`${JSON.stringify(result)}\n`);
// Stays until the parent has read the line and stops it (an exit could reach the parent before the line does).
setTimeout(() => process.exit(0), 60_000);
