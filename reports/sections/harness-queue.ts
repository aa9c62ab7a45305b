// Per target, the jobs that waited in the harness's own queue because the
// target was at its in-flight cap (issue 13): how many, how long, and the
// queue's depth over the run's wall-clock time. Their latency already counts
// from the intended time; this says how far the load the target saw was
// reshaped by the cap.
import type { HarnessQueueRow, RunQueries } from '../queries.ts';
import type { HarnessQueueSummary } from '../summary-types.ts';
import { section } from './section.ts';

/** A wait shorter than this is the same event-loop tick as the release, not a queue (µs). */
export const HELD_MIN_US = 1_000;
/** Depth points per target over the run. */
const DEPTH_BUCKETS = 60;

export interface HarnessQueueData {
  rows: HarnessQueueRow[];
  flow: Awaited<ReturnType<RunQueries['harnessQueueFlow']>>;
  originUs: number;
  bucketUs: number;
}

export const harnessQueueSection = section({
  fills: ['harnessQueue'],
  async load(q): Promise<HarnessQueueData> {
    const rows = await q.harnessQueue(HELD_MIN_US);
    const originUs = Math.min(...rows.map((r) => Number(r.first_us)), Infinity);
    const endUs = Math.max(...rows.map((r) => Number(r.last_us)), -Infinity);
    const bucketUs = Math.max(1e6, Math.ceil((endUs - originUs) / DEPTH_BUCKETS));
    const anyHeld = rows.some((r) => Number(r.held_jobs) > 0);
    return { rows, flow: anyHeld ? await q.harnessQueueFlow(HELD_MIN_US, bucketUs, originUs) : [], originUs: Number.isFinite(originUs) ? originUs : 0, bucketUs };
  },
  build: (data: HarnessQueueData) => ({ harnessQueue: buildHarnessQueue(data) }),
});

export function buildHarnessQueue(data: HarnessQueueData): HarnessQueueSummary[] {
  return data.rows.map((r) => {
    const jobs = Number(r.jobs);
    const held = Number(r.held_jobs);
    const flow = data.flow.filter((f) => f.target === r.target);
    const last = flow.reduce((m, f) => Math.max(m, Number(f.bucket)), -1);
    const net = new Array<number>(last + 1).fill(0);
    for (const f of flow) net[Number(f.bucket)]! += Number(f.entered) - Number(f.left_queue);
    let depth = 0;
    // Depth at the end of each bucket: entered so far minus left so far.
    const depthOverTime = net.map((d, i) => ({ atSeconds: ((i + 1) * data.bucketUs) / 1e6, depth: (depth += d) }));
    return {
      target: r.target,
      jobs,
      heldJobs: held,
      heldShare: jobs ? held / jobs : 0,
      waitP50Ms: held ? Number(r.held_p50_us) / 1000 : 0,
      waitP99Ms: held ? Number(r.held_p99_us) / 1000 : 0,
      waitMaxMs: Number(r.held_max_us) / 1000,
      waitP99AllJobsMs: Number(r.held_p99_all_us) / 1000,
      unfinished: Number(r.unfinished),
      spanSeconds: Math.max(0, (Number(r.last_us) - Number(r.first_us)) / 1e6),
      depthOverTime,
    };
  });
}
