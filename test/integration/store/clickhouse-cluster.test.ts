// `db init --cluster` on a real cluster: one ZooKeeper and 2 shards × 2
// replicas of clickhouse-server on loopback, configured as docker/cluster/
// configures its containers. Rows written through one node are sharded,
// replicated, counted once, and report the same numbers as chDB from any node.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ClickHouseStore } from '../../../harness/store/clickhouse-store.ts';
import { ddlOptionsOf, migrationStatus } from '../../../harness/store/migrations.ts';
import type { Store } from '../../../harness/store/store.ts';
import { summarize } from '../../../reports/summary.ts';
import { replayOntoSims, writeAll } from '../../helpers/mirror-fixture.ts';
import { clusterUnavailableReason, startClickHouseCluster, withinPhase, type TestCluster } from '../../helpers/clickhouse-server.ts';

const unavailable = clusterUnavailableReason();

function roundDeep(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(12));
  if (Array.isArray(v)) return v.map(roundDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundDeep(x)]));
  return v;
}

describe.skipIf(unavailable)('ClickHouse cluster (2 shards x 2 replicas)', () => {
  let cluster: TestCluster;
  let stores: ClickHouseStore[];
  const sink = new MemorySink();

  beforeAll(async () => {
    // Each phase bounded (a normal run takes ~5 s, ~5 s, ~30 s and < 1 s), so a hang names itself and shows the servers' logs.
    cluster = await startClickHouseCluster(2, 2, 'mirrorbench');
    stores = cluster.nodes.map((n) => new ClickHouseStore({ url: n.url, database: 'mb_cluster', cluster: 'mirrorbench' }));
    await withinPhase('db init --cluster', 90_000, stores[0]!.init(), cluster.nodes);
    await withinPhase('replay onto the simulators', 150_000, replayOntoSims('cluster-run', { jobs: 150, seed: 31, spanHours: 3, simSeeds: [8, 9] }, sink));
    await withinPhase('writing the rows through one node', 90_000, writeAll(stores[0]!, sink), cluster.nodes);
  }, 600_000);

  afterAll(async () => {
    await Promise.all((stores ?? []).map((s) => s.close()));
    await cluster?.stop();
  });

  it('creates the schema on every node and records the migration cluster-wide', async () => {
    for (const s of stores) {
      const st = await migrationStatus(s, await ddlOptionsOf(s));
      expect(st.applied.map((a) => a.version)).toEqual([1, 2, 3, 4]);
      const [t] = await s.query<{ engine: string }>("SELECT engine FROM system.tables WHERE database = 'mb_cluster' AND name = 'job_results_local'");
      expect(t!.engine).toBe('ReplicatedReplacingMergeTree');
    }
  });

  it('shards rows across shards, replicates them within a shard, and counts a rewritten batch once', async () => {
    await writeAll(stores[0]!, sink); // the same rows again, as a retried batch
    const local = async (s: Store) => Number((await s.query<{ n: number }>("SELECT count() AS n FROM mb_cluster.job_results_local FINAL WHERE run_id = 'cluster-run'"))[0]!.n);
    // Replication is asynchronous: wait until each shard's replicas agree.
    const deadline = Date.now() + 30_000;
    let counts: number[] = [];
    while (Date.now() < deadline) {
      counts = await Promise.all(stores.map(local));
      if (counts[0] === counts[1] && counts[2] === counts[3] && counts[0]! + counts[2]! === 300) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[2]).toBe(counts[3]);
    expect(counts[0]! + counts[2]!).toBe(300);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[2]).toBeGreaterThan(0);
  });

  it('reports the same numbers from any node as chDB does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-cl-chdb-'));
    const chdb = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
    await chdb.init();
    await writeAll(chdb, sink);
    const ref = await summarize(chdb, 'cluster-run');
    await chdb.close();
    const other = await summarize(stores[3]!, 'cluster-run');
    expect(ref.targets.map((t) => t.jobs)).toEqual([150, 150]);
    // Sums over shards add floats in another order: equal to 12 significant digits.
    expect(roundDeep(other.targets)).toEqual(roundDeep(ref.targets));
    expect(roundDeep(other.comparisons)).toEqual(roundDeep(ref.comparisons));
    expect(roundDeep(other.byTaskType)).toEqual(roundDeep(ref.byTaskType));
  });
});
