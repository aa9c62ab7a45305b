// The run's sequential-stop watcher on hand-made outcomes: blocks are cut in
// release order and added only when every job of the block has an outcome on
// both targets; withheld jobs are left out; it looks every planned/looks
// paired outcomes and aborts `stopSending` once every primary is decided.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import type { JobResultRow } from '../../../harness/events/schema.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { SequentialStop, type StopRecord } from '../../../harness/run/sequential-stop.ts';
import type { Job } from '../../../harness/trace/job.ts';

const job = (i: number) => ({ job_id: `j${i}`, work_seconds: 3600, gpu_count: 1 }) as Job;
const row = (i: number, target: string, status: string, totalS: number, cost = 1) => ({ job_id: `j${i}`, target, status, total_us: totalS * 1e6, cost_usd: cost }) as JobResultRow;

function watcher(planned: number, onLook?: (r: StopRecord) => void) {
  return new SequentialStop(
    { primary: ['p90'], looks: 20, blockJobs: 10, ratioMargin: 0.05, successMarginPoints: 0.01 },
    { baseline: 'a', candidate: 'b', targets: 2, plannedJobs: planned, plannedGpuHours: planned, confidence: 0.95, clock: systemClock(), logger: silentLogger(), onLook },
  );
}

describe('sequential stop watcher', () => {
  it('waits for a block\'s slowest job, skips withheld jobs, and stops once decided', () => {
    const w = watcher(400);
    const inner = new MemorySink();
    const sink = w.sink(inner);
    expect(w.lookEvery).toBe(20);
    const looks: StopRecord[] = [];
    const w2 = watcher(400, (r) => looks.push(r));
    const sink2 = w2.sink(new MemorySink());
    // Job 0 is slow on b: its outcome comes last, so no block is complete before it.
    for (let i = 0; i < 40; i++) {
      for (const [ww, s] of [[w, sink], [w2, sink2]] as const) {
        ww.released(job(i), 0);
        if (i === 5) {
          s.add('job_results', row(i, 'b', 'withheld', 0));
          continue;
        }
        s.add('job_results', row(i, 'a', 'completed', 10 + (i % 7)));
        if (i !== 0) s.add('job_results', row(i, 'b', 'completed', 30 + (i % 7)));
      }
    }
    expect(inner.rows.job_results).toHaveLength(40 + 38);
    expect(looks.length).toBe(1); // 38 pairs, a look every 20
    expect(looks[0]!.blocks).toBe(0);
    expect(w2.look().blocks).toBe(0);
    sink2.add('job_results', row(0, 'b', 'completed', 35));
    // Job 0 in: 39 jobs paired (5 withheld), 3 complete blocks of 10.
    expect(w2.look().blocks).toBe(3);
    // Three times slower on b in every block: decided "higher" as the blocks pile up, and sending stops.
    for (let i = 40; i < 120 && !w2.stopSending.aborted; i++) {
      w2.released(job(i), 0);
      sink2.add('job_results', row(i, 'a', 'completed', 10 + (i % 7)));
      // Completed, not failed: the watcher censors a failure at its failure time (as the report's p90 does), so quick
      // failures would say little about b's p90.
      sink2.add('job_results', row(i, 'b', 'completed', 3 * (10 + (i % 7))));
    }
    expect(w2.stopSending.aborted).toBe(true);
    const r = w2.record();
    expect(r).toMatchObject({ stopped: true, blockJobs: 10, plannedJobs: 400, baseline: 'a', candidate: 'b', metrics: [{ name: 'p90', decision: 'higher' }] });
    expect(r.releasedJobs).toBeLessThan(120);
    expect(r.gpuHours).toEqual({ planned: 400, released: r.releasedJobs, savedPerTarget: 400 - r.releasedJobs, saved: 2 * (400 - r.releasedJobs), targets: 2 });
    expect(r.reason).toMatch(/^every primary comparison decided at look \d+ \(\d+ blocks of 10 jobs\): p90 higher$/);
    expect(looks.at(-1)).toEqual(r);
  });
});
