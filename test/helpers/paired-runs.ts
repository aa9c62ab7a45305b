// Seeded paired runs for the statistics simulations of issue 19: every job
// runs on two targets; each target has its own slowly varying congestion (an
// AR(1) process, so neighbouring jobs are correlated the way a churn episode
// or a backlog ties them), the job's own size is shared (the pairing), and
// failures get likelier when a target is congested.
import type { Random } from '../../harness/common/random.ts';

export interface RunModel {
  /** AR(1) coefficient of each target's congestion, per job (0.95: memory of ~20 jobs). */
  phi: number;
  /** Standard deviation of the congestion on the log scale. */
  congestionSd: number;
  /** Per-job noise on the log scale, independent between targets. */
  noiseSd: number;
  /** Spread of job sizes on the log scale (shared by both targets). */
  sizeSd: number;
  /** Failure probability at zero congestion. */
  failRate: number;
  /** Per-job cost noise on the log scale. */
  costNoiseSd: number;
}

export const DEFAULT_MODEL: RunModel = { phi: 0.95, congestionSd: 0.3, noiseSd: 0.25, sizeSd: 0.8, failRate: 0.03, costNoiseSd: 0.3 };

export interface PlantedEffect {
  /** Candidate (b) latency multiplier on every job. */
  latency?: number;
  /** Candidate cost multiplier on every job. */
  cost?: number;
  /** Candidate failure-rate change in probability points (0.01 = one point more failures). */
  failPoints?: number;
}

export interface PairedRun {
  n: number;
  /** Latency in seconds; failed jobs are +Infinity (time to success never came). */
  latencyA: Float64Array;
  latencyB: Float64Array;
  costA: Float64Array;
  costB: Float64Array;
  okA: Float64Array;
  okB: Float64Array;
}

export function normal(r: Random): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - r.next();
  const v = r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function simulateRun(n: number, r: Random, effect: PlantedEffect = {}, model: RunModel = DEFAULT_MODEL): PairedRun {
  const run: PairedRun = {
    n,
    latencyA: new Float64Array(n),
    latencyB: new Float64Array(n),
    costA: new Float64Array(n),
    costB: new Float64Array(n),
    okA: new Float64Array(n),
    okB: new Float64Array(n),
  };
  const innov = Math.sqrt(1 - model.phi * model.phi) * model.congestionSd;
  let ca = normal(r) * model.congestionSd;
  let cb = normal(r) * model.congestionSd;
  for (let i = 0; i < n; i++) {
    ca = model.phi * ca + innov * normal(r);
    cb = model.phi * cb + innov * normal(r);
    const size = Math.exp(model.sizeSd * normal(r)) * 60;
    const failA = Math.min(1, model.failRate * Math.exp(ca));
    const failB = Math.min(1, Math.max(0, model.failRate * Math.exp(cb) + (effect.failPoints ?? 0)));
    run.okA[i] = r.next() < failA ? 0 : 1;
    run.okB[i] = r.next() < failB ? 0 : 1;
    run.latencyA[i] = run.okA[i] ? size * Math.exp(ca + model.noiseSd * normal(r)) : Infinity;
    run.latencyB[i] = run.okB[i] ? size * Math.exp(cb + model.noiseSd * normal(r)) * (effect.latency ?? 1) : Infinity;
    run.costA[i] = size * 0.001 * Math.exp(model.costNoiseSd * normal(r));
    run.costB[i] = size * 0.001 * Math.exp(model.costNoiseSd * normal(r)) * (effect.cost ?? 1);
  }
  return run;
}
