// Reads of campaign_runs for the campaign scheduler and its index, with
// bound parameters (bind.ts).
import type { CampaignRunRow } from '../events/schema.ts';
import type { Store } from './store.ts';
import { replicateRuns, runExists } from './runs.ts';

/** Rows of the campaigns index: the latest runs of every campaign, newest first. */
export const INDEX_ROWS = 1000;

/** One campaign's history, oldest first. */
export function campaignHistory(store: Store, campaign: string): Promise<CampaignRunRow[]> {
  return store.query<CampaignRunRow>('SELECT * FROM {db:Identifier}.campaign_runs FINAL WHERE campaign = {campaign:String} ORDER BY scheduled_at_us', {
    db: store.database,
    campaign,
  });
}

/** The latest runs of every campaign, newest first. */
export function recentCampaignRuns(store: Store, limit = INDEX_ROWS): Promise<CampaignRunRow[]> {
  return store.query<CampaignRunRow>('SELECT * FROM {db:Identifier}.campaign_runs FINAL ORDER BY scheduled_at_us DESC LIMIT {limit:UInt32}', { db: store.database, limit });
}

/** The last completed run of `scenario` scheduled before `beforeUs`, other than `runId`. */
export async function previousCompletedRun(store: Store, scenario: string, runId: string, beforeUs: number): Promise<string | undefined> {
  const [row] = await store.query<{ run_id: string }>(
    "SELECT run_id FROM {db:Identifier}.campaign_runs FINAL WHERE scenario = {scenario:String} AND status = 'completed' AND run_id != '' AND run_id != {run:String} AND scheduled_at_us < {before:Int64} ORDER BY scheduled_at_us DESC LIMIT 1",
    { db: store.database, scenario, run: runId, before: Math.trunc(beforeUs) },
  );
  return row?.run_id;
}

/**
 * The stored run whose jobs stand for a campaign run in the regression check:
 * the run itself, or replicate 1 of a replicate set (`<set>.r1`, which runs
 * the seeds of an ordinary run, so it pairs job for job with either kind).
 * Undefined when neither is stored.
 */
export async function pairedRunOf(store: Store, runId: string): Promise<string | undefined> {
  if (await runExists(store, runId)) return runId;
  return (await replicateRuns(store, runId)).find((r) => r.index === 1)?.runId;
}
