// Replicated runs by seeded simulation: each replicate draws its own
// population effect (a log-normal factor with sd τ on the candidate's latency
// and cost: another provider population, another seed), then a paired run of
// n jobs through the verdict path (comparePaired). Measured: how often a single
// run's verdict calls a difference, and how often the combined verdict
// (harness/stats/replicates.ts) does, and whether the combined interval covers
// the population's effect.
import { seededRandom } from '../../harness/common/random.ts';
import { standardNormal } from '../../harness/common/draw.ts';
import { comparePaired, type PairedLine } from '../../harness/stats/paired-compare.ts';
import { combineReplicates, type RandomEffectsOptions } from '../../harness/stats/replicates.ts';
import { simulatePaired, type SimOptions } from './verdict-sim.ts';

export interface ReplicateMeasurement {
  k: number;
  n: number;
  tau: number;
  sets: number;
  /**
   * Per metric: share of single runs (replicate 1 of each set) read better/worse, and of combined verdicts (after Holm);
   * share significant unadjusted (p < α, interval excluding no change); coverage of the population's effect by each interval.
   */
  metrics: Record<string, Figures>;
  /** Share of sets where any headline line read better/worse: single run, combined. */
  familySingle: number;
  familyCombined: number;
}

interface Figures {
  tested: number;
  singleCalled: number;
  combinedCalled: number;
  singleSignificant: number;
  combinedSignificant: number;
  singleCovered: number;
  combinedCovered: number;
}

const called = (l: PairedLine) => l.verdict === 'better' || l.verdict === 'worse';
const significant = (l: PairedLine, alpha: number) => {
  const nul = l.scale === 'ratio' ? 1 : 0;
  return l.pValue < alpha && (l.interval[0] > nul || l.interval[1] < nul);
};

export function measureReplicates(opts: {
  k: number; n: number; tau: number; sets: number; resamples: number; seed: number;
  sim?: SimOptions; combine?: RandomEffectsOptions; confidence?: number;
}): ReplicateMeasurement {
  const confidence = opts.confidence ?? 0.95;
  const metrics: ReplicateMeasurement['metrics'] = {};
  const truth = (metric: string) => (metric.includes('latency') ? (opts.sim?.latency ?? 1) : metric === 'cost per job' ? (opts.sim?.cost ?? 1) : 0);
  let familySingle = 0;
  let familyCombined = 0;
  for (let s = 0; s < opts.sets; s++) {
    const r = seededRandom(opts.seed * 7_919 + s);
    const runs: PairedLine[][] = [];
    for (let i = 0; i < opts.k; i++) {
      const ri = r.fork(`replicate-${i}`);
      // This replicate's population: its own factor on the candidate, the same for latency and cost (one draw of providers and prices).
      const u = Math.exp(opts.tau * standardNormal(ri.fork('population')));
      const sim: SimOptions = { ...opts.sim, latency: (opts.sim?.latency ?? 1) * u, cost: (opts.sim?.cost ?? 1) * u };
      runs.push(comparePaired(simulatePaired(opts.n, ri.fork('run'), sim), { confidence, resamples: opts.resamples, random: ri.fork('boot'), margin: 0 }));
    }
    const combined = combineReplicates(runs, confidence, 0, opts.combine);
    if (runs[0]!.some(called)) familySingle++;
    if (combined.some((c) => called(c.line))) familyCombined++;
    for (const c of combined) {
      if (c.line.verdict === 'insufficient data') continue;
      const single = runs[0]!.find((l) => l.metric === c.line.metric)!;
      const m = (metrics[c.line.metric] ??= { tested: 0, singleCalled: 0, combinedCalled: 0, singleSignificant: 0, combinedSignificant: 0, singleCovered: 0, combinedCovered: 0 });
      const t = truth(c.line.metric);
      m.tested++;
      if (called(single)) m.singleCalled++;
      if (called(c.line)) m.combinedCalled++;
      if (significant(single, 1 - confidence)) m.singleSignificant++;
      if (significant(c.line, 1 - confidence)) m.combinedSignificant++;
      if (c.line.interval[0] <= t && t <= c.line.interval[1]) m.combinedCovered++;
      if (single.interval[0] <= t && t <= single.interval[1]) m.singleCovered++;
    }
  }
  const out: ReplicateMeasurement['metrics'] = {};
  for (const [name, m] of Object.entries(metrics)) {
    out[name] = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k === 'tested' ? v : v / m.tested])) as unknown as Figures;
  }
  return { k: opts.k, n: opts.n, tau: opts.tau, sets: opts.sets, metrics: out, familySingle: familySingle / opts.sets, familyCombined: familyCombined / opts.sets };
}
