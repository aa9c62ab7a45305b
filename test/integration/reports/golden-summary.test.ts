// The report's numbers do not move by accident: one seeded scenario replayed
// end to end (the CLI, both simulators over gRPC on loopback, chDB) must give
// the summary.json committed in test/fixtures/golden/, apart from the fields
// that depend on the wall clock (test/helpers/golden.ts). A change that moves
// numbers on purpose regenerates the fixture and commits it with the change:
//   UPDATE_GOLDEN=1 npx vitest run test/integration/reports/golden-summary.test.ts
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { goldenDiff, withoutWallClock } from '../../helpers/golden.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures/golden');
const SCENARIO = join(FIXTURES, 'golden.scenario.yaml');
const GOLDEN = join(FIXTURES, 'summary.golden.json');
const scratch = mkdtempSync(join(tmpdir(), 'mb-golden-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('golden summary', () => {
  it('replays the golden scenario to the committed summary.json numbers', async () => {
    const args = ['replay', '--scenario', SCENARIO, '--run-id', 'golden', '--data-dir', join(scratch, 'data'), '--reports-dir', join(scratch, 'reports'), '--no-progress', '-q'];
    // Exit 4 (inconclusive) is the harness's lateness on a loaded machine, which the comparison leaves out (WALL_CLOCK_FIELDS).
    // Exit 3 is the golden's own gate result (cost_ratio < 0.8 fails since both sides pay for idle capacity); which
    // gates pass is part of summary.json, so the comparison below still catches a change in it.
    await promisify(execFile)('node', [join(ROOT, 'harness/cli/bin.mjs'), ...args], { cwd: scratch, maxBuffer: 64 * 1024 * 1024 }).catch((err: { code?: number }) => {
      if (err.code !== 3 && err.code !== 4) throw err;
    });
    const actual = withoutWallClock(JSON.parse(readFileSync(join(scratch, 'reports/golden/summary.json'), 'utf8')));
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(GOLDEN, JSON.stringify(actual, null, 2) + '\n');
      console.warn(`golden summary rewritten: ${GOLDEN} (review the diff and commit it with the change that moved the numbers)`);
      return;
    }
    expect(existsSync(GOLDEN), `no ${GOLDEN}; create it with UPDATE_GOLDEN=1 npx vitest run test/integration/reports/golden-summary.test.ts`).toBe(true);
    const diff = goldenDiff(JSON.parse(readFileSync(GOLDEN, 'utf8')), actual);
    expect(diff, `summary.json differs from ${GOLDEN}; if the change is intended, regenerate it with UPDATE_GOLDEN=1 (see the header of this file)`).toEqual([]);
  }, 120_000);
});
