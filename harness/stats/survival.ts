// Kaplan–Meier survival curves with right censoring (a provider still online
// at the end of the run, a job that finished without losing its provider),
// Greenwood's variance and log-transformed intervals — the defaults of R's
// survival::survfit, so results can be checked against it.
import { zFor } from './intervals.ts';

export interface SurvivalStep {
  /** Time of the event(s). */
  t: number;
  /** S(t) just after t. */
  s: number;
  lo: number;
  hi: number;
  atRisk: number;
  events: number;
  /** Greenwood standard error of S(t). */
  se: number;
}

export interface SurvivalCurve {
  n: number;
  events: number;
  steps: SurvivalStep[];
  /** Smallest t with S(t) ≤ 0.5, or null when the curve never gets there. */
  median: number | null;
}

/**
 * @param times   observed durations
 * @param observed true when the event happened at that time, false when censored
 */
export function kaplanMeier(times: readonly number[], observed: readonly boolean[], confidence = 0.95): SurvivalCurve {
  if (times.length !== observed.length) throw new RangeError('times and observed differ in length');
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  const z = zFor(confidence);
  const steps: SurvivalStep[] = [];
  let atRisk = times.length;
  let s = 1;
  let greenwood = 0;
  let totalEvents = 0;
  for (let i = 0; i < order.length; ) {
    const t = times[order[i]!]!;
    let d = 0;
    let c = 0;
    while (i < order.length && times[order[i]!] === t) {
      if (observed[order[i]!]) d++;
      else c++;
      i++;
    }
    if (d > 0) {
      s *= 1 - d / atRisk;
      // Greenwood: Var(S) = S² Σ d / (n (n − d)); undefined once everyone at risk has had the event.
      greenwood += atRisk > d ? d / (atRisk * (atRisk - d)) : Infinity;
      const se = s * Math.sqrt(greenwood);
      // log transform (R's conf.type = "log"): S · exp(±z · sqrt(Σ)), capped at 1.
      const w = z * Math.sqrt(greenwood);
      steps.push({ t, s, lo: s > 0 && Number.isFinite(w) ? s * Math.exp(-w) : 0, hi: s > 0 && Number.isFinite(w) ? Math.min(1, s * Math.exp(w)) : 1, atRisk, events: d, se: Number.isFinite(se) ? se : 0 });
      totalEvents += d;
    }
    atRisk -= d + c;
  }
  const med = steps.find((st) => st.s <= 0.5);
  return { n: times.length, events: totalEvents, steps, median: med ? med.t : null };
}
