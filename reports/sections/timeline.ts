// What readers of k6, Gatling and Grafana expect over time, per target and
// trace hour: latency p50/p99 with intervals, failures by class, cost,
// provider losses per running provider-hour and providers online; and the
// distribution of per-job latency ratios (candidate ÷ baseline).
import { zFor } from '../../harness/stats/intervals.ts';
import type { PairRow, RunQueries } from '../queries.ts';
import type { ReportSummary } from '../summary-types.ts';
import { bothCompleted, loadPairRows, pairsOf } from './paired.ts';
import { section } from './section.ts';

const HOUR_US = 3.6e9;
/** Per-job ratio bins: a quarter of a doubling wide, from 1/64× to 256×; ratios outside land in the end bins. */
const BIN_LOG2 = 0.25;
const MIN_LOG2 = -6;
const MAX_LOG2 = 8;

export interface TimelineData {
  latency: Awaited<ReturnType<RunQueries['latencyOverTime']>>;
  failures: Awaited<ReturnType<RunQueries['failuresOverTime']>>;
  cost: Awaited<ReturnType<RunQueries['costOverTime']>>;
  timelines: Awaited<ReturnType<RunQueries['providerTimelines']>>;
  pairs: PairRow[];
}

/** Providers online at the end of each trace hour since each target's first provider event (target clock × speed). */
export function providersOnline(timelines: TimelineData['timelines'], speed: number): { target: string; hour: number; online: number }[] {
  const byTarget = new Map<string, { initial: number; changes: { at: number; delta: number }[] }>();
  for (const t of timelines) {
    const e = byTarget.get(t.target) ?? { initial: 0, changes: [] };
    // A provider whose first event is "offline" was online before the stream began.
    let up = t.online.length > 0 && !t.online[0];
    if (up) e.initial++;
    t.online.forEach((o, i) => {
      // Repeated "online" (or "offline") events for one provider change nothing.
      if (Boolean(o) !== up) e.changes.push({ at: Number(t.at[i]), delta: o ? 1 : -1 });
      up = Boolean(o);
    });
    byTarget.set(t.target, e);
  }
  const out: { target: string; hour: number; online: number }[] = [];
  for (const [target, { initial, changes }] of [...byTarget].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!changes.length) continue;
    changes.sort((a, b) => a.at - b.at);
    const origin = changes[0]!.at;
    let online = initial;
    let hour = 0;
    for (const c of changes) {
      const h = Math.floor(((c.at - origin) * speed) / HOUR_US);
      for (; hour < h; hour++) out.push({ target, hour, online });
      online += c.delta;
    }
    out.push({ target, hour, online });
  }
  return out;
}

export function ratioBins(ratios: readonly number[]): { lo: number; hi: number; count: number }[] {
  if (!ratios.length) return [];
  const counts = new Map<number, number>();
  for (const r of ratios) {
    if (!(r > 0) || !Number.isFinite(r)) continue;
    const k = Math.min(Math.max(Math.floor(Math.log2(r) / BIN_LOG2), MIN_LOG2 / BIN_LOG2), MAX_LOG2 / BIN_LOG2 - 1);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a - b).map(([k, count]) => ({ lo: 2 ** (k * BIN_LOG2), hi: 2 ** ((k + 1) * BIN_LOG2), count }));
}

export const timelineSection = section({
  fills: ['timeline'],
  async load(q, input): Promise<TimelineData> {
    const origin = await q.origin();
    const latency = await q.latencyOverTime(HOUR_US, origin, zFor(input.config.report.confidence));
    const failures = await q.failuresOverTime(HOUR_US, origin);
    const cost = await q.costOverTime(HOUR_US, origin);
    const timelines = await q.providerTimelines();
    return { latency, failures, cost, timelines, pairs: await loadPairRows(q, input) };
  },
  build(data: TimelineData, input): Pick<ReportSummary, 'timeline'> {
    const s = (us: number) => Number(us) / 1e6;
    const ratios = bothCompleted(pairsOf(data.pairs, input.baseline, input.candidate)).map((p) => p.b.total_us / p.a.total_us);
    return {
      timeline: {
        latency: data.latency.map((r) => ({
          target: r.target, hour: Number(r.bucket), n: Number(r.n),
          p50: s(r.p50_us), p50Lo: s(r.p50_lo_us), p50Hi: s(r.p50_hi_us), p99: s(r.p99_us), p99Lo: s(r.p99_lo_us), p99Hi: s(r.p99_hi_us),
        })),
        failures: data.failures.map((r) => ({ target: r.target, hour: Number(r.bucket), errorClass: r.error_class, count: Number(r.count) })),
        cost: data.cost.map((r) => ({
          target: r.target, hour: Number(r.bucket), costUsd: r.cost_usd, losses: Number(r.losses), runningHours: r.running_hours,
          lossesPerRunningHour: r.running_hours > 0 ? Number(r.losses) / r.running_hours : null,
        })),
        providersOnline: providersOnline(data.timelines, input.speed),
        perJobRatios: ratioBins(ratios),
      },
    };
  },
});
