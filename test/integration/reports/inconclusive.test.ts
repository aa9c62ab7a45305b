// An interrupted run's report, built from a real chDB store and opened in
// headless Chromium: the page opens with the red INCONCLUSIVE banner that
// gives the reasons in numbers, and shows no verdict as a finding; jobs cut
// by the interrupt are unfinished, not failures.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import type { JobResultRow, RunRow } from '../../../harness/events/schema.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { buildReport, type BuildReportResult } from '../../../reports/build.ts';
import { formatComparisonTable } from '../../../reports/table.ts';
import { summarySchemaErrors } from '../../helpers/summary-schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'mb-inconclusive-'));
const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
const RUN = 'interrupted-run';
const N = 300;
const UNFINISHED = 40;
let report: BuildReportResult;

function row(target: string, kind: string, i: number, totalS: number, status: string, o: Partial<JobResultRow> = {}): JobResultRow {
  const t0 = 1_700_000_000_000_000 + i * 1_000_000;
  return {
    run_id: RUN, target, target_kind: kind, job_id: `job-${i}`, customer: 'acme', profile: 'startup-inference', task_type: 'llm_inference', gpu_class: 'rtx4090',
    gpu_count: 1, work_seconds: 4, submitted_at_us: t0, intended_at_us: t0, sent_at_us: t0 + 100, first_event_at_us: t0 + 200, started_at_us: t0 + 300,
    finished_at_us: t0 + 400, lateness_us: 100, queue_us: 0, exec_us: Math.round(totalS * 1e6), total_us: Math.round(totalS * 1e6), status,
    error_class: status === 'unfinished' ? 'interrupted' : '', attempts: 1, providers_tried: 1, provider_losses: 0, offers: 0, provider_id: 'p', price_per_hour: 0.3,
    billed_gpu_seconds: 4, cost_native: 0.001, currency: 'USD', cost_usd: 0.001, image_bytes: 0, input_bytes: 0, output_bytes: 0, events: 4, intended_date: Math.floor(t0 / 1e6),
    ...o,
  };
}

beforeAll(async () => {
  await store.init();
  const run: RunRow = {
    run_id: RUN, scenario: 'llm-hour', seed: 1, trace_path: 't.jsonl', trace_checksum: 'abc', speed: 30, targets: ['baseline', 'network'], code_version: 'test',
    started_at_us: 1_700_000_000_000_000, ended_at_us: 1_700_000_600_000_000, status: 'interrupted', jobs_planned: 19_366, jobs_sent: 12_888, trace_start_us: 0,
    config_json: '{}', updated_at_us: 1, started_date: 1_700_000_000,
  };
  await store.insert('runs', [run]);
  const r = seededRandom(7);
  const rows: JobResultRow[] = [];
  for (let i = 0; i < N; i++) {
    const base = 3 + 2 * r.next();
    // The baseline's release clock ran late: up to 9.7 minutes by the end.
    const late = Math.round((582e6 * i) / (N - 1));
    rows.push(row('baseline', 'baseline', i, base, 'completed', { lateness_us: late, sent_at_us: 1_700_000_000_000_000 + i * 1_000_000 + late }));
    const cut = i >= N - UNFINISHED;
    rows.push(row('network', 'decentralized', i, base * 3, cut ? 'unfinished' : 'completed'));
  }
  await store.insert('job_results', rows);
  report = await buildReport(store, RUN, { outDir: join(dir, 'out') });
}, 120_000);

afterAll(async () => {
  await store.close();
});

describe('an interrupted run', () => {
  it('is INCONCLUSIVE in summary.json, with its reasons in numbers', () => {
    const { validity } = report.summary;
    expect(validity.valid).toBe(false);
    expect(validity.reasons.map((x) => x.code)).toEqual(['run_not_completed', 'lateness_over_bound']);
    expect(validity.reasons[0]!.message).toContain('12,888 of 19,366 jobs sent (67 %)');
    expect(validity.reasons[0]!.message).toContain(`${UNFINISHED} target jobs had no outcome yet`);
    expect(validity.reasons[1]!.message).toContain('baseline sent up to 9.7 min late');
    expect(summarySchemaErrors(JSON.parse(readFileSync(report.summaryPath, 'utf8')))).toEqual([]);
  });

  it('counts jobs cut by the interrupt as unfinished, not as failures', () => {
    const net = report.summary.targets.find((t) => t.name === 'network')!;
    expect(net.jobs).toBe(N - UNFINISHED);
    expect(net.failed).toBe(0);
    expect(net.successRate).toBe(1);
    expect(report.summary.harnessQueue.find((q) => q.target === 'network')!.unfinished).toBe(UNFINISHED);
    expect(report.summary.errorClasses.filter((e) => e.errorClass === 'interrupted')).toEqual([]);
  });

  it('prints INCONCLUSIVE first in the terminal and marks every verdict not counted', () => {
    const text = formatComparisonTable(report.summary);
    expect(text.split('\n')[0]).toMatch(/^INCONCLUSIVE/);
    expect(report.summary.comparisons.length).toBeGreaterThan(0);
    expect(text).toContain('(not counted)');
  });

  const CHROMIUM = '/usr/bin/chromium';
  const haveChromium = existsSync(CHROMIUM);
  it.skipIf(!haveChromium && !process.env.CI)('opens in Chromium with the red banner first and no verdict shown as a finding', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(pathToFileURL(report.htmlPath).href);
      const banner = page.locator('#inconclusive');
      expect(await banner.isVisible()).toBe(true);
      // The banner is the first thing on the page, above the title.
      expect(await page.evaluate('document.body.firstElementChild.id')).toBe('inconclusive');
      expect(await banner.innerText()).toContain('INCONCLUSIVE');
      expect(await banner.innerText()).toContain('12,888 of 19,366 jobs sent (67 %)');
      expect(await banner.innerText()).toContain('baseline sent up to 9.7 min late');
      expect(await page.evaluate("getComputedStyle(document.getElementById('inconclusive')).color")).toBe('rgb(176, 0, 32)');
      // No verdict is shown as a finding: none carries better/worse, every one is marked void, greyed and "not counted".
      const verdicts = (await page.evaluate("[...document.querySelectorAll('[data-verdict]')].map((e) => ({ v: e.getAttribute('data-verdict'), text: e.textContent, color: getComputedStyle(e).color }))")) as { v: string; text: string; color: string }[];
      expect(verdicts.length).toBe(report.summary.comparisons.length);
      for (const v of verdicts) {
        expect(v.v).toBe('void');
        expect(v.text).toContain('not counted');
        expect(v.color).toBe('rgb(85, 91, 97)');
      }
      expect(await page.locator('.verdict-better, .verdict-worse').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
