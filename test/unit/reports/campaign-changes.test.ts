import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import { campaignRunRow, type CampaignRunRow } from '../../../harness/events/schema.ts';
import { campaignChangePoints, campaignSeries, changePointChart, changeText, newChanges, renderChangeTable, type TargetDigest } from '../../../reports/campaign-changes.ts';
import { renderSvg } from '../../../reports/charts.ts';
import { digestOf, setDigestOf } from '../../../reports/campaign-index.ts';
import type { ReplicateSetSummary } from '../../../reports/replicates.ts';
import type { ReportSummary } from '../../../reports/summary-types.ts';
import { target } from '../../helpers/section-input.ts';
import { normal } from '../../helpers/paired-runs.ts';

const DAY = 86_400e6;

function row(campaign: string, i: number, targets: TargetDigest[], status = 'completed'): CampaignRunRow {
  return campaignRunRow({
    campaign,
    scenario: campaign,
    scheduled_at_us: 1_700_000_000e6 + i * DAY,
    status,
    run_id: `${campaign}-${i}`,
    summary_json: JSON.stringify({ comparisons: [], successRates: {}, targets }),
    updated_at_us: 0,
  });
}

/** 30 nightly runs; the network's p99 steps up 15 % from run `stepAt`; everything else flat with 5 % noise. */
function history(stepAt: number, seed = 1): CampaignRunRow[] {
  const r = seededRandom(seed);
  const noisy = (v: number) => v * Math.exp(0.05 * normal(r));
  return Array.from({ length: 30 }, (_, i) =>
    row('nightly', i, [
      { name: 'baseline', p50: noisy(20), p99: noisy(200), costPerJob: noisy(0.05), successRate: 0.99 + 0.002 * normal(r), lossesPerRunningHour: noisy(0.1) },
      { name: 'network', p50: noisy(30), p99: noisy(300) * (i >= stepAt ? 1.15 : 1), costPerJob: noisy(0.02), successRate: 0.97 + 0.002 * normal(r), lossesPerRunningHour: noisy(0.5) },
    ]),
  );
}

describe('campaign change points', () => {
  it('builds one series per campaign × target × metric from completed runs, oldest first, skipping runs without the figure', () => {
    const rows = [row('a', 2, [{ name: 't', p50: 2, p99: null, costPerJob: 1, successRate: 1, lossesPerRunningHour: 0 }]), row('a', 1, [{ name: 't', p50: 1, p99: 5, costPerJob: 1, successRate: 1, lossesPerRunningHour: 0 }]), row('a', 3, [], 'failed')];
    const s = campaignSeries(rows).get('a')!;
    expect(s.get('t\u0000p50 latency')!.map((p) => p.value)).toEqual([1, 2]);
    expect(s.get('t\u0000p99 latency')!.map((p) => p.value)).toEqual([5]);
  });

  it('tracks provider losses per running provider-hour: a target whose jobs queue longer is not made to look more reliable, and digests from before the figure leave that series', () => {
    const t = (name: string, lossesPerJobHour: number, lossesPerRunningHour: number) =>
      target(name, { providerLosses: 4, lossesPerJobHour, lossesPerRunningHour });
    // Same losses over the same running hours; the second target's jobs waited 10× longer in a queue.
    const digest = digestOf({ comparisons: [], targets: [t('fast', 0.4, 2), t('queued', 0.04, 2)] } as unknown as ReportSummary);
    expect(digest.targets!.map((x) => x.lossesPerRunningHour)).toEqual([2, 2]);
    const metric = 'provider losses per running provider-hour';
    const old = { name: 'queued', p50: 1, p99: 5, costPerJob: 1, successRate: 1, lossesPerJobHour: 0.04 } as unknown as TargetDigest;
    const s = campaignSeries([row('a', 1, [old]), row('a', 2, digest.targets!.filter((x) => x.name === 'queued'))]).get('a')!;
    expect(s.get(`queued\u0000${metric}`)!.map((p) => p.value)).toEqual([2]);
    expect(s.get('queued\u0000p50 latency')!).toHaveLength(2);
  });

  it('digests a replicate set as one point: combined verdicts and estimates, the success ratio of mean rates over the combined replicates, per-target means', () => {
    const run = (p99: number, success: number, costRatio: number) =>
      ({
        comparisons: [
          { metric: 'cost per job', scale: 'ratio', ratio: costRatio, estimate: costRatio, baseline: 0.1, candidate: 0.1 * costRatio, verdict: 'better' },
          { metric: 'success rate', scale: 'difference', ratio: success / 0.99, estimate: success - 0.99, baseline: 0.99, candidate: success, verdict: '~' },
        ],
        targets: [target('baseline', { successRate: 0.99 }), target('network', { latency: { p50: 1, p90: 2, p99 }, successRate: success })],
      }) as unknown as ReportSummary;
    // r3 was INCONCLUSIVE: listed, not combined, so it stays out of the success ratio (it is in the per-target means: a figure, not a verdict).
    const runs = [run(10, 0.9, 0.5), run(20, 0.8, 0.7), run(60, 0.1, 0.6)];
    const line = (metric: string, scale: string, estimate: number, verdict: string) => ({ metric, scale, estimate, verdict, replicates: [{ combined: true }, { combined: true }, { combined: false }] });
    const set = {
      set: 's', planned: 3, replicates: ['s.r1', 's.r2', 's.r3'].map((runId) => ({ runId })),
      combined: { lines: [line('cost per job', 'ratio', 0.6, 'better'), line('success rate', 'difference', -0.14, 'worse')] },
    } as unknown as ReplicateSetSummary;
    const d = setDigestOf(set, runs);
    expect(d.comparisons).toEqual([
      { metric: 'cost per job', ratio: 0.6, verdict: 'better' },
      { metric: 'success rate', ratio: expect.closeTo(0.85 / 0.99, 12), verdict: 'worse' },
    ]);
    expect(d.replicates).toEqual({ set: 's', runs: ['s.r1', 's.r2', 's.r3'], planned: 3 });
    const network = d.targets!.find((t) => t.name === 'network')!;
    expect(network.p99).toBeCloseTo(30, 12);
    expect(network.successRate).toBeCloseTo(0.6, 12);
    expect(d.successRates.baseline).toBeCloseTo(0.99, 12);
    // The per-run digest of an ordinary run is untouched: no replicates field.
    expect(digestOf(runs[0]!).replicates).toBeUndefined();
  });

  it('finds the network p99 step at its run, with before/after means, and nothing in the nine flat series', () => {
    const changes = campaignChangePoints(history(16));
    expect(changes).toHaveLength(1);
    const c = changes[0]!;
    expect(c).toMatchObject({ campaign: 'nightly', target: 'network', metric: 'p99 latency', runs: 30, level: 0.005 });
    expect(Math.abs(Number(c.runId.split('-')[1]) - 16)).toBeLessThanOrEqual(1);
    expect(c.change).toBeGreaterThan(0.08);
    expect(c.change).toBeLessThan(0.25);
    expect(c.p).toBeLessThanOrEqual(0.005);
  });

  it('is deterministic (seeded from the campaign and series) and reports only what the latest run made new', () => {
    const rows = history(16);
    expect(campaignChangePoints(rows)).toEqual(campaignChangePoints(rows));
    // One run after the step is too few to see it (minRuns 3); by the thirtieth run it is there, and new.
    const before = campaignChangePoints(rows.slice(0, 17));
    const now = campaignChangePoints(rows);
    expect(before).toEqual([]);
    expect(newChanges(now, before).map((c) => c.metric)).toEqual(['p99 latency']);
    expect(newChanges(now, now)).toEqual([]);
  });

  it('needs 2 × minRuns runs before testing a series', () => {
    expect(campaignChangePoints(history(3).slice(0, 5))).toEqual([]);
  });
});

describe('campaign change points on the index page', () => {
  it('tables each change with its size and first run after, and draws it as a rule on the metric chart', async () => {
    const rows = history(16);
    const changes = campaignChangePoints(rows);
    const html = renderChangeTable(changes);
    expect(html).toContain('id="change-points" data-count="1"');
    expect(html).toContain('data-target="network" data-metric="p99 latency"');
    expect(html).toContain(changes[0]!.runId);
    expect(changeText({ metric: 'p99 latency', before: 300, after: 345, change: 0.15 })).toBe('+15.0 % (300 → 345)');
    expect(changeText({ metric: 'success rate', before: 0.989, after: 0.976, change: -0.013 })).toBe('−1.3 points (98.9 % → 97.6 %)');
    const svg = await renderSvg(changePointChart(rows, changes));
    expect(svg).toContain('<svg');
    for (const m of ['p50 latency', 'p99 latency', 'cost per job', 'success rate', 'provider losses per running provider-hour']) expect(svg).toContain(m);
    expect(renderChangeTable([])).toContain('data-count="0"');
  });
});
