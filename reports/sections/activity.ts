// Completed jobs and jobs in flight per trace hour since the run's first submission.
import type { RunQueries } from '../queries.ts';
import { section } from './section.ts';

const HOUR_US = 3.6e9;

export interface ActivityData {
  overTime: Awaited<ReturnType<RunQueries['overTime']>>;
  inFlight: Awaited<ReturnType<RunQueries['inFlight']>>;
}

export const activitySection = section({
  fills: ['overTime', 'inFlight'],
  async load(q): Promise<ActivityData> {
    const origin = await q.origin();
    const overTime = await q.overTime(HOUR_US, origin);
    return { overTime, inFlight: await q.inFlight(HOUR_US, origin) };
  },
  build: (data: ActivityData) => ({
    overTime: data.overTime.map((r) => ({ target: r.target, hour: r.bucket, completed: r.completed })),
    inFlight: data.inFlight.map((r) => ({ target: r.target, hour: Number(r.bucket), inFlight: r.in_flight })),
  }),
});
