// How many paired jobs a run needs to detect a stated effect, from a pilot.
//
// The standard error comes from the report's own interval on the pilot
// (comparePaired: the paired circular-block bootstrap for latency quantiles
// and cost, McNemar/Tango widened by the design effect for success), so the
// dependence between jobs is accounted for exactly as the report will account
// for it in the planned run: the block length, the design effect and the
// censoring of failures are the report's. That standard error is read back
// from the interval's half-width and the critical value the interval used,
// and scaled as 1/√n (block bootstrap and long-run variance both give a
// variance ∝ 1/n at a fixed block length). The planned n then solves
//   δ = (c(n) + z_power) · se_pilot · √(n_pilot / n),
// the normal-approximation power of a two-sided test (Chow, Shao & Wang,
// "Sample size calculations in clinical research", §3.1), where c(n) is the
// critical value the report will use at n: t with the flat-top bootstrap's
// 3n/(8ℓ) degrees of freedom (paired-compare.ts, spreadOf and bodySpread; the
// s.e. read back already carries the flat-top stretch, for p50/p90 averaged
// with the ARMA(1,1) model's where the memory outruns the window), found by fixed-point iteration. Several comparisons share the error rate (Holm in the report):
// each is planned at α / family, Holm's first step, which is conservative.
//
// The pilot's standard error is itself an estimate, and a noisy one for a
// quantile under dependence: a block bootstrap over k = n_pilot / ℓ blocks
// has the degrees of freedom of its variance estimate (3n/(8ℓ) for the
// flat-top combination the report uses; 1.5·n/ℓ for plain overlapping batch
// means, Meketon & Schmeiser 1984). Power is concave in the
// standard error near 80 %, so a plan that plugs the estimate in delivers
// less than the stated power on average (p90 at 80 %, before the flat-top
// correction: 147/200 = 73.5 %, 149/200 = 74.5 % with this one; with both,
// 161/200 = 80.5 %, `npm run bench -- plan`).
// The plan therefore targets the expected power over that uncertainty
// (Julious & Owen 2006, "Sample size calculations for clinical studies
// allowing for uncertainty about the variance"): with σ = s·√(m/χ²_m), the
// power Φ(δ√n/σ − c) averages to P((Z + c)/√(χ²_m/m) ≤ δ√n/s), so z_power is
// replaced by that noncentral-t quantile minus c.
//
// The p90 ratio's bootstrap s.e. ran at 0.88 of the estimate's sampling sd
// (120 simulated runs) before the report's interval took the flat-top
// correction of the block bootstrap's spread (paired-compare.ts, spreadOf).
import type { Random } from '../common/random.ts';
import { normalCdf, normalQuantile } from './normal.ts';
import { bootstrapDegreesOfFreedom, comparePaired, type PairedJobs, type PairedLine } from './paired-compare.ts';
import { tQuantile } from './student-t.ts';

/** Φ(1) − Φ(−1): the level whose interval is ±1 standard error. */
const SE_LEVEL = 0.6826894921370859;

export interface EffectsToDetect {
  /** Latency quantile and the ratio to detect on it (1.10: 10 % slower or faster). */
  latency?: { q: number; ratio: number };
  /** Ratio of mean cost per job to detect (1.15: 15 %). */
  cost?: { ratio: number };
  /** Difference of success rates to detect, in probability (0.01: one point). */
  success?: { points: number };
}

export interface PowerOptions {
  /** The scenario's confidence (1 − α of each interval). */
  confidence: number;
  /** Probability of detecting the stated effect (0.8). */
  power: number;
  /** Comparisons sharing α (the report's Holm family); default: the number of effects planned. */
  family?: number;
  /** Bootstrap replicates for the pilot's intervals (the report's). */
  resamples: number;
  /** The report's practical margin (does not change the sample size; passed through to the pilot's verdict path). */
  margin: number;
  random: Random;
}

export interface MetricPlan {
  metric: string;
  /** What is to be detected, in words. */
  effect: string;
  /** The effect on the estimand's scale (log ratio, or difference). */
  delta: number;
  /** Standard error of the estimate at the pilot's size (log scale for ratios). */
  sePilot: number;
  /** Circular-block length of the pilot's bootstrap (null: no bootstrap). */
  blockLength: number | null;
  /** Jobs the run needs; null when the pilot could not give a standard error. */
  jobs: number | null;
  /** Why there is no plan for this metric. */
  reason?: string;
}

export interface PowerPlan {
  pilotJobs: number;
  confidence: number;
  power: number;
  /** α of each comparison: (1 − confidence) / family. */
  alphaEach: number;
  metrics: MetricPlan[];
  /** Jobs for every planned metric at once (the largest); null when none could be planned. */
  jobs: number | null;
}

/**
 * The critical value of a line's interval at n jobs: the bootstrap's
 * small-sample expansion, t with a line's own `df` (the success line's batch
 * means, whose degrees of freedom do not grow with n: its batches are n/8
 * jobs), or z.
 */
export function criticalValue(alpha: number, n: number, blockLength: number | null, df?: number): number {
  if (blockLength === null) return df !== undefined && Number.isFinite(df) ? tQuantile(1 - alpha / 2, df) : normalQuantile(1 - alpha / 2);
  const bootDf = bootstrapDegreesOfFreedom(n, blockLength);
  return bootDf >= 1 ? tQuantile(1 - alpha / 2, bootDf) : Infinity;
}

/** Points of the Wilson–Hilferty approximation to √(χ²_m/m), at equally spaced normal probabilities. */
function chiRoots(m: number, points = 64): number[] {
  const v = 2 / (9 * m);
  const out: number[] = [];
  for (let j = 0; j < points; j++) out.push(Math.max(0, 1 - v + Math.sqrt(v) * normalQuantile((j + 0.5) / points)) ** 1.5);
  return out;
}

/**
 * x with P((Z + c)/√(χ²_m/m) ≤ x) = power: δ√n/s must reach x for the
 * expected power, over the pilot's variance uncertainty (m degrees of
 * freedom), to be `power`. m = ∞ gives c + z_power.
 */
export function expectedPowerMultiplier(c: number, power: number, m: number | null): number {
  if (m === null || !Number.isFinite(m)) return c + normalQuantile(power);
  const w = chiRoots(m);
  const cdf = (x: number) => w.reduce((acc, wj) => acc + normalCdf(x * wj - c), 0) / w.length;
  let lo = c + normalQuantile(power);
  let hi = lo;
  while (cdf(hi) < power) hi *= 1.5;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < power) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Degrees of freedom of the pilot's bootstrap variance: the flat-top estimate's, as the report's interval uses. */
export function pilotDegreesOfFreedom(pilotJobs: number, blockLength: number | null): number | null {
  return blockLength === null ? null : Math.max(1, bootstrapDegreesOfFreedom(pilotJobs, blockLength));
}

/**
 * The n at which a two-sided test whose standard error is `sePilot` at
 * `pilotJobs` jobs detects `delta` with probability `power` — on average over
 * the uncertainty of `sePilot` when `pilotDf` (its degrees of freedom) is given.
 */
export function jobsFor(
  delta: number,
  sePilot: number,
  pilotJobs: number,
  alpha: number,
  power: number,
  blockLength: number | null,
  pilotDf: number | null = null,
  lineDf?: number,
): number {
  const d = Math.abs(delta);
  const need = (c: number) => sePilot * expectedPowerMultiplier(c, power, pilotDf);
  let n = pilotJobs * (need(normalQuantile(1 - alpha / 2)) / d) ** 2;
  // c(n) falls as n grows, so the iteration decreases monotonically to the fixed point.
  for (let i = 0; i < 50; i++) {
    const c = criticalValue(alpha, Math.max(n, 2 * (blockLength ?? 1) + 1), blockLength, lineDf);
    const next = pilotJobs * (need(c) / d) ** 2;
    if (Math.abs(next - n) < 0.5) {
      n = next;
      break;
    }
    n = next;
  }
  // A bootstrap line needs at least two blocks.
  return Math.ceil(Math.max(n, blockLength !== null ? 2 * blockLength + 1 : 2));
}

/** Standard error read back from a line's interval (log scale for ratios) and the critical value it was built with. */
function seOf(line: PairedLine, alpha: number): number {
  const [lo, hi] = line.interval;
  const width = line.scale === 'ratio' ? Math.log(hi) - Math.log(lo) : hi - lo;
  return width / (2 * criticalValue(alpha, line.n, line.blockLength, line.df));
}

/** Plans a run from a pilot's paired jobs (baseline a, candidate b, in submission order). */
export function planFromPilot(pilot: PairedJobs, effects: EffectsToDetect, opts: PowerOptions): PowerPlan {
  const alpha = 1 - opts.confidence;
  const wanted = (['latency', 'cost', 'success'] as const).filter((k) => effects[k] !== undefined);
  if (!wanted.length) throw new RangeError('nothing to plan: no effect stated');
  if (!(opts.power > 0 && opts.power < 1)) throw new RangeError(`power must be in (0, 1), got ${opts.power}`);
  const family = opts.family ?? wanted.length;
  const alphaEach = alpha / family;
  // The pilot's interval is read at ±1 s.e. (68.27 %): its ends are the bootstrap's 16th and 84th
  // percentiles, far steadier than the 2.5th and 97.5th from the same replicates.
  const lines = comparePaired(pilot, {
    confidence: SE_LEVEL,
    resamples: opts.resamples,
    random: opts.random,
    margin: opts.margin,
    quantiles: effects.latency ? [effects.latency.q] : [],
    only: wanted,
    // The pilot gives a standard error, not a verdict: few discordant jobs still bound it. The planned run
    // has n·(share + |δ|) ≈ (z_α + z_β)²·(share + |δ|)²/δ² ≥ 7.8 expected, above the verdict's MIN_DISCORDANT.
    minDiscordant: 0,
  });
  const n = pilot.okA.length;
  const metrics: MetricPlan[] = [];
  const plan = (line: PairedLine | undefined, effect: string, delta: number, inflate = 1): void => {
    const name = line?.metric ?? effect;
    const se = line && line.verdict !== 'insufficient data' ? seOf(line, 1 - SE_LEVEL) * Math.sqrt(inflate) : NaN;
    if (!line || !(se > 0) || !Number.isFinite(se)) {
      const reason = line?.reason ?? (line ? 'the pilot gave no interval (too few jobs or blocks)' : 'no such line');
      metrics.push({ metric: name, effect, delta, sePilot: NaN, blockLength: line?.blockLength ?? null, jobs: null, reason });
      return;
    }
    // The success line's variance is a batch-means estimate with the line's own degrees of freedom.
    const pilotDf = line.df !== undefined && Number.isFinite(line.df) ? line.df : pilotDegreesOfFreedom(n, line.blockLength);
    const jobs = jobsFor(delta, se, n, alphaEach, opts.power, line.blockLength, pilotDf, line.df);
    metrics.push({ metric: name, effect, delta, sePilot: se, blockLength: line.blockLength, jobs });
  };
  const byUnit = (scale: PairedLine['scale'], prefix: string) => lines.find((l) => l.scale === scale && l.metric.startsWith(prefix));
  if (effects.latency) {
    const { q, ratio } = effects.latency;
    plan(byUnit('ratio', `p${Math.round(q * 100)}`), `${pct(ratio)} on p${Math.round(q * 100)} latency`, Math.log(ratio));
  }
  if (effects.cost) plan(byUnit('ratio', 'cost'), `${pct(effects.cost.ratio)} on cost per job`, Math.log(effects.cost.ratio));
  if (effects.success) {
    const pts = effects.success.points;
    // The discordant pairs' variance grows with the effect: |δ| more jobs fail on one side only (the pilot has none of it).
    let disc = 0;
    for (let i = 0; i < n; i++) if (pilot.okA[i] !== pilot.okB[i]) disc++;
    const share = n ? disc / n : 0;
    plan(byUnit('difference', 'success'), `${(Math.abs(pts) * 100).toFixed(1)} points of success rate`, pts, share > 0 ? (share + Math.abs(pts)) / share : 1);
  }
  const sized = metrics.map((m) => m.jobs).filter((j): j is number => j !== null);
  return { pilotJobs: n, confidence: opts.confidence, power: opts.power, alphaEach, metrics, jobs: sized.length ? Math.max(...sized) : null };
}

const pct = (ratio: number) => `${Math.round(Math.abs(ratio - 1) * 1000) / 10} %`;
