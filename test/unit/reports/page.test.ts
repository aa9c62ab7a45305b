// The page around the numbers: every table names its population, nothing
// failed reads "No failed jobs", the sweep's "ratio = 1" is one horizontal
// line, the campaign index lists each run once, and every page has a viewport
// tag and no request.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignRunRow } from '../../../harness/events/schema.ts';
import { latestRows, renderCampaignIndex, trendChart } from '../../../reports/campaign-index.ts';
import { failuresOverTimeChart, renderSvg } from '../../../reports/charts.ts';
import { renderHtml, type ReportCharts } from '../../../reports/html.ts';
import type { ReportSummary } from '../../../reports/summary-types.ts';
import { renderSweepHtml, sweepChart, sweepResult } from '../../../reports/sweep.ts';

const golden = (): ReportSummary => ({ churn: [], ...JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/golden/summary.golden.json'), 'utf8')) }) as ReportSummary;
const noCharts = new Proxy({}, { get: () => '' }) as ReportCharts;
const VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">';

describe('report page', () => {
  it('names the population of every table and puts the answer first', () => {
    const html = renderHtml(golden(), noCharts);
    const tables = html.match(/<table[^>]*>/g) ?? [];
    expect(tables.length).toBeGreaterThan(8);
    for (const t of tables) expect(t).toMatch(/data-population="[^"]+"/);
    expect(html).toContain(VIEWPORT);
    const order = ['id="bottom-line"', 'id="thresholds"', 'id="headline"', 'id="warnings"', 'id="decision-matrix"', 'class="sortable verdict-table"'].map((m) => html.indexOf(m));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).not.toMatch(/\ssrc=|https?:\/\/(?!www\.w3\.org)/);
  });

  it('shows the validity state: the replay verdict when summary.json has one, else whether a warning is blocking', () => {
    const s = golden();
    expect(renderHtml(s, noCharts)).toMatch(/id="validity" class="validity ok" data-valid="true">Valid run/);
    const blocked = { ...s, warnings: [{ severity: 'blocking' as const, code: 'run-incomplete', message: 'The run is interrupted.' }] };
    expect(renderHtml(blocked, noCharts)).toMatch(/data-valid="false">Not a valid comparison<\/span> <span class="note">The run is interrupted\.<\/span>/);
    const invalid = { ...s, validity: { valid: false, reasons: [{ code: 'harness-late', message: 'Arrivals were replayed 9.7 min late.' }] } };
    const html = renderHtml(invalid as ReportSummary, noCharts);
    expect(html).toContain('data-valid="false"');
    expect(html).toContain('Arrivals were replayed 9.7 min late.');
    // Blocking warnings come first, in red; cautions and notes after, each under its own heading.
    const warned = renderHtml({ ...s, warnings: [{ severity: 'blocking', code: 'a', message: 'A' }, { severity: 'caution', code: 'b', message: 'B' }, { severity: 'note', code: 'c', message: 'C' }] }, noCharts);
    expect([...warned.matchAll(/class="warnings (\w+)"/g)].map((m) => m[1])).toEqual(['blocking', 'caution', 'note']);
  });

  it('says "No failed jobs" instead of an empty chart', async () => {
    const s = golden();
    s.errorClasses = [];
    s.timeline.failures = [];
    expect(failuresOverTimeChart([], ['baseline', 'decentralized'])).toBeNull();
    expect(renderHtml(s, noCharts)).toContain('No failed jobs on any target.');
    const failing = failuresOverTimeChart([{ target: 'decentralized', hour: 2, errorClass: 'no_offers', count: 3 }], ['baseline', 'decentralized'])!;
    expect(await renderSvg(failing)).toMatch(/role-legend/);
  });

  it('shows n/a for a marketplace figure the baseline does not have, and names currencies', () => {
    const s = golden();
    const html = renderHtml(s, noCharts);
    const market = html.slice(html.indexOf('id="marketplace"'), html.indexOf('id="breakdown"'));
    const baselineRow = market.match(/<tr><td>baseline<\/td>(.*?)<\/tr>/)![1]!;
    expect(baselineRow).toContain('n/a');
    expect(market).toMatch(/GLM/);
    // Figures to a few significant digits (the assumptions quote their sources verbatim).
    const text = html.slice(0, html.indexOf('id="assumptions"')).replace(/<style>[\s\S]*?<\/style>|<[^>]+>/g, ' ');
    const longest = Math.max(...(text.match(/\d+\.\d+/g) ?? []).map((n) => n.replace('.', '').replace(/^0+/, '').length));
    expect(longest).toBeLessThanOrEqual(4);
    expect(text).not.toMatch(/\b0\.0000\b/);
  });
});

describe('sweep page', () => {
  const summary = (ratio: number) => ({ comparisons: [{ metric: 'p50 latency', unit: 's', baseline: 1, candidate: ratio, ratio, ci: [ratio * 0.9, ratio * 1.1], pValue: 0.01, verdict: 'worse' }], targets: [] }) as unknown as ReportSummary;
  const result = sweepResult({ scenario: 's', target: 'decentralized', parameter: 'churn', unit: '×', basis: '[A]' }, [1, 2, 3].map((v) => ({ value: v, runId: `r${v}`, summary: summary(1 + v / 10) })));

  it('draws "ratio = 1" as one horizontal rule, not a dash at each value', () => {
    const spec = sweepChart(result) as unknown as { layer: { mark: { type: string }; data: { values: unknown[] }; encoding: Record<string, unknown> }[] };
    const one = spec.layer.find((l) => l.mark.type === 'rule' && !('y2' in l.encoding))!;
    expect(one.data.values).toHaveLength(1);
    expect(one.encoding).not.toHaveProperty('x');
  });

  it('has a viewport tag, a legend and no request', async () => {
    const html = renderSweepHtml(result, await renderSvg(sweepChart(result)));
    expect(html).toContain(VIEWPORT);
    expect(html).toMatch(/role-legend/);
    expect(html).not.toMatch(/\ssrc=/);
  });
});

describe('campaign index', () => {
  const row = (over: Partial<CampaignRunRow>): CampaignRunRow =>
    ({
      campaign: 'nightly', scenario: 's', run_id: '', scheduled_at_us: 1_700_000_000_000_000, started_at_us: 0, ended_at_us: 0, status: 'running', thresholds_passed: 1, thresholds_json: '[]',
      previous_run_id: '', regressions_json: '[]', summary_json: '', error: '', updated_at_us: 1, scheduled_date: 0, ...over,
    }) as CampaignRunRow;
  const digest = JSON.stringify({ comparisons: [{ metric: 'p99 latency', ratio: 1.2, verdict: 'worse' }, { metric: 'cost per job', ratio: 0.4, verdict: 'better' }], successRates: { baseline: 1 } });
  // The row written when the run started (no run id yet) and its rewrite when it ended: FINAL keeps both.
  const rows = [
    row({}),
    row({ run_id: 'run-1', status: 'completed', updated_at_us: 5, summary_json: digest }),
    row({ scheduled_at_us: 1_700_000_100_000_000, run_id: 'run-2', status: 'completed', updated_at_us: 9, summary_json: digest, regressions_json: JSON.stringify([{ target: 'decentralized', metric: 'p99 latency', ratio: 1.3, verdict: 'worse' }]) }),
  ];

  it('lists each scheduled run once, its newest version', () => {
    expect(latestRows(rows).map((r) => r.run_id).sort()).toEqual(['run-1', 'run-2']);
    const html = renderCampaignIndex(rows, '', '2026-01-01T00:00:00Z');
    expect(html.match(/<tr data-campaign/g)).toHaveLength(2);
    expect(html).toContain(VIEWPORT);
  });

  it('trends one panel per metric with regressions marked, and a legend that tells them apart', async () => {
    const spec = trendChart(rows) as unknown as { data: { values: { metric: string; regression: string }[] } };
    expect(spec.data.values).toHaveLength(4);
    expect(spec.data.values.filter((v) => v.regression === 'regression').map((v) => v.metric)).toEqual(['p99 latency']);
    const svg = await renderSvg(trendChart(rows));
    expect(svg).toMatch(/legend titled 'campaign'/);
    expect(svg).toMatch(/legend titled 'run'[^"]*regression/);
  });
});
