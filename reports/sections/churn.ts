// Provider churn from each target's provider stream, independent of jobs.
import type { RunQueries } from '../queries.ts';
import { section } from './section.ts';

type Rows = Awaited<ReturnType<RunQueries['providers']>>;

export const churnSection = section({
  fills: ['churn'],
  load: (q) => q.providers(),
  build: (rows: Rows, input) => ({
    churn: rows.map((r) => ({
      target: r.target, providers: r.providers, onlineEvents: r.online_events, offlineEvents: r.offline_events,
      // Provider timestamps are on the target's (compressed) clock: scale back to trace hours.
      offlinePerHour: r.span_s > 0 ? r.offline_events / ((r.span_s * input.speed) / 3600) : 0,
    })),
  }),
});
