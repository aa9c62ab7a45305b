// Reads about one run that the run and campaign stages need (not the report's
// aggregates: reports/queries.ts): whether a run is stored, a stopped run's
// row for resuming it, and its per-job outcomes. Values are bound parameters
// (bind.ts); the job-level reads stream, since a run can hold millions of jobs.
import type { RunWorkerRow } from '../events/schema.ts';
import type { Store } from './store.ts';

/** The columns of a stored run that resuming it needs. */
export interface StoredRunRow {
  status: string;
  config_json: string;
  speed: number;
  started_at_us: number;
  trace_start_us: number;
  trace_checksum: string;
}

/** One job's outcome on one target, as the comparisons between runs read it. */
export interface JobOutcomeRow {
  job_id: string;
  target: string;
  status: string;
  error_class: string;
  total_us: number;
  cost_usd: number;
}

export async function runExists(store: Store, runId: string): Promise<boolean> {
  const [row] = await store.query<{ n: number }>('SELECT count() AS n FROM {db:Identifier}.runs WHERE run_id = {run:String}', { db: store.database, run: runId });
  return Number(row?.n ?? 0) > 0;
}

export async function storedRun(store: Store, runId: string): Promise<StoredRunRow | undefined> {
  const [row] = await store.query<StoredRunRow>(
    'SELECT status, config_json, speed, started_at_us, trace_start_us, trace_checksum FROM {db:Identifier}.runs FINAL WHERE run_id = {run:String}',
    { db: store.database, run: runId },
  );
  return row;
}

/**
 * The runs of a replicate set (harness/run/replicates.ts), found by their
 * stored link (config_json `replicate`), in replicate order. The id pattern
 * only narrows the scan (its `_` may match more); the link decides.
 */
export async function replicateRuns(store: Store, setId: string): Promise<{ runId: string; index: number; count: number }[]> {
  const rows = await store.query<{ run_id: string; config_json: string }>('SELECT run_id, config_json FROM {db:Identifier}.runs FINAL WHERE run_id LIKE {pattern:String}', {
    db: store.database,
    pattern: `${setId.replace(/[\\%]/g, (c) => `\\${c}`)}.r%`,
  });
  const out: { runId: string; index: number; count: number }[] = [];
  for (const r of rows) {
    let link: { set?: unknown; index?: unknown; count?: unknown } | undefined;
    try {
      link = (JSON.parse(r.config_json || '{}') as { replicate?: typeof link }).replicate;
    } catch {
      continue;
    }
    if (link && link.set === setId && typeof link.index === 'number' && typeof link.count === 'number') out.push({ runId: r.run_id, index: link.index, count: link.count });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Every job outcome of a run, in batches as the engine yields them. */
export function streamJobOutcomes(store: Store, runId: string): AsyncIterable<JobOutcomeRow[]> {
  return store.stream<JobOutcomeRow>('SELECT job_id, target, status, error_class, total_us, cost_usd FROM {db:Identifier}.job_results FINAL WHERE run_id = {run:String}', {
    db: store.database,
    run: runId,
  });
}

/** Every job outcome of a run, gathered (for comparisons that need them all at once). */
export async function jobOutcomes(store: Store, runId: string): Promise<JobOutcomeRow[]> {
  const out: JobOutcomeRow[] = [];
  for await (const batch of streamJobOutcomes(store, runId)) for (const r of batch) out.push(r);
  return out;
}

/** A worker's record as read back (run_workers, FINAL). */
export type StoredWorkerRow = Pick<
  RunWorkerRow,
  'shard_index' | 'shard_count' | 'status' | 'host' | 'start_at_us' | 'started_at_us' | 'ended_at_us' | 'start_lateness_us' | 'jobs_sent' | 'lateness_p99_us' | 'lateness_max_us' | 'resumes'
>;

/** Whether a table exists: readers do not migrate, so a table added by a later migration may be missing. */
export async function hasTable(store: Store, name: string): Promise<boolean> {
  const [table] = await store.query<{ n: number }>('SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = {name:String}', { db: store.database, name });
  return Number(table?.n ?? 0) > 0;
}

/**
 * Every worker row of a run, by shard; none for a run stored before
 * run_workers existed, nor from a database not migrated yet (read as it was).
 */
export async function runWorkers(store: Store, runId: string): Promise<StoredWorkerRow[]> {
  if (!(await hasTable(store, 'run_workers'))) return [];
  const rows = await store.query<StoredWorkerRow>(
    'SELECT shard_index, shard_count, status, host, start_at_us, started_at_us, ended_at_us, start_lateness_us, jobs_sent, lateness_p99_us, lateness_max_us, resumes ' +
      'FROM {db:Identifier}.run_workers FINAL WHERE run_id = {run:String} ORDER BY shard_index',
    { db: store.database, run: runId },
  );
  // 64-bit integers arrive as strings from the server's JSON formats.
  return rows.map((r) => ({
    ...r,
    shard_index: Number(r.shard_index), shard_count: Number(r.shard_count), start_at_us: Number(r.start_at_us), started_at_us: Number(r.started_at_us),
    ended_at_us: Number(r.ended_at_us), start_lateness_us: Number(r.start_lateness_us), jobs_sent: Number(r.jobs_sent),
    lateness_p99_us: Number(r.lateness_p99_us), lateness_max_us: Number(r.lateness_max_us), resumes: Number(r.resumes),
  }));
}

/** A run's status over all its workers. */
export interface RunStatus {
  /** completed only when every one of the n workers completed. */
  status: 'completed' | 'running' | 'interrupted' | 'incomplete' | string;
  /** Workers the run was split into (1 for a single-worker run). */
  shards: number;
  /** Shards with a row, and the ones without (never started, or their first rows were lost). */
  present: number[];
  missing: number[];
  /** Shards present but not completed, with their status. */
  notCompleted: { shard: number; status: string }[];
  /** Jobs sent by all workers together. */
  jobsSent: number;
}

/**
 * Derives a run's status from its workers' rows: completed when all n shards
 * are present and completed; otherwise running while any worker says so
 * (still going — or killed before it could say otherwise), then interrupted,
 * then incomplete (a shard missing, or one that refused a late start). A run
 * stored before run_workers existed has no rows and keeps its `runs` status.
 */
export function runStatusOf(workers: readonly StoredWorkerRow[], legacy: { status: string; jobs_sent: number }): RunStatus {
  if (workers.length === 0) {
    return { status: legacy.status, shards: 1, present: [0], missing: [], notCompleted: legacy.status === 'completed' ? [] : [{ shard: 0, status: legacy.status }], jobsSent: Number(legacy.jobs_sent) };
  }
  const shards = Math.max(...workers.map((w) => Number(w.shard_count)));
  const present = [...new Set(workers.map((w) => Number(w.shard_index)))].sort((a, b) => a - b);
  const missing = Array.from({ length: shards }, (_, i) => i).filter((i) => !present.includes(i));
  const notCompleted = workers.filter((w) => w.status !== 'completed').map((w) => ({ shard: Number(w.shard_index), status: w.status }));
  const has = (s: string) => notCompleted.some((w) => w.status === s);
  const status = missing.length === 0 && notCompleted.length === 0 ? 'completed' : has('running') ? 'running' : has('interrupted') ? 'interrupted' : 'incomplete';
  return { status, shards, present, missing, notCompleted, jobsSent: workers.reduce((n, w) => n + Number(w.jobs_sent), 0) };
}
