/// <reference lib="dom" />
// The report built from a real chDB store holding a synthetic run whose
// numbers are known, then opened in a real headless Chromium.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import type { JobResultRow, RunRow } from '../../../harness/events/schema.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { buildReport, type BuildReportResult } from '../../../reports/build.ts';
import { formatComparisonTable } from '../../../reports/table.ts';
import { evaluateThresholds } from '../../../reports/thresholds.ts';
import { summarySchemaErrors } from '../../helpers/summary-schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'mb-report-'));
const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
const RUN = 'synthetic-run';
const EVIL = '<script>alert(1)</script>';
const N = 400;
let report: BuildReportResult;

function result(target: string, kind: string, i: number, totalS: number, completed: boolean, cost: number): JobResultRow {
  const t0 = 1_700_000_000_000_000 + i * 10_000_000;
  return {
    run_id: RUN, target, target_kind: kind, job_id: `job-${i}`, customer: i % 2 ? EVIL : 'acme', profile: i % 2 ? 'genai-studio' : 'startup-inference',
    task_type: i % 2 ? 'image_generation' : 'llm_inference', gpu_class: 'rtx4090', gpu_count: 1, work_seconds: 10, submitted_at_us: t0,
    intended_at_us: t0, sent_at_us: t0 + 100, first_event_at_us: t0 + 200, started_at_us: t0 + 300, finished_at_us: t0 + 400, lateness_us: 100 + (i % 7),
    queue_us: 1_000_000, exec_us: Math.round(totalS * 1e6) - 1_000_000, total_us: Math.round(totalS * 1e6), status: completed ? 'completed' : 'failed',
    error_class: completed ? '' : EVIL, attempts: completed ? 1 : 2, providers_tried: 1, provider_losses: completed ? 0 : 1, offers: kind === 'decentralized' ? 12 : 0,
    provider_id: 'p', price_per_hour: 0.3, billed_gpu_seconds: 10, cost_native: cost, currency: 'USD', cost_usd: cost, image_bytes: 0, input_bytes: 0,
    output_bytes: 0, events: 5, intended_date: Math.floor(t0 / 1e6),
  };
}

beforeAll(async () => {
  await store.init();
  const r = seededRandom(99);
  const run: RunRow = {
    run_id: RUN, scenario: `scen-${EVIL}`, seed: 1, trace_path: 't.jsonl', trace_checksum: 'abc', speed: 100, targets: ['baseline', 'decentralized'],
    code_version: 'test', started_at_us: 1_700_000_000_000_000, ended_at_us: 1_700_000_100_000_000, status: 'completed', jobs_planned: N, jobs_sent: N,
    trace_start_us: 0, config_json: JSON.stringify({ targets: [{ name: 'decentralized', info: { parameters: { providers: '40 providers [A] no count', price: '0.5 [S] docs' } } }] }),
    updated_at_us: 1, started_date: 1_700_000_000,
  };
  await store.insert('runs', [run]);
  const rows: JobResultRow[] = [];
  for (let i = 0; i < N; i++) {
    const base = 5 + 20 * r.next();
    rows.push(result('baseline', 'baseline', i, base, true, 0.01));
    // The candidate is 1.5× slower on every job, and fails every 40th.
    rows.push(result('decentralized', 'decentralized', i, base * 1.5, i % 40 !== 0, 0.004));
  }
  await store.insert('job_results', rows);
  // A retried batch: the same rows again must not double-count.
  await store.insert('job_results', rows.slice(0, 50));
  await store.insert('provider_events', [
    { run_id: RUN, target: 'decentralized', provider_id: EVIL, online: 1, at_us: 1, received_at_us: 1, gpu_class: 'rtx4090', reason: '', region: '', event_date: 0 },
    { run_id: RUN, target: 'decentralized', provider_id: EVIL, online: 0, at_us: 3_600_000_000, received_at_us: 2, gpu_class: 'rtx4090', reason: 'Shutdown', region: '', event_date: 0 },
    // Still online when the stream ends: a censored session.
    { run_id: RUN, target: 'decentralized', provider_id: 'p2', online: 1, at_us: 1_800_000_000, received_at_us: 3, gpu_class: 'rtx4090', reason: '', region: '', event_date: 0 },
  ]);
  report = await buildReport(store, RUN, { outDir: join(dir, 'out'), thresholds: ['p50_ratio < 2', 'p99_ratio < 1.2', 'nosuch.p99 < 1'] });
});
afterAll(() => store.close());

describe('report', () => {
  it('reports the numbers of a direct query of the store, counting a retried batch once', async () => {
    const direct = await store.query<{ target: string; jobs: number; completed: number; p50: number; p99: number; cost: number }>(
      `SELECT target, count() AS jobs, countIf(status='completed') AS completed, quantileExactIf(0.5)(total_us, status='completed')/1e6 AS p50,
       quantileExactIf(0.99)(total_us, status='completed')/1e6 AS p99, sum(cost_usd) AS cost FROM mirrorbench.job_results FINAL WHERE run_id='${RUN}' GROUP BY target ORDER BY target`,
    );
    expect(direct.map((d) => d.jobs)).toEqual([N, N]);
    for (const d of direct) {
      const t = report.summary.targets.find((x) => x.name === d.target)!;
      expect(t.jobs).toBe(d.jobs);
      expect(t.completed).toBe(d.completed);
      expect(t.latency.p50).toBeCloseTo(d.p50, 9);
      expect(t.latency.p99).toBeCloseTo(d.p99, 9);
      expect(t.costUsd.total).toBeCloseTo(d.cost, 9);
    }
    expect(report.summary.targets.find((t) => t.name === 'decentralized')!.failed).toBe(10);
    expect(JSON.parse(readFileSync(report.summaryPath, "utf8"))).toEqual(JSON.parse(JSON.stringify(report.summary)));
    expect(summarySchemaErrors(JSON.parse(readFileSync(report.summaryPath, 'utf8')))).toEqual([]);
  });

  it('finds the 1.5× slowdown paired by job and the cheaper cost, with intervals', () => {
    const p50 = report.summary.comparisons.find((c) => c.metric === 'p50 latency')!;
    expect(p50.ratio).toBeCloseTo(1.5, 1);
    expect(p50.ci[0]).toBeGreaterThan(1.4);
    expect(p50.verdict).toBe('worse');
    const cost = report.summary.comparisons.find((c) => c.metric === 'cost per job')!;
    expect(cost.verdict).toBe('better');
    expect(report.summary.baseline).toBe('baseline');
    expect(report.summary.assumptions).toEqual([{ target: 'decentralized', parameter: 'providers', value: '40 providers [A] no count' }]);
    expect(formatComparisonTable(report.summary)).toMatch(/p50 latency .* worse/);
  });

  it('prints in the terminal the figures of the page, in the same formats', () => {
    const html = readFileSync(report.htmlPath, 'utf8');
    const text = formatComparisonTable(report.summary).split('\n');
    const cellsOf = (row: string) => [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<br>/g, ' ').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&'));
    const rowsOf = (marker: string) => [...html.slice(html.indexOf(marker)).split('</tbody>')[0]!.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) => cellsOf(m[1]!)).filter((r) => r.length);
    // Targets: jobs, success with its interval, p50/p90/p99, jobs/h, cost, cost/job, losses per running provider-hour.
    const targets = rowsOf('verdict-table');
    expect(targets.length).toBe(report.summary.targets.length);
    for (const cells of targets) {
      const line = text.find((l) => l.startsWith(`${cells[0]} `))!;
      expect(line).toBeDefined();
      for (const i of [2, 3, 4, 5, 6, 7, 9, 10, 13]) expect(line, `column ${i}`).toContain(cells[i]!);
    }
    // Headline comparisons: change with its interval and both sides' values, as the first screen prints them.
    const headline = rowsOf('class="comparisons sortable"');
    expect(headline.length).toBe(report.summary.comparisons.length);
    for (const cells of headline) {
      const line = text.find((l) => l.startsWith(`${cells[0]} `))!;
      expect(line).toBeDefined();
      for (const i of [2, 3, 4]) expect(line, `column ${i}`).toContain(cells[i]!);
    }
  });

  it('estimates provider session survival with censoring, and the paired latency shift', () => {
    const sessions = report.summary.survival.filter((c) => c.kind === 'provider_session');
    expect(sessions).toHaveLength(1);
    // One session of 1 h on the target clock × speed 100 ends (observed); one of 50 trace hours is censored.
    expect(sessions[0]).toMatchObject({ target: 'decentralized', n: 2, events: 1 });
    expect(sessions[0]!.medianHours).toBeCloseTo(100, 6);
    expect(sessions[0]!.curve).toHaveLength(1);
    expect(sessions[0]!.curve[0]!.t).toBeCloseTo(100, 6);
    expect(sessions[0]!.curve[0]!.s).toBe(0);
    // The candidate takes 1.5× the baseline's 5–25 s: a shift of about half the baseline median (~7.5 s).
    expect(report.summary.latencyShift!.pairs).toBe(390);
    expect(report.summary.latencyShift!.seconds).toBeGreaterThan(6);
    expect(report.summary.latencyShift!.seconds).toBeLessThan(9);
    expect(report.summary.inFlight.length).toBeGreaterThan(0);
    const html = readFileSync(report.htmlPath, 'utf8');
    expect(html).toContain('id="latency-shift"');
    expect(html).toMatch(/Provider online sessions/);
  });

  it('states its confidence level, the default unless the scenario sets one', () => {
    expect(report.summary.confidence).toBe(0.95);
    const html = readFileSync(report.htmlPath, 'utf8');
    expect(html).toContain('success [95% CI]');
  });

  it('escapes every value from traces and backends', () => {
    const html = readFileSync(report.htmlPath, 'utf8');
    expect(html).not.toContain(EVIL);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<svg');
    // One inline script (tooltips, sorting, filter), nothing loaded from anywhere.
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).toMatch(/<script>\n\(function/);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('gates on thresholds and rejects bad expressions', () => {
    expect(evaluateThresholds(report.summary, ['p50_ratio < 2', 'baseline.success_rate >= 1']).passed).toBe(true);
    const failed = evaluateThresholds(report.summary, ['p99_ratio < 1.2', 'success_rate > 0.99']);
    expect(failed.passed).toBe(false);
    expect(failed.results.map((r) => r.passed)).toEqual([false, false]);
    expect(() => evaluateThresholds(report.summary, ['p99 is small'])).toThrow(/expected "<metric> <op> <number>"/);
    expect(() => evaluateThresholds(report.summary, ['p42 < 1'])).toThrow(/unknown metric "p42"/);
  });

  it('carries the gates, the bottom line and the decision matrix in summary.json', () => {
    expect(report.summary.thresholds.passed).toBe(false);
    expect(report.summary.thresholds.results.map((r) => [r.expression, r.passed])).toEqual([['p50_ratio < 2', true], ['p99_ratio < 1.2', false], ['nosuch.p99 < 1', false]]);
    expect(report.summary.thresholds.results[0]!.value).toBeCloseTo(1.5, 1);
    expect(report.summary.thresholds.results[2]).toMatchObject({ value: null, detail: expect.stringMatching(/no target "nosuch"/) });
    // Harrell–Davis puts the median ratio at 1.5 itself, which the bottom line words as a multiple.
    expect(report.summary.bottomLine.sentence).toMatch(/^On decentralized against baseline: cost per job is .*% lower; median latency is (.*% longer|1\.5× longer)/);
    // Two workloads, both 60% cheaper and 1.5× slower, so the p99 interval straddles the 1.5× margin; every 40th job
    // (all in llm_inference) fails on the candidate: 5 points lost, beyond the 1-point margin.
    expect(report.summary.decision!.rows.map((r) => [r.taskType, r.decision])).toEqual([
      ['image_generation', 'could move with conditions'],
      ['llm_inference', 'keep'],
    ]);
    expect(report.summary.decision!.rows[1]!.successChangePts.estimate).toBeCloseTo(-5, 6);
  });

  it('names an unknown run', async () => {
    await expect(buildReport(store, 'no-such-run', { outDir: join(dir, 'out') })).rejects.toThrow(/no run "no-such-run"/);
  });

  const CHROMIUM = '/usr/bin/chromium';
  const haveChromium = existsSync(CHROMIUM);
  if (!haveChromium && !process.env.CI) console.warn(`skipping the browser check: ${CHROMIUM} is missing (apt-get install chromium)`);

  /** Opens the report in a fresh page, recording console errors and every request besides the page itself. */
  async function open(browser: Browser, viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light') {
    const page = await browser.newPage({ viewport, colorScheme });
    const errors: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(report.htmlPath).href;
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => r.url() !== url && requests.push(r.url()));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(url);
    return { page, errors, requests };
  }

  describe.skipIf(!haveChromium && !process.env.CI)('in headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    });
    afterAll(() => browser?.close());

    it('shows the numbers of summary.json', async () => {
      const { page, errors } = await open(browser, { width: 1440, height: 900 });
      const cells = await page.$$eval('table.verdict-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')));
      const summary = JSON.parse(readFileSync(report.summaryPath, 'utf8')) as BuildReportResult['summary'];
      expect(cells.map((c) => c[0])).toEqual(summary.targets.map((t) => t.name));
      for (const [i, t] of summary.targets.entries()) {
        expect(cells[i]![2]).toBe(String(t.jobs));
        expect(cells[i]![3]).toContain(`${(t.successRate * 100).toFixed(1)}%`);
        expect(cells[i]![4]).toBe(`${t.latency.p50.toFixed(1)} s`);
      }
      const verdicts = await page.$$eval('[data-verdict]', (els) => els.map((e) => e.getAttribute('data-verdict')));
      expect(verdicts).toEqual(summary.comparisons.map((c) => c.verdict));
      const out = resolve(import.meta.dirname, '../../output');
      mkdirSync(out, { recursive: true });
      await page.screenshot({ path: join(out, 'report.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });

    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      it(`at ${viewport.width}×${viewport.height}: no sideways scroll, the answer on the first screen, a legend on every chart, no error, no request`, async () => {
        const { page, errors, requests } = await open(browser, viewport);
        const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
        // The bottom line and the threshold results sit inside the first screen.
        for (const id of ['#bottom-line', '#thresholds']) {
          const box = await page.locator(id).boundingBox();
          expect(box, id).not.toBeNull();
          expect(box!.y, `${id} top`).toBeLessThan(viewport.height);
        }
        expect(await page.locator('#bottom-line').textContent()).toBe(report.summary.bottomLine.sentence);
        expect(await page.locator('#thresholds li').allTextContents()).toEqual([
          expect.stringMatching(/^✓ p50_ratio < 2 — p50_ratio = 1\.5/),
          expect.stringMatching(/^✗ p99_ratio < 1\.2 — p99_ratio = 1\.5/),
          expect.stringMatching(/^✗ nosuch\.p99 < 1 — threshold .* no target "nosuch"/),
        ]);
        const charts = await page.$$eval('.chart svg', (svgs) => svgs.map((svg) => ({ title: svg.querySelector('.role-title-text')?.textContent ?? '?', legends: svg.querySelectorAll('.role-legend').length })));
        expect(charts.length).toBeGreaterThanOrEqual(10);
        for (const c of charts) expect(c.legends, `legend of "${c.title}"`).toBeGreaterThan(0);
        if (viewport.width >= 1440) {
          // On a laptop every table fits as it is: none needs its own scroll bar.
          const scrolled = await page.$$eval('.table-wrap', (ws) => ws.filter((w) => w.scrollWidth > w.clientWidth).map((w) => w.previousElementSibling?.textContent ?? '?'));
          expect(scrolled).toEqual([]);
        }
        if (viewport.width < 500) {
          // A table wider than the phone scrolls in its own box, its first column pinned.
          const wide = await page.$$eval('.table-wrap', (ws) => ws.filter((w) => w.scrollWidth > w.clientWidth).map((w) => getComputedStyle(w.querySelector('td')!).position));
          expect(wide.length).toBeGreaterThan(0);
          expect(new Set(wide)).toEqual(new Set(['sticky']));
        }
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);
        await page.close();
      });
    }

    it('shows a tooltip on hover over a chart point', async () => {
      const { page } = await open(browser, { width: 1440, height: 900 });
      const point = page.locator('#latency-cdf [role="graphics-symbol"][aria-roledescription="point"]').nth(40);
      const label = await point.getAttribute('aria-label');
      expect(label).toMatch(/% of all jobs done within/);
      await point.scrollIntoViewIfNeeded();
      await point.hover({ force: true });
      await expect.poll(() => page.locator('#tip').isVisible()).toBe(true);
      expect(await page.locator('#tip').textContent()).toMatch(/% of all jobs done within/);
      await page.mouse.move(2, 2);
      await expect.poll(() => page.locator('#tip').isVisible()).toBe(false);
      await page.close();
    });

    it('sorts a table by a click on its heading, then the other way', async () => {
      const { page } = await open(browser, { width: 1440, height: 900 });
      const table = page.locator('#latency table.sortable').first();
      const p50 = () => table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.children[4]!.getAttribute('data-sort'))));
      await table.locator('th', { hasText: /^p50$/ }).click();
      const up = await p50();
      expect(up).toEqual([...up].sort((a, b) => a - b));
      await table.locator('th', { hasText: /^p50$/ }).click();
      const down = await p50();
      expect(down).toEqual([...up].reverse());
      expect(await table.locator('th', { hasText: /^p50$/ }).getAttribute('aria-sort')).toBe('descending');
      await page.close();
    });

    it('filters workload rows by task type, and keeps the assumptions collapsed', async () => {
      const { page } = await open(browser, { width: 1440, height: 900 });
      await page.selectOption('#workload-filter', 'llm_inference');
      const shown = await page.$$eval('tr[data-task-type]', (trs) => trs.filter((t) => !(t as HTMLElement).hidden).map((t) => t.getAttribute('data-task-type')));
      expect(shown.length).toBeGreaterThan(0);
      expect(new Set(shown)).toEqual(new Set(['llm_inference']));
      expect(await page.locator('#assumptions details').getAttribute('open')).toBeNull();
      expect(await page.locator('#toc, nav.toc a').count()).toBeGreaterThan(8);
      await page.close();
    });

    it('prints at full scale: nothing wider than an A4 landscape page (277 mm = 1047 px inside its margins)', async () => {
      const { page } = await open(browser, { width: 1047, height: 700 });
      await page.emulateMedia({ media: 'print' });
      const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, tables: Array.from(document.querySelectorAll('table')).map((t) => t.scrollWidth) }));
      expect(w.scroll).toBeLessThanOrEqual(1047);
      for (const t of w.tables) expect(t).toBeLessThanOrEqual(1047);
      await page.close();
    });

    it('renders in dark mode with verdict colours at WCAG AA contrast in both schemes', async () => {
      for (const scheme of ['light', 'dark'] as const) {
        const { page, errors } = await open(browser, { width: 1440, height: 900 }, scheme);
        const r = await page.evaluate(() => {
          const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
          const lum = (c: string) => {
            const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
          };
          const contrast = (a: string, b: string) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
          const bg = getComputedStyle(document.body).backgroundColor;
          const colours = Array.from(document.querySelectorAll('[data-verdict="better"], [data-verdict="worse"], [data-mv="meets"], [data-mv="misses"]')).map((e) => getComputedStyle(e).color);
          return { bgLum: lum(bg), text: contrast(getComputedStyle(document.body).color, bg), verdicts: colours.map((c) => contrast(c, bg)) };
        });
        // Charts follow the scheme: their frame text (axes, titles, legends) reads at AA against the chart's own
        // background, which is dark in dark mode; target colours keep 3:1 there (WCAG 1.4.11, graphics).
        const charts = await page.evaluate(() => {
          const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
          const lum = (c: string) => {
            const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
          };
          const contrast = (a: string, b: string) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
          return Array.from(document.querySelectorAll('.chart svg')).map((svg) => {
            const bg = getComputedStyle(svg.querySelector(':scope > rect')!).fill;
            const text = Array.from(svg.querySelectorAll('.role-axis-label text, .role-axis-title text, .role-legend-label text, .role-title-text text')).map((t) => contrast(getComputedStyle(t).fill, bg));
            const series = Array.from(svg.querySelectorAll('.role-legend-symbol path')).map((p) => getComputedStyle(p).fill).filter((f) => f !== 'none' && !f.startsWith('rgba(0, 0, 0, 0)'));
            return { bgLum: lum(bg), minText: Math.min(...text), minSeries: Math.min(...series.map((f) => contrast(f, bg))), low: series.filter((f) => contrast(f, bg) < 3), id: svg.closest(".chart")?.id };
          });
        });
        expect(charts.length).toBeGreaterThan(5);
        for (const c of charts) {
          if (scheme === 'dark') expect(c.bgLum).toBeLessThan(0.05);
          else expect(c.bgLum).toBeGreaterThan(0.9);
          expect(c.minText).toBeGreaterThanOrEqual(4.5);
          if (scheme === "dark" && Number.isFinite(c.minSeries)) expect(c.minSeries, JSON.stringify(c)).toBeGreaterThanOrEqual(3);
        }
        if (scheme === 'dark') expect(r.bgLum).toBeLessThan(0.05);
        else expect(r.bgLum).toBeGreaterThan(0.9);
        expect(r.text).toBeGreaterThan(7);
        expect(r.verdicts.length).toBeGreaterThan(0);
        for (const c of r.verdicts) expect(c).toBeGreaterThanOrEqual(4.5);
        expect(errors).toEqual([]);
        await page.close();
      }
    });
  });
});
