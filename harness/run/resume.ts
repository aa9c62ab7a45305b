// What `replay --resume RUN_ID` needs from the store: the stopped run's
// scenario and speed, and which jobs already have an outcome on which target.
import { ConfigError } from '../common/errors.ts';
import type { ResumeState } from '../replay/mirror-run.ts';
import { openStore, type StoreOptions } from '../store/open.ts';
import { storedRun, streamJobOutcomes } from '../store/runs.ts';
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
  state: ResumeState;
}

/**
 * `spool`: outcomes that went to the local spool (the database was away) and
 * could not be drained yet count as outcomes too, so they are not sent again.
 */
export async function loadStoppedRun(store: Store, runId: string, spool?: Spool): Promise<StoppedRun> {
  const run = await storedRun(store, runId);
  if (!run) throw new ConfigError(`--resume ${runId}: no such run in ${store.description}`);
  if (run.status === 'completed') throw new ConfigError(`--resume ${runId}: the run is already completed; nothing to resume`);
  let config: { scenario?: unknown; speed?: number; selection?: { shard?: { index: number; count: number } } };
  try {
    config = JSON.parse(run.config_json) as typeof config;
  } catch (cause) {
    throw new ConfigError(`--resume ${runId}: the stored run configuration is not valid JSON`, { cause });
  }
  const parsed = ScenarioSchema.safeParse(config.scenario);
  if (!parsed.success) throw new ConfigError(`--resume ${runId}: the stored scenario no longer validates: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const done = new Map<string, Set<string>>();
  const sentBefore = new Set<string>();
  const count = (r: { job_id: string; target: string; status: string; error_class: string }) => {
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
    shard: config.selection?.shard,
    state: { done, sentBefore, startedAtUs: Number(run.started_at_us), traceStartUs: Number(run.trace_start_us) },
  };
}

/** The scenario a stopped run was started with, read from the store it was written to. */
export async function stoppedRunScenario(storeOptions: StoreOptions, runId: string): Promise<Scenario> {
  const store = openStore(storeOptions);
  try {
    await store.init();
    return (await loadStoppedRun(store, runId)).scenario;
  } finally {
    await store.close();
  }
}
