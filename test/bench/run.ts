// `npm run bench`: speed and memory figures. Never part of `npm test`.
// Sections can be chosen: npm run bench -- replay shard store report export sim memory bridge plan stats replicates aa-e2e
import { replayBench } from './replay-suite.ts';
import { bridgeBench } from './bridge.bench.ts';
import { exportBench } from './export.bench.ts';
import { memoryBench } from './memory.bench.ts';
import { planBench } from './plan.bench.ts';
import { reportBench } from './report.bench.ts';
import { shardBench } from './shard.bench.ts';
import { simBench } from './sim.bench.ts';
import { statsBench } from './stats.bench.ts';
import { replicatesBench } from './replicates.bench.ts';
import { aaE2eBench } from './aa-e2e.bench.ts';
import { storeBench } from './store.bench.ts';

const wanted = new Set(process.argv.slice(2));
const all = wanted.size === 0;
const results: Record<string, unknown> = {};

async function section(name: string, fn: () => Promise<unknown>) {
  if (!all && !wanted.has(name)) return;
  process.stderr.write(`bench: ${name}…\n`);
  try {
    results[name] = await fn();
  } catch (err) {
    results[name] = { error: err instanceof Error ? err.message : String(err) };
  }
  process.stdout.write(`${name}: ${JSON.stringify(results[name], null, 2)}\n`);
}

await section('sim', simBench);
await section('replay', replayBench);
await section('shard', shardBench);
await section('store', storeBench);
await section('report', reportBench);
await section('export', exportBench);
await section('memory', memoryBench);
await section('bridge', bridgeBench);
await section('plan', planBench);
await section('stats', statsBench);
await section('replicates', replicatesBench);
await section('aa-e2e', aaE2eBench);
