// Issue 16 item 7: no data is "no data". A target on which no job completed
// has no latency: a gate on it fails saying so, instead of reading the
// store's quantile of nothing (0) and passing "p99 < 1". The same for ratios
// without completed pairs and for gates on every target at once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../harness/common/logger.ts';
import { runScenario } from '../../../harness/run/run-scenario.ts';
import { formatComparisonTable } from '../../../reports/table.ts';
import { evaluateThresholds } from '../../../reports/thresholds.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';
import { sectionInput, target } from '../../helpers/section-input.ts';
import type { ReportSummary } from '../../../reports/summary-types.ts';

describe('gates on a target with no completed job', () => {
  it('fail with "no data" when the baseline completed nothing (every job needs two GPUs, which it refuses)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-nodata-'));
    const JOBS = 30;
    const lines = Array.from({ length: JOBS }, (_, i) =>
      JSON.stringify({ job_id: `two-gpu-${i}`, submitted_at: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(), customer: 'c', task_type: 'llm_inference', work_seconds: 30, gpu_count: 2 }),
    );
    writeFileSync(join(dir, 'two-gpu.jsonl'), lines.join('\n') + '\n');
    const scenario = ScenarioSchema.parse({
      name: 'no-data',
      seed: 4,
      trace: { file: join(dir, 'two-gpu.jsonl') },
      speed: { fitSeconds: 2 },
      targets: [
        { name: 'baseline', sim: 'baseline' },
        { name: 'decentralized', sim: 'decentralized' },
      ],
      thresholds: ['baseline.p99 < 1', 'p99 < 100000', 'p99_ratio < 100', 'baseline.success_rate >= 0', 'decentralized.success_rate >= 0'],
    });
    const result = await runScenario({ scenario, logger: silentLogger(), dataDir: dir, reportsDir: join(dir, 'reports'), progress: false, store: { kind: 'chdb', path: join(dir, 'chdb') } });
    const baseline = result.report.summary.targets.find((t) => t.name === 'baseline')!;
    expect(baseline.jobs).toBe(JOBS);
    expect(baseline.completed).toBe(0);
    expect(result.thresholds.passed).toBe(false);
    const byExpr = Object.fromEntries(result.thresholds.results.map((r) => [r.expression, r]));
    expect(byExpr['baseline.p99 < 1']).toMatchObject({ passed: false, value: null, detail: 'baseline.p99: no data: no job completed on baseline' });
    expect(byExpr['p99 < 100000']).toMatchObject({ passed: false, value: null, detail: 'p99: no data: no job completed on baseline' });
    expect(byExpr['p99_ratio < 100']).toMatchObject({ passed: false, value: null });
    expect(byExpr['p99_ratio < 100']!.detail).toMatch(/no data: fewer than two jobs completed on both baseline and decentralized/);
    // A rate over sent jobs is data: 0 of 30 completed.
    expect(byExpr['baseline.success_rate >= 0']).toMatchObject({ passed: true, value: 0 });
    expect(byExpr['decentralized.success_rate >= 0']!.passed).toBe(true);
    // The terminal table shows no latency for it rather than 0 ms.
    const row = formatComparisonTable(result.report.summary).split('\n').find((l) => l.startsWith('baseline'))!;
    expect(row).not.toMatch(/\d ms/);
    expect(row).toContain('n/a');
  }, 120_000);

  it('fail when a target received no job, or when a figure is not a number', () => {
    const summary = { ...sectionInput(), targets: [target('baseline'), target('decentralized', { jobs: 0, completed: 0, successRate: Number.NaN })], comparisons: [] } as unknown as ReportSummary;
    const r = evaluateThresholds(summary, ['decentralized.cost_per_job < 1', 'success_rate > 0', 'baseline.p99 < 10']);
    expect(r.results.map((x) => [x.passed, x.detail])).toEqual([
      [false, 'decentralized.cost_per_job: no data: no job was sent to decentralized'],
      [false, 'success_rate: no data: no job was sent to decentralized'],
      [true, 'baseline.p99 = 3'],
    ]);
    const nan = { ...summary, targets: [target('baseline', { costUsd: { total: 1, perJob: Number.NaN, perUsefulGpuHour: 0, perWallGpuHour: 0 } })] } as ReportSummary;
    expect(evaluateThresholds(nan, ['cost_per_job < 1']).results[0]).toMatchObject({ passed: false, value: null, detail: 'cost_per_job: no data: cost_per_job on baseline is not a number (NaN)' });
    expect(() => evaluateThresholds({ ...nan, candidate: null }, ['p99_ratio < 2'])).toThrow(/needs two targets/);
  });
});
