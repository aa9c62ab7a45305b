// The comparisons section with a noise floor, on hand-made rows: the twin's
// A/A spread is stated per metric, and a small planted difference that the
// headline calls without a floor reads "~" within it.
import { describe, expect, it } from 'vitest';
import type { PairRow } from '../../../../reports/queries.ts';
import { comparisonsSection } from '../../../../reports/sections/comparisons.ts';
import { buildTargets } from '../../../../reports/sections/targets.ts';
import { cellText, targetLabel } from '../../../../reports/cells.ts';
import { evaluateThresholds } from '../../../../reports/thresholds.ts';
import { pairRows, sectionInput } from '../../../helpers/section-input.ts';
import { summarySchemaErrors } from '../../../helpers/summary-schema.ts';

const N = 400;
/** The baseline's twin: the same jobs 15 % slower (a run-level draw of a second instance), with ±10 % per-job noise. */
function twinRows(rows: readonly PairRow[]): PairRow[] {
  return rows
    .filter((r) => r.target === 'baseline')
    .map((r, i) => ({ ...r, target: 'baseline~aa', total_us: Math.round(r.total_us * 1.15 * (0.9 + 0.2 * ((i * 7919) % 101) / 100)) }));
}

describe('noise floor in the comparisons section', () => {
  const rows = pairRows(N, { ratio: 1.1, base: (i) => 5 + (i % 17) + ((i * 31) % 13) / 7 });
  const all = [...rows, ...twinRows(rows)];
  const config = (nf: boolean) => JSON.stringify({ scenario: { report: { margin: 0 } }, ...(nf ? { noiseFloor: { target: 'baseline', twin: 'baseline~aa' } } : {}) });

  it('without a floor, the planted ×1.1 is called worse', () => {
    const out = comparisonsSection.build(all, sectionInput({}, config(false)));
    expect(out.comparisons.find((c) => c.metric === 'p50 latency')!.verdict).toBe('worse');
    expect(out.verdictRule.noiseFloor).toBeUndefined();
  });

  it('with the floor, the A/A spread is stated and the ×1.1 within it reads "~"', () => {
    const out = comparisonsSection.build(all, sectionInput({}, config(true)));
    const nf = out.verdictRule.noiseFloor!;
    expect(nf).toMatchObject({ target: 'baseline', twin: 'baseline~aa', pairs: N });
    const p50 = nf.lines.find((l) => l.metric === 'p50 latency')!;
    expect(p50.estimate).toBeGreaterThan(1.1);
    expect(p50.floor).toBeGreaterThan(0.1);
    const head = out.comparisons.find((c) => c.metric === 'p50 latency')!;
    expect(head.verdict).toBe('~');
    expect(head.reason).toContain('within the A/A noise floor');
    // The A/A lines are the metrics of the headline.
    expect(nf.lines.map((l) => l.metric)).toEqual(out.comparisons.map((c) => c.metric));
  });

  it('never makes the twin the baseline or the candidate', () => {
    const row = (name: string, kind: string) => ({ target: name, kind, jobs: 10, completed: 10, failed: 0, p50: 1, p90: 2, p99: 3, queue_p50: 0, exec_p50: 1, span_s: 3600, useful_gpu_s: 10, billed_gpu_s: 10, cost_usd: 1, cost_native: 1, currency: 'USD', losses: 0, job_hours: 1, running_hours: 1, attempts_mean: 1, retried: 0, late_p50_us: 0, late_p99_us: 0, late_max_us: 0 });
    const data = { rows: [row('a~aa', 'decentralized'), row('a', 'decentralized'), row('b', 'decentralized')], withheld: [] } as unknown as Parameters<typeof buildTargets>[0];
    const t = buildTargets(data, 0.95, 'a~aa', 'a');
    expect([t.baseline, t.candidate]).toEqual(['a', 'b']);
    expect(buildTargets(data, 0.95).baseline).toBe('a~aa');
    // Listed last and marked, so the targets and cost tables say what it is; the charts and bare gates leave it out.
    expect(t.targets.map((x) => [x.name, x.aaTwinOf])).toEqual([['a', undefined], ['b', undefined], ['a~aa', 'a']]);
    expect(cellText(targetLabel(t.targets[2]!))).toBe('a~aa (A/A twin of a)');
    const worst = (over: number) => ({ ...t, comparisons: [], targets: t.targets.map((x) => ({ ...x, successRate: x.aaTwinOf ? over : 0.99 })) });
    expect(evaluateThresholds(worst(0.5), ['success_rate > 0.98']).passed).toBe(true);
    expect(evaluateThresholds(worst(0.5), ['a~aa.success_rate > 0.98']).passed).toBe(false);
  });

  it('summary.json with a noise floor matches the schema', () => {
    const out = comparisonsSection.build(all, sectionInput({}, config(true)));
    const errs = summarySchemaErrors({ verdictRule: out.verdictRule }).filter((e) => e.startsWith('verdictRule'));
    expect(errs).toEqual([]);
  });
});
