// Kaplan–Meier curves in trace hours: provider online sessions (from each
// provider stream, censored at the stream's end) and jobs' time to their
// first provider loss (censored at the outcome).
import { kaplanMeier } from '../../harness/stats/survival.ts';
import type { RunQueries } from '../queries.ts';
import type { ReportSummary } from '../summary-types.ts';
import { firstLoss, providerSessions, type Durations } from '../survival-data.ts';
import { section } from './section.ts';

const MAX_SURVIVAL_JOBS = 200_000;
const CURVE_POINTS = 200;

export interface SurvivalData {
  ends: Awaited<ReturnType<RunQueries['providerStreamEnds']>>;
  timelines: Awaited<ReturnType<RunQueries['providerTimelines']>>;
  firstLoss: Awaited<ReturnType<RunQueries['firstLoss']>>;
}

export const survivalSection = section({
  fills: ['survival'],
  async load(q, input): Promise<SurvivalData> {
    const ends = await q.providerStreamEnds();
    const timelines = await q.providerTimelines();
    return { ends, timelines, firstLoss: await q.firstLoss(Math.max(1, Math.ceil(input.jobs / MAX_SURVIVAL_JOBS))) };
  },
  build(data: SurvivalData, input) {
    const survival: ReportSummary['survival'] = [];
    const curveOf = (target: string, kind: 'provider_session' | 'first_loss', d: Durations) => {
      if (d.times.length === 0) return;
      const km = kaplanMeier(d.times, d.observed, input.config.report.confidence);
      // Thin the steps for the page; summary.json keeps the same thinned curve the chart shows.
      const every = Math.max(1, Math.ceil(km.steps.length / CURVE_POINTS));
      const curve = km.steps.filter((_, i) => i % every === 0 || i === km.steps.length - 1).map((st) => ({ t: st.t, s: st.s, lo: st.lo, hi: st.hi }));
      survival.push({ target, kind, n: km.n, events: km.events, medianHours: km.median, curve });
    };
    const ends = new Map(data.ends.map((r) => [r.target, Number(r.end_us)]));
    const sessions = new Map<string, Durations>();
    for (const r of data.timelines) {
      const d = sessions.get(r.target) ?? { times: [], observed: [] };
      providerSessions(r.online.map(Number), r.at.map(Number), ends.get(r.target) ?? 0, input.speed, d);
      sessions.set(r.target, d);
    }
    for (const [target, d] of [...sessions].sort()) curveOf(target, 'provider_session', d);
    const losses = new Map<string, Durations>();
    for (const r of data.firstLoss) {
      const d = losses.get(r.target) ?? { times: [], observed: [] };
      firstLoss({ assigned: Number(r.assigned), lost: Number(r.lost), ended: Number(r.ended) }, input.speed, d);
      losses.set(r.target, d);
    }
    for (const [target, d] of [...losses].sort()) curveOf(target, 'first_loss', d);
    return { survival };
  },
});
