// End-to-end A/A (issue 14): a scenario whose two targets are the same
// simulator with different seeds, replayed through the CLI (both simulators
// over gRPC, chDB, the report), R times with different scenario seeds; counts
// the headline comparisons that called a difference. Too slow for `npm test`
// (about half a minute per run). Environment: BENCH_AA_RUNS (20),
// BENCH_AA_JOBS (300 per run), BENCH_AA_SIMS (baseline,decentralized),
// BENCH_AA_FLOOR=1 (the scenario asks for the A/A noise floor on target a:
// a third instance, and calls within its spread read "~"), BENCH_AA_REPLICATES=k
// (each run is a set of k replicates; the combined lines are counted, every
// replicate combined as the single-run figures count INCONCLUSIVE runs),
// BENCH_AA_SEED0 (1000: run k uses scenario seed SEED0 + k, so a later batch
// can extend an earlier one without repeating its seeds).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { combinedBlock } from '../../reports/sections/replicates.ts';
import type { ReportSummary } from '../../reports/summary-types.ts';

const ROOT = resolve(import.meta.dirname, '../..');

interface Line {
  metric: string;
  verdict: string;
  reason?: string;
}

export async function aaE2eBench() {
  const runs = Number(process.env.BENCH_AA_RUNS ?? 20);
  const jobs = Number(process.env.BENCH_AA_JOBS ?? 300);
  const sims = (process.env.BENCH_AA_SIMS ?? 'baseline,decentralized').split(',');
  const floor = process.env.BENCH_AA_FLOOR === '1';
  const replicates = Number(process.env.BENCH_AA_REPLICATES ?? 0);
  const seed0 = Number(process.env.BENCH_AA_SEED0 ?? 1000);
  const out: Record<string, unknown> = { runs, jobs, seeds: `${seed0}–${seed0 + runs - 1}`, noiseFloor: floor, ...(replicates ? { replicates } : {}) };
  for (const sim of sims) {
    const dir = mkdtempSync(join(tmpdir(), `mb-aa-${sim}-`));
    let tested = 0;
    let called = 0;
    let runsWithCall = 0;
    let inconclusive = 0;
    let withinFloor = 0;
    const perMetric: Record<string, { tested: number; called: number }> = {};
    try {
      for (let k = 0; k < runs; k++) {
        const scenario = join(dir, `aa-${k}.yaml`);
        writeFileSync(scenario, [
          `name: aa-${sim}`,
          `seed: ${seed0 + k}`,
          `trace:\n  generate: { jobs: ${jobs}, spanSeconds: 21600 }`,
          'speed: { fitSeconds: 6 }',
          `targets:\n  - { name: a, sim: ${sim} }\n  - { name: b, sim: ${sim} }`,
          ...(floor ? ['noiseFloor: { target: a }'] : []),
          ...(replicates ? [`replicates: ${replicates}`] : []),
          '',
        ].join('\n'));
        const args = ['replay', '--scenario', scenario, '--run-id', `aa-${k}`, '--data-dir', join(dir, `data-${k}`), '--reports-dir', join(dir, 'reports'), '--no-progress', '-q'];
        // Exit 4: the run was judged INCONCLUSIVE (on a loaded machine, release lateness over its bound); its
        // report is written all the same and its comparisons are counted, the run is counted as inconclusive.
        const code = await promisify(execFile)('node', [join(ROOT, 'harness/cli/bin.mjs'), ...args], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).then(
          () => 0,
          (err: { code?: number }) => {
            if (err.code === 4) return 4;
            throw err;
          },
        );
        if (code === 4) inconclusive++;
        const read = (id: string) => JSON.parse(readFileSync(join(dir, 'reports', id, 'summary.json'), 'utf8')) as ReportSummary;
        const s: { comparisons: Line[] } = replicates
          ? (() => {
              const reps = Array.from({ length: replicates }, (_, i) => read(`aa-${k}.r${i + 1}`));
              const b = combinedBlock(reps.map((r) => ({ runId: r.run.id, valid: true, comparisons: r.comparisons })), reps[0]!.confidence, reps[0]!.verdictRule.margin);
              return { comparisons: b.lines.map((l) => ({ metric: l.metric, verdict: l.verdict, ...(l.reason ? { reason: l.reason } : {}) })) };
            })()
          : read(`aa-${k}`);
        let any = false;
        for (const c of s.comparisons) {
          const m = (perMetric[c.metric] ??= { tested: 0, called: 0 });
          if (c.verdict === 'insufficient data') continue;
          if (c.reason?.startsWith('within the A/A noise floor')) withinFloor++;
          tested++;
          m.tested++;
          if (c.verdict === 'better' || c.verdict === 'worse') {
            called++;
            m.called++;
            any = true;
          }
        }
        if (any) runsWithCall++;
        rmSync(join(dir, `data-${k}`), { recursive: true, force: true });
        process.stderr.write(`bench aa-e2e: ${sim} run ${k + 1}/${runs}: ${s.comparisons.map((c) => `${c.metric} ${c.verdict}`).join(', ')}\n`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    out[sim] = { headlineTested: tested, called, calledShare: tested ? called / tested : null, runsWithACall: runsWithCall, inconclusiveRuns: inconclusive, ...(floor ? { withinFloor } : {}), perMetric };
  }
  return out;
}
