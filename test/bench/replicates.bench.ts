// Replicates (issue 14), measured by simulation: sets of k paired runs, each
// replicate with its own population effect (a log-normal factor of sd τ on the
// candidate's latency and cost), through the verdict path, then combined
// (harness/stats/replicates.ts). How often a single run calls a difference in
// A/A as τ grows, how often the combined verdict does, and the combined
// interval's coverage of a planted effect. test/unit/stats/replicates-sim.test.ts
// runs the same measurement smaller. Environment: BENCH_REPL_SETS (400),
// BENCH_REPL_RESAMPLES (300), BENCH_REPL_ONLY (case names, comma-separated).
import { measureReplicates } from '../helpers/replicate-sim.ts';
import { MODERATE } from '../helpers/verdict-sim.ts';

interface Case {
  name: string;
  k: number;
  tau: number;
  planted?: boolean;
  truncate?: boolean;
  /** Inverse-variance weights instead of the default equal ones (the alternative measured). */
  inverse?: boolean;
}

const CASES: Case[] = [
  ...[0, 0.05, 0.1, 0.2].map((tau) => ({ name: `A/A k=3 tau=${tau}`, k: 3, tau })),
  { name: 'A/A k=2 tau=0.1', k: 2, tau: 0.1 },
  { name: 'A/A k=5 tau=0.1', k: 5, tau: 0.1 },
  { name: 'A/A k=3 tau=0.1 truncated', k: 3, tau: 0.1, truncate: true },
  ...[0, 0.1].map((tau) => ({ name: `A/A k=3 tau=${tau} inverse-variance weights`, k: 3, tau, inverse: true })),
  { name: 'A/A k=5 tau=0.1 inverse-variance weights', k: 5, tau: 0.1, inverse: true },
  ...[0, 0.1].map((tau) => ({ name: `planted 1.2x latency 0.8x cost k=3 tau=${tau}`, k: 3, tau, planted: true })),
  { name: 'planted 1.2x latency 0.8x cost k=3 tau=0.1 truncated', k: 3, tau: 0.1, planted: true, truncate: true },
  { name: 'planted 1.2x latency 0.8x cost k=3 tau=0.1 inverse-variance weights', k: 3, tau: 0.1, planted: true, inverse: true },
];

const pct = (x: number) => Math.round(x * 1000) / 10;

export async function replicatesBench(): Promise<unknown> {
  const sets = Number(process.env.BENCH_REPL_SETS ?? 400);
  const resamples = Number(process.env.BENCH_REPL_RESAMPLES ?? 300);
  const only = process.env.BENCH_REPL_ONLY ? new Set(process.env.BENCH_REPL_ONLY.split(',')) : null;
  const out: Record<string, unknown> = { n: 300, sets, resamples, model: 'AR(1) congestion φ = 0.8 (MODERATE)' };
  for (const [i, c] of CASES.entries()) {
    if (only && !only.has(c.name)) continue;
    const t0 = Date.now();
    const m = measureReplicates({ k: c.k, n: 300, tau: c.tau, sets, resamples, seed: 100 + i, sim: { model: MODERATE, ...(c.planted ? { latency: 1.2, cost: 0.8 } : {}) }, combine: { truncate: c.truncate, ...(c.inverse ? { weights: 'inverse-variance' as const } : {}) } });
    out[c.name] = {
      seconds: Math.round((Date.now() - t0) / 1000),
      familySingle: pct(m.familySingle), familyCombined: pct(m.familyCombined),
      metrics: Object.fromEntries(Object.entries(m.metrics).map(([k, v]) => [k, {
        tested: v.tested, singleSignificant: pct(v.singleSignificant), combinedSignificant: pct(v.combinedSignificant),
        singleCalled: pct(v.singleCalled), combinedCalled: pct(v.combinedCalled), singleCoverage: pct(v.singleCovered), combinedCoverage: pct(v.combinedCovered),
      }])),
    };
    process.stderr.write(`replicates: ${c.name} ${JSON.stringify(out[c.name])}\n`);
    await new Promise((r) => setImmediate(r));
  }
  return out;
}
