// Error rates of the verdict path (issue 14), measured by simulation at the
// replication counts the acceptance asks for — too slow for `npm test`, whose
// test/unit/stats/verdict-sim.test.ts runs the same measurement smaller.
// Paired runs from test/helpers/verdict-sim.ts: each target's congestion is an
// AR(1) over jobs (MODERATE: φ = 0.8, memory ~9 jobs; DEFAULT: φ = 0.95, ~39),
// job sizes shared, failures likelier when congested and censored at their
// failure time. Environment: BENCH_STATS_REPS (1,000), BENCH_STATS_RESAMPLES
// (1,000), BENCH_STATS_REPS_LARGE (replications at n = 2,000; default = REPS),
// BENCH_STATS_ONLY (case names separated by commas), BENCH_STATS_WORKERS
// (child processes each case's replications are split over; 1). A
// replication's run and resamples depend on its seed and index only, so the
// figures are the same for any number of workers.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL } from '../helpers/paired-runs.ts';
import { MODERATE, RARE_FAILURES, summarizeTallies, tallyVerdicts, type Measurement, type SimOptions, type Tally } from '../helpers/verdict-sim.ts';

export interface StatsCase {
  name: string;
  n: number;
  seed: number;
  sim: SimOptions;
  only?: readonly ('latency' | 'cost' | 'success')[];
}

export function statsCases(): StatsCase[] {
  const cases: Omit<StatsCase, 'seed'>[] = [];
  for (const n of [50, 300, 2_000]) cases.push({ name: `A/A moderate n=${n}`, n, sim: { model: MODERATE } });
  for (const n of [300, 2_000]) cases.push({ name: `A/A default n=${n}`, n, sim: { model: DEFAULT_MODEL } });
  for (const n of [300, 2_000]) cases.push({ name: `A/A rare failures n=${n}`, n, sim: { model: RARE_FAILURES } });
  for (const n of [300, 2_000]) cases.push({ name: `planted 1.2x latency 0.8x cost n=${n}`, n, sim: { latency: 1.2, cost: 0.8, model: RARE_FAILURES } });
  for (const n of [300, 2_000]) cases.push({ name: `planted 1.2x slower with slowest 3% timed out n=${n}`, n, sim: { latency: 1.2, timeoutShare: 0.03, model: RARE_FAILURES } });
  // The success line's power, alone (no bootstrap: seconds per 1,000 runs); the candidate fails `failPoints` more.
  cases.push({ name: 'success +10 points n=50', n: 50, sim: { failPoints: 0.1, model: MODERATE }, only: ['success'] });
  cases.push({ name: 'success +3 points n=300', n: 300, sim: { failPoints: 0.03, model: MODERATE }, only: ['success'] });
  cases.push({ name: 'success +2 points, rare failures n=300', n: 300, sim: { failPoints: 0.02, model: RARE_FAILURES }, only: ['success'] });
  cases.push({ name: 'success +1 point n=2000', n: 2_000, sim: { failPoints: 0.01, model: MODERATE }, only: ['success'] });
  return cases.map((c, i) => ({ ...c, seed: i + 2 }));
}

const WORKER = fileURLToPath(new URL('./stats-worker.ts', import.meta.url));

/** Replications [from, to) of a case in a child process (stats-worker.ts), its tally back as JSON. */
function tallyInChild(name: string, from: number, to: number, resamples: number): Promise<Tally> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, name, String(from), String(to), String(resamples)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Tally) : reject(new Error(`stats worker exited ${code} (${name})`))));
  });
}

async function measure(c: StatsCase, reps: number, resamples: number, workers: number): Promise<Measurement> {
  if (workers <= 1) return summarizeTallies({ n: c.n, resamples }, [tallyVerdicts({ ...c, resamples }, 0, reps)]);
  const cuts = Array.from({ length: workers + 1 }, (_, w) => Math.round((w * reps) / workers));
  const tallies = await Promise.all(cuts.slice(0, -1).map((from, w) => tallyInChild(c.name, from, cuts[w + 1]!, resamples)));
  return summarizeTallies({ n: c.n, resamples }, tallies);
}

const summarize = (m: Measurement, ms: number) => ({
  n: m.n, reps: m.reps, resamples: m.resamples, familyWise: m.familyWise, seconds: Math.round(ms / 100) / 10,
  metrics: Object.fromEntries(
    Object.entries(m.metrics).map(([k, v]) => [k, { tested: v.tested, significant: v.significantRate, coverage: v.coverage, better: v.better, worse: v.worse, insufficient: v.insufficient, blockMean: Math.round(v.blockMean * 10) / 10, dropped: v.dropped }]),
  ),
});

export async function statsBench() {
  const reps = Number(process.env.BENCH_STATS_REPS ?? 1_000);
  const repsLarge = Number(process.env.BENCH_STATS_REPS_LARGE ?? reps);
  const resamples = Number(process.env.BENCH_STATS_RESAMPLES ?? 1_000);
  const workers = Math.max(1, Math.floor(Number(process.env.BENCH_STATS_WORKERS ?? 1)));
  const only = process.env.BENCH_STATS_ONLY ? new Set(process.env.BENCH_STATS_ONLY.split(',')) : null;
  const out: Record<string, unknown> = { workers };
  for (const c of statsCases()) {
    if (only && !only.has(c.name)) continue;
    const t0 = performance.now();
    const m = await measure(c, c.n >= 2_000 ? repsLarge : reps, resamples, workers);
    out[c.name] = summarize(m, performance.now() - t0);
    process.stderr.write(`bench stats: ${c.name}: ${JSON.stringify(out[c.name])}\n`);
  }
  return out;
}
