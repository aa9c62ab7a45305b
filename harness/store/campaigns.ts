// Reads of campaign_runs for the campaign scheduler and `campaign start
// --once`, with bound parameters (bind.ts).
import type { CampaignRunRow } from '../events/schema.ts';
import type { Store } from './store.ts';

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
 * Whether every campaign run scheduled since `sinceUs` completed with its
 * gates passed and no regression judged worse; false when there is none.
 */
export async function campaignRunsPassedSince(store: Store, sinceUs: number): Promise<boolean> {
  const [row] = await store.query<{ ok: number }>(
    "SELECT min(thresholds_passed = 1 AND regressions_json NOT LIKE '%\"verdict\":\"worse\"%' AND status = 'completed') AS ok FROM {db:Identifier}.campaign_runs FINAL WHERE scheduled_at_us >= {since:Int64}",
    { db: store.database, since: Math.trunc(sinceUs) },
  );
  return Number(row?.ok ?? 1) === 1;
}
