// What `replay --resume RUN_ID` needs from the store: the stopped run's
// scenario and speed, and which jobs already have an outcome on which target.
import { ConfigError } from '../common/errors.ts';
import type { ResumeState } from '../replay/mirror-run.ts';
import { inShard } from '../replay/select.ts';
import { openStore, type StoreOptions } from '../store/open.ts';
import { runStatusOf, runWorkers, storedRun, streamJobOutcomes } from '../store/runs.ts';
import type { Spool } from '../store/spool.ts';
import type { Store } from '../store/store.ts';
import { ScenarioSchema, type Scenario } from '../../scenarios/define.ts';

export interface StoppedRun {
  runId: string;
  scenario: Scenario;
  speed: number;
  traceChecksum: string;
  /** The stopped worker's shard, resumed as it was. */
  shard: { index: number; count: number } | undefined;
  /** Times this worker was resumed before. */
  resumes: number;
  /** The replicate set the run belongs to, as stored (a resumed replicate stays one). */
  replicate?: { set: string; index: number; count: number };
  state: ResumeState;
}

/**
 * `spool`: outcomes that went to the local spool (the database was away) and
 * could not be drained yet count as outcomes too, so they are not sent again.
 */
export async function loadStoppedRun(store: Store, runId: string, spool?: Spool, askedShard?: { index: number; count: number }): Promise<StoppedRun> {
  const run = await storedRun(store, runId);
  if (!run) throw new ConfigError(`--resume ${runId}: no such run in ${store.description}`);
  let config: { scenario?: unknown; speed?: number; selection?: { shard?: { index: number; count: number } }; replicate?: { set: string; index: number; count: number } };
  try {
    config = JSON.parse(run.config_json) as typeof config;
  } catch (cause) {
    throw new ConfigError(`--resume ${runId}: the stored run configuration is not valid JSON`, { cause });
  }
  const workers = await runWorkers(store, runId);
  const { shard, resumes } = workerToResume(runId, workers, { status: run.status, jobs_sent: 0 }, config.selection?.shard, askedShard);
  const parsed = ScenarioSchema.safeParse(config.scenario);
  if (!parsed.success) throw new ConfigError(`--resume ${runId}: the stored scenario no longer validates: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const done = new Map<string, Set<string>>();
  const sentBefore = new Set<string>();
  const count = (r: { job_id: string; target: string; status: string; error_class: string }) => {
    // The other workers' jobs are theirs: this worker neither resends nor counts them.
    if (shard && !inShard(r.job_id, shard)) return;
    sentBefore.add(r.job_id);
    // Unfinished jobs (in flight or held in the harness queue at the interrupt) have no outcome yet: they are sent again.
    if (r.status === 'unfinished' || r.error_class === 'interrupted') return;
    let s = done.get(r.job_id);
    if (!s) done.set(r.job_id, (s = new Set()));
    s.add(r.target);
  };
  for await (const batch of streamJobOutcomes(store, runId)) for (const r of batch) count(r);
  if (spool) for (const r of spool.rows('job_results')) if (r.run_id === runId) count(r);
  return {
    runId,
    scenario: parsed.data,
    speed: Number(config.speed ?? run.speed),
    traceChecksum: run.trace_checksum,
    shard,
    resumes,
    ...(config.replicate ? { replicate: config.replicate } : {}),
    state: { done, sentBefore, startedAtUs: Number(run.started_at_us), traceStartUs: Number(run.trace_start_us) },
  };
}

/**
 * Which worker a resume continues. A run of n > 1 workers is resumed one
 * worker at a time (`--shard i/n`, as the worker was started); a single-worker
 * run needs no --shard. A completed worker (or run) has nothing to resume; a
 * shard with no row at all (it never started) is resumed from nothing.
 */
function workerToResume(
  runId: string,
  workers: Awaited<ReturnType<typeof runWorkers>>,
  legacy: { status: string; jobs_sent: number },
  storedShard: { index: number; count: number } | undefined,
  asked: { index: number; count: number } | undefined,
): { shard: { index: number; count: number } | undefined; resumes: number } {
  const st = runStatusOf(workers, legacy);
  const shards = workers.length ? st.shards : (storedShard?.count ?? 1);
  const open = [...st.notCompleted.map((w) => `${w.shard}/${shards} ${w.status}`), ...st.missing.map((i) => `${i}/${shards} never started`)];
  if (shards > 1 && !asked) {
    throw new ConfigError(`--resume ${runId}: the run has ${shards} workers; resume one at a time with --shard i/${shards}${open.length ? ` (not completed: ${open.join(', ')})` : ''}`);
  }
  if (asked && asked.count !== shards) throw new ConfigError(`--resume ${runId} --shard ${asked.index}/${asked.count}: the run was split into ${shards} worker${shards === 1 ? '' : 's'}, not ${asked.count}`);
  const index = asked?.index ?? 0;
  const row = workers.find((w) => Number(w.shard_index) === index);
  const done = workers.length ? row?.status === 'completed' : legacy.status === 'completed';
  if (done) {
    throw new ConfigError(`--resume ${runId}${shards > 1 ? ` --shard ${index}/${shards}` : ''}: ${shards > 1 ? 'that worker' : 'the run'} is already completed; nothing to resume${open.length ? ` (not completed: ${open.join(', ')})` : ''}`);
  }
  return { shard: shards > 1 ? { index, count: shards } : storedShard, resumes: row ? Number(row.resumes) + 1 : 0 };
}

/** The scenario a stopped run was started with, read from the store it was written to. */
export async function stoppedRunScenario(storeOptions: StoreOptions, runId: string, shard?: { index: number; count: number }): Promise<Scenario> {
  const store = openStore(storeOptions);
  try {
    await store.init();
    return (await loadStoppedRun(store, runId, undefined, shard)).scenario;
  } finally {
    await store.close();
  }
}
