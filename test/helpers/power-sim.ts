// Runs sized by `plan` (harness/stats/power.ts), replicated: each replicate
// draws its own pilot (no effect), plans from it, runs the planned number of
// jobs with the effect planted and asks the report's verdict path
// (comparePaired) whether it sees it. The share that do is the power the
// plan actually delivers, pilot noise included.
import type { Random } from '../../harness/common/random.ts';
import { comparePaired } from '../../harness/stats/paired-compare.ts';
import { planFromPilot, type EffectsToDetect } from '../../harness/stats/power.ts';
import type { PlantedEffect, RunModel } from './paired-runs.ts';
import { simulatePaired } from './verdict-sim.ts';

export type PlannedMetric = 'latency' | 'cost' | 'success';

const PLANTED: Record<PlannedMetric, (e: Required<EffectsToDetect>) => PlantedEffect> = {
  latency: (e) => ({ latency: e.latency.ratio }),
  cost: (e) => ({ cost: e.cost.ratio }),
  // One point more failures on the candidate: its success rate is one point lower.
  success: (e) => ({ failPoints: e.success.points }),
};

export interface PowerSimResult {
  detected: number;
  replicates: number;
  power: number;
  medianJobs: number;
  minJobs: number;
  maxJobs: number;
}

export function simulatePlannedPower(
  metric: PlannedMetric,
  effects: Required<EffectsToDetect>,
  r: Random,
  o: { replicates: number; pilotJobs: number; confidence: number; power: number; resamples: number; model?: RunModel },
): PowerSimResult {
  let detected = 0;
  const jobs: number[] = [];
  for (let i = 0; i < o.replicates; i++) {
    const pilot = simulatePaired(o.pilotJobs, r, o.model ? { model: o.model } : {});
    const plan = planFromPilot(pilot, { [metric]: effects[metric] }, { confidence: o.confidence, power: o.power, resamples: o.resamples, margin: 0.05, random: r });
    const n = plan.jobs!;
    jobs.push(n);
    const run = simulatePaired(n, r, { ...PLANTED[metric](effects), ...(o.model ? { model: o.model } : {}) });
    const [line] = comparePaired(run, { confidence: o.confidence, resamples: o.resamples, margin: 0.05, random: r, quantiles: [effects.latency.q], only: [metric] });
    // Detected: significant and on the planted side (slower, dearer, fewer successes).
    const [lo, hi] = line!.interval;
    const seen = line!.pHolm < 1 - o.confidence && (line!.scale === 'ratio' ? lo > 1 : hi < 0);
    if (seen) detected++;
  }
  jobs.sort((a, b) => a - b);
  return { detected, replicates: o.replicates, power: detected / o.replicates, medianJobs: jobs[jobs.length >> 1]!, minJobs: jobs[0]!, maxJobs: jobs[jobs.length - 1]! };
}
