// A small mirror run onto both simulators, kept in memory, and a way to write
// its rows into any store: the store tests compare backends on the same rows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../harness/common/clock.ts';
import { silentLogger } from '../../harness/common/logger.ts';
import { TABLES, type RowOf, type TableName } from '../../harness/events/schema.ts';
import { mirrorRun } from '../../harness/replay/mirror-run.ts';
import { MemorySink } from '../../harness/replay/sink.ts';
import type { Store } from '../../harness/store/store.ts';
import { BatchWriter } from '../../harness/store/writer.ts';
import { startSimulator } from '../../harness/targets/index.ts';
import { generateTrace } from '../../workloads/generator.ts';

/** Replays a generated trace of `jobs` (spanning `spanHours`, in about 3 s) onto both simulators into `sink`. */
export async function replayOntoSims(runId: string, opts: { jobs: number; seed: number; spanHours: number; simSeeds: [number, number] }, sink = new MemorySink()): Promise<MemorySink> {
  const sims = await Promise.all([startSimulator('baseline', { seed: opts.simSeeds[0] }), startSimulator('decentralized', { seed: opts.simSeeds[1] })]);
  const trace = [...generateTrace({ jobs: opts.jobs, seed: opts.seed, spanSeconds: opts.spanHours * 3600 })];
  try {
    await mirrorRun({
      runId,
      scenario: `${runId}-scenario`,
      seed: opts.seed,
      speed: (opts.spanHours * 3600) / 3,
      targets: [
        { name: 'baseline', address: sims[0]!.address },
        { name: 'decentralized', address: sims[1]!.address },
      ],
      trace: { path: 'generated', checksum: 'x', jobs: trace, planned: trace.length },
      sink,
      clock: systemClock(),
      logger: silentLogger(),
    });
  } finally {
    await Promise.all(sims.map((s) => s.stop()));
  }
  return sink;
}

/** Writes every row of a sink through the batch writer. */
export async function writeAll(store: Store, sink: MemorySink, dataDir = mkdtempSync(join(tmpdir(), 'mb-write-'))): Promise<void> {
  const w = new BatchWriter(store, { dataDir, batchRows: 1000, flushIntervalMs: 50 });
  for (const t of Object.keys(TABLES) as TableName[]) for (const r of sink.rows[t]) w.add(t, r as RowOf<typeof t>);
  await w.close();
}
