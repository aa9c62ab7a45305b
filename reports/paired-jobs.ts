// A stored run's jobs as the paired verdict path takes them: jobs with a final
// outcome on both targets, in submission order, each with its time to success
// (or to failure) in trace seconds, success flag and cost. Withheld and
// unfinished (censored) rows are left out, as everywhere in the report.
import type { Store } from '../harness/store/store.ts';
import type { PairedJobs } from '../harness/stats/paired-compare.ts';

const PAIRED = `
SELECT a.job_id AS job_id, a.submitted_at_us AS submitted_at_us,
  a.status = 'completed' AS ok_a, b.status = 'completed' AS ok_b,
  a.total_us AS total_a, b.total_us AS total_b, a.cost_usd AS cost_a, b.cost_usd AS cost_b,
  a.work_seconds * greatest(1, a.gpu_count) AS gpu_seconds
FROM (
  SELECT job_id, submitted_at_us, status, total_us, cost_usd, work_seconds, gpu_count FROM {db:Identifier}.job_results FINAL
  WHERE run_id = {run:String} AND target = {a:String} AND status NOT IN ('withheld', 'unfinished')
) AS a
INNER JOIN (
  SELECT job_id, status, total_us, cost_usd FROM {db:Identifier}.job_results FINAL
  WHERE run_id = {run:String} AND target = {b:String} AND status NOT IN ('withheld', 'unfinished')
) AS b ON a.job_id = b.job_id
ORDER BY submitted_at_us, job_id`;

interface Row {
  job_id: string;
  submitted_at_us: number;
  ok_a: number;
  ok_b: number;
  total_a: number;
  total_b: number;
  cost_a: number;
  cost_b: number;
  gpu_seconds: number;
}

export interface StoredPairs extends PairedJobs {
  /** Recorded GPU-seconds of work per job (work × GPUs), for costing. */
  gpuSeconds: Float64Array;
  /** Submission times (µs), for arrival rates. */
  submittedUs: Float64Array;
}

/** Paired jobs of `runId` between targets `a` (baseline) and `b` (candidate). */
export async function storedPairs(store: Store, runId: string, a: string, b: string): Promise<StoredPairs> {
  const rows = await store.query<Row>(PAIRED, { db: store.database, run: runId, a, b });
  const n = rows.length;
  const out: StoredPairs = {
    okA: new Uint8Array(n),
    okB: new Uint8Array(n),
    latA: new Float64Array(n),
    latB: new Float64Array(n),
    costA: new Float64Array(n),
    costB: new Float64Array(n),
    gpuSeconds: new Float64Array(n),
    submittedUs: new Float64Array(n),
  };
  rows.forEach((r, i) => {
    out.okA[i] = Number(r.ok_a) ? 1 : 0;
    out.okB[i] = Number(r.ok_b) ? 1 : 0;
    // total_us is trace time from the intended send; a failed job's is its time to failure (censored there).
    out.latA[i] = Math.max(0, Number(r.total_a)) / 1e6;
    out.latB[i] = Math.max(0, Number(r.total_b)) / 1e6;
    out.costA[i] = Number(r.cost_a);
    out.costB[i] = Number(r.cost_b);
    out.gpuSeconds[i] = Number(r.gpu_seconds);
    out.submittedUs[i] = Number(r.submitted_at_us);
  });
  return out;
}
