// Error rates of the verdict path (issue 14), measured by simulation at the
// replication counts the acceptance asks for — too slow for `npm test`, whose
// test/unit/stats/verdict-sim.test.ts runs the same measurement smaller.
// Paired runs from test/helpers/verdict-sim.ts: each target's congestion is an
// AR(1) over jobs (MODERATE: φ = 0.8, memory ~9 jobs; DEFAULT: φ = 0.95, ~39),
// job sizes shared, failures likelier when congested and censored at their
// failure time. Environment: BENCH_STATS_REPS (1,000), BENCH_STATS_RESAMPLES
// (1,000), BENCH_STATS_REPS_LARGE (replications at n = 2,000; default = REPS),
// BENCH_STATS_ONLY (case names separated by commas).
import { DEFAULT_MODEL } from '../helpers/paired-runs.ts';
import { measureVerdicts, MODERATE, RARE_FAILURES, type Measurement, type SimOptions } from '../helpers/verdict-sim.ts';

interface Case {
  name: string;
  n: number;
  sim: SimOptions;
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
  const only = process.env.BENCH_STATS_ONLY ? new Set(process.env.BENCH_STATS_ONLY.split(',')) : null;
  const cases: Case[] = [];
  for (const n of [50, 300, 2_000]) cases.push({ name: `A/A moderate n=${n}`, n, sim: { model: MODERATE } });
  for (const n of [300, 2_000]) cases.push({ name: `A/A default n=${n}`, n, sim: { model: DEFAULT_MODEL } });
  for (const n of [300, 2_000]) cases.push({ name: `A/A rare failures n=${n}`, n, sim: { model: RARE_FAILURES } });
  for (const n of [300, 2_000]) cases.push({ name: `planted 1.2x latency 0.8x cost n=${n}`, n, sim: { latency: 1.2, cost: 0.8, model: RARE_FAILURES } });
  for (const n of [300, 2_000]) cases.push({ name: `planted 1.2x slower with slowest 3% timed out n=${n}`, n, sim: { latency: 1.2, timeoutShare: 0.03, model: RARE_FAILURES } });
  const out: Record<string, unknown> = {};
  let seed = 1;
  for (const c of cases) {
    seed++;
    if (only && !only.has(c.name)) continue;
    const t0 = performance.now();
    const m = measureVerdicts({ n: c.n, reps: c.n >= 2_000 ? repsLarge : reps, resamples, seed, sim: c.sim });
    out[c.name] = summarize(m, performance.now() - t0);
    process.stderr.write(`bench stats: ${c.name}: ${JSON.stringify(out[c.name])}\n`);
  }
  return out;
}
