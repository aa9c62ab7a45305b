// Reads about one run that the run and campaign stages need (not the report's
// aggregates: reports/queries.ts): whether a run is stored, a stopped run's
// row for resuming it, and its per-job outcomes. Values are bound parameters
// (bind.ts); the job-level reads stream, since a run can hold millions of jobs.
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
