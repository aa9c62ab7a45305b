// The README's picture of a report's first screen, made by the code rather
// than by hand: replays the golden scenario (test/fixtures/golden) into a
// scratch directory and photographs its index.html in headless Chromium at
// 1440×900. `npm run screenshot` writes docs/report-first-screen.png; with
// a path argument, an existing report is photographed instead (also at 390 px
// wide with --phone).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'docs/report-first-screen.png');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

async function goldenReport(scratch: string): Promise<string> {
  const args = ['replay', '--scenario', join(ROOT, 'test/fixtures/golden/golden.scenario.yaml'), '--run-id', 'golden', '--data-dir', join(scratch, 'data'), '--reports-dir', join(scratch, 'reports'), '--no-progress', '-q'];
  try {
    await promisify(execFile)('node', [join(ROOT, 'harness/cli/bin.mjs'), ...args], { cwd: scratch, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    // A failed gate (3) or an inconclusive run (4) still writes its report, and the picture shows that state.
    const code = (err as { code?: unknown }).code;
    if (code !== 3 && code !== 4) throw err;
  }
  return join(scratch, 'reports/golden/index.html');
}

const argv = process.argv.slice(2);
const phone = argv.includes('--phone');
const given = argv.find((a) => !a.startsWith('--'));
const scratch = mkdtempSync(join(tmpdir(), 'mb-shot-'));
try {
  const html = given ? resolve(given) : await goldenReport(scratch);
  const out = given ? resolve(`${given.replace(/\.html$/, '')}${phone ? '-390' : '-1440'}.png`) : OUT;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: phone ? { width: 390, height: 844 } : { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(html).href);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: argv.includes('--full') });
    process.stdout.write(`${out}\n`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
