// Change points across a campaign's history: for each campaign, target and
// metric (p50/p99 latency, cost per job, success rate, provider losses per
// running provider-hour), the series of completed runs in schedule order goes through
// E-divisive means (harness/stats/change-points.ts). The paired regression
// tests between consecutive runs (regression.ts) answer "did this run get
// worse than the last?"; change points answer "when did this backend shift,
// and is the shift still there?" — a slow drift or a step that no single pair
// of runs shows. Pure: rows in, change points out; seeded from the campaign.
import { hash32, seededRandom } from '../harness/common/random.ts';
import type { CampaignRunRow } from '../harness/events/schema.ts';
import { eDivisive } from '../harness/stats/change-points.ts';
import type { TopLevelSpec } from 'vega-lite';
import { esc } from './page.ts';

/** Per-target figures a campaign run keeps in its digest (campaign_runs.summary_json). */
export interface TargetDigest {
  name: string;
  p50: number | null;
  p99: number | null;
  costPerJob: number | null;
  successRate: number | null;
  /** Provider losses per hour providers spent running jobs (queue time excluded); absent from digests before it existed, so those runs leave this series. */
  lossesPerRunningHour?: number | null;
}

export const CAMPAIGN_METRICS = ['p50 latency', 'p99 latency', 'cost per job', 'success rate', 'provider losses per running provider-hour'] as const;
export type CampaignMetric = (typeof CAMPAIGN_METRICS)[number];

const FIELD: Record<CampaignMetric, keyof Omit<TargetDigest, 'name'>> = {
  'p50 latency': 'p50',
  'p99 latency': 'p99',
  'cost per job': 'costPerJob',
  'success rate': 'successRate',
  'provider losses per running provider-hour': 'lossesPerRunningHour',
};

export interface ChangePointOptions {
  /** Family-wise level over a campaign's series (Bonferroni: each series is tested at this ÷ their number). */
  significance: number;
  /** Fewest runs on either side of a change. */
  minRuns: number;
  /** Permutations per test; by default 5 ÷ the per-series level − 1, so a rejection rests on ≤ 4 exceedances (999 at 0.005). */
  permutations?: number;
  /** Only the latest runs of a series are searched (the cost grows with the square of the runs). */
  window: number;
}

export const CHANGE_POINT_DEFAULTS: ChangePointOptions = { significance: 0.05, minRuns: 3, window: 120 };

export interface CampaignChange {
  campaign: string;
  target: string;
  metric: CampaignMetric;
  /** The first run after the change, and when it was scheduled (epoch µs). */
  runId: string;
  scheduledAtUs: number;
  /** Means of the runs between the neighbouring change points, before and after. */
  before: number;
  after: number;
  /** after / before − 1 (points for success rate: after − before). */
  change: number;
  p: number;
  /** Runs in the series and the level each series was tested at. */
  runs: number;
  level: number;
}

export interface SeriesPoint {
  runId: string;
  scheduledAtUs: number;
  value: number;
}

function digestTargets(row: CampaignRunRow): TargetDigest[] {
  try {
    const d = JSON.parse(row.summary_json || '{}') as { targets?: TargetDigest[] };
    return Array.isArray(d.targets) ? d.targets : [];
  } catch {
    return [];
  }
}

/** Completed runs of each campaign, oldest first, as series per target and metric (runs without the figure left out). */
export function campaignSeries(rows: readonly CampaignRunRow[]): Map<string, Map<string, SeriesPoint[]>> {
  const out = new Map<string, Map<string, SeriesPoint[]>>();
  const done = rows.filter((r) => r.status === 'completed' && r.run_id).sort((a, b) => a.scheduled_at_us - b.scheduled_at_us || a.run_id.localeCompare(b.run_id));
  const seen = new Set<string>();
  for (const r of done) {
    // ReplacingMergeTree rows read without FINAL may repeat a run: keep its first.
    if (seen.has(r.run_id)) continue;
    seen.add(r.run_id);
    const byKey = out.get(r.campaign) ?? new Map<string, SeriesPoint[]>();
    out.set(r.campaign, byKey);
    for (const t of digestTargets(r)) {
      for (const metric of CAMPAIGN_METRICS) {
        const v = t[FIELD[metric]];
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        const key = `${t.name}\u0000${metric}`;
        const list = byKey.get(key) ?? [];
        list.push({ runId: r.run_id, scheduledAtUs: r.scheduled_at_us, value: v });
        byKey.set(key, list);
      }
    }
  }
  return out;
}

/** Change points of every series of every campaign. */
export function campaignChangePoints(rows: readonly CampaignRunRow[], opts: ChangePointOptions = CHANGE_POINT_DEFAULTS): CampaignChange[] {
  const changes: CampaignChange[] = [];
  for (const [campaign, byKey] of campaignSeries(rows)) {
    const testable = [...byKey].filter(([, s]) => s.length >= 2 * opts.minRuns);
    if (!testable.length) continue;
    const level = opts.significance / testable.length;
    const permutations = opts.permutations ?? Math.ceil(5 / level) - 1;
    for (const [key, all] of testable) {
      const series = all.slice(-opts.window);
      const [target, metric] = key.split('\u0000') as [string, CampaignMetric];
      const values = series.map((p) => p.value);
      const found = eDivisive(values, { significance: level, permutations, minSize: opts.minRuns, random: seededRandom(hash32(`${campaign}/${key}`)) });
      for (const c of found) {
        const at = series[c.index]!;
        const change = metric === 'success rate' ? c.after - c.before : c.before !== 0 ? c.after / c.before - 1 : NaN;
        changes.push({ campaign, target, metric, runId: at.runId, scheduledAtUs: at.scheduledAtUs, before: c.before, after: c.after, change, p: c.p, runs: series.length, level });
      }
    }
  }
  return changes.sort((a, b) => a.scheduledAtUs - b.scheduledAtUs || a.campaign.localeCompare(b.campaign) || a.target.localeCompare(b.target) || a.metric.localeCompare(b.metric));
}

/** Change points in `now` that `before` (the same history without the latest run) did not have: what is new to announce. */
export function newChanges(now: readonly CampaignChange[], before: readonly CampaignChange[]): CampaignChange[] {
  const key = (c: CampaignChange) => `${c.campaign}\u0000${c.target}\u0000${c.metric}\u0000${c.runId}`;
  const old = new Set(before.map(key));
  return now.filter((c) => !old.has(key(c)));
}

/**
 * Each campaign metric per target over its runs, one small chart per metric
 * (independent y scales), with every change point as a vertical rule at the
 * first run after it.
 */
export function changePointChart(rows: readonly CampaignRunRow[], changes: readonly CampaignChange[]): TopLevelSpec {
  // One dataset (a facet splits the top-level data only): runs and change points told apart by `kind`.
  const values: Record<string, string | number>[] = [];
  for (const [campaign, byKey] of campaignSeries(rows)) {
    for (const [key, series] of byKey) {
      const [target, metric] = key.split('\u0000') as [string, string];
      for (const p of series) values.push({ kind: 'run', campaign, target, metric, at: new Date(p.scheduledAtUs / 1000).toISOString(), value: p.value });
    }
  }
  for (const c of changes) values.push({ kind: 'change', campaign: c.campaign, target: c.target, metric: c.metric, at: new Date(c.scheduledAtUs / 1000).toISOString(), label: `${c.campaign} ${c.target}: ${changeText(c)}` });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Campaign metrics per target, change points marked (E-divisive means)',
    data: { values },
    facet: { row: { field: 'metric', type: 'nominal', title: null, sort: [...CAMPAIGN_METRICS] } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 640,
      height: 110,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'run'" }],
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'at', type: 'temporal', title: 'scheduled' },
            y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
            color: { field: 'target', type: 'nominal', title: 'target' },
            strokeDash: { field: 'campaign', type: 'nominal', title: 'campaign' },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'change'" }],
          mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 2, color: '#D55E00' },
          // The label is the rule's aria-label, which the page's script shows on hover (no Vega runtime in the page).
          encoding: { x: { field: 'at', type: 'temporal' }, description: { field: 'label', type: 'nominal' } },
        },
      ],
    },
  } as unknown as TopLevelSpec;
}

/** "+15.2 % (12.1 → 13.9)" or, for success, "−1.3 points (98.9 % → 97.6 %)". */
export function changeText(c: Pick<CampaignChange, 'metric' | 'before' | 'after' | 'change'>): string {
  const sign = (v: number) => (v >= 0 ? '+' : '−');
  if (c.metric === 'success rate') return `${sign(c.change)}${Math.abs(100 * c.change).toFixed(1)} points (${(100 * c.before).toFixed(1)} % → ${(100 * c.after).toFixed(1)} %)`;
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
  return `${sign(c.change)}${Math.abs(100 * c.change).toFixed(1)} % (${fmt(c.before)} → ${fmt(c.after)})`;
}

/** The change points as an HTML table (id `change-points`), newest first. */
export function renderChangeTable(changes: readonly CampaignChange[], opts: ChangePointOptions = CHANGE_POINT_DEFAULTS): string {
  const head = `<p>Change points in each campaign's runs (E-divisive means, Matteson &amp; James 2014; permutation test, ${opts.significance} family-wise per campaign, Bonferroni over its target × metric series; at least ${opts.minRuns} runs either side; the latest ${opts.window} runs). A change point says a level shifted and stayed; the regressions column compares each run with the one before.</p>`;
  if (!changes.length) return `${head}<p id="change-points" data-count="0">No change point.</p>`;
  const body = [...changes]
    .reverse()
    .map((c) => `<tr data-campaign="${esc(c.campaign)}" data-target="${esc(c.target)}" data-metric="${esc(c.metric)}"><td>${esc(new Date(c.scheduledAtUs / 1000).toISOString())}</td><td>${esc(c.campaign)}</td><td>${esc(c.target)}</td><td>${esc(c.metric)}</td><td>${esc(changeText(c))}</td><td><a href="../${esc(c.runId)}/index.html">${esc(c.runId)}</a></td><td>${esc(c.p.toPrecision(2))} (≤ ${esc(c.level.toPrecision(2))})</td></tr>`)
    .join('');
  return `${head}<p class="population note">One row per change point found in a campaign's completed runs.</p><div class="table-wrap"><table id="change-points" data-count="${changes.length}" class="sortable" data-population="change points"><thead><tr><th>from</th><th>campaign</th><th>target</th><th>metric</th><th>change</th><th>first run after</th><th>p</th></tr></thead><tbody>${body}</tbody></table></div>`;
}
