// A simulated target that stops answering part-way (fault injection), over
// real gRPC: the calls it leaves hanging end at their deadline as recorded
// failures, and the run completes.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { mirrorRun } from '../../../harness/replay/mirror-run.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { startSimulator } from '../../../harness/targets/index.ts';
import { generateTrace } from '../../../workloads/generator.ts';

describe('a target that stops answering', () => {
  it('leaves later jobs hanging until their deadline; they are recorded and the run completes', async () => {
    const sims = await Promise.all([
      startSimulator('baseline', { seed: 1 }),
      startSimulator('decentralized', { seed: 2, faults: { stopAnsweringAfterSeconds: 0.6 } }),
    ]);
    // Short jobs with a trace-time deadline longer than the baseline's cold start (a container group pulls its image
    // before its first job: tens of minutes of trace time for a 4 GB image), so only the silent target misses it.
    const jobs = [...generateTrace({ jobs: 120, seed: 4, spanSeconds: 4 * 3600 })].map((j) => ({ ...j, work_seconds: Math.min(j.work_seconds, 30), deadline_seconds: 3600 }));
    const sink = new MemorySink();
    try {
      const r = await mirrorRun({
        runId: 'silent',
        scenario: 'silent',
        seed: 4,
        // 8 s of wall time: the 1 h deadline is 2 s.
        speed: (4 * 3600) / 8,
        targets: [
          { name: 'baseline', address: sims[0]!.address },
          { name: 'decentralized', address: sims[1]!.address },
        ],
        trace: { path: 'g', checksum: 'x', jobs, planned: jobs.length },
        sink,
        clock: systemClock(),
        logger: silentLogger(),
        runDeadlineSlackMs: 500,
      });
      expect(r.status).toBe('completed');
    } finally {
      await Promise.all(sims.map((s) => s.stop()));
    }
    const net = sink.rows.job_results.filter((x) => x.target === 'decentralized');
    expect(net).toHaveLength(120);
    const classes = new Set(net.filter((x) => x.status !== 'completed').map((x) => x.error_class));
    expect(net.filter((x) => x.error_class === 'deadline_exceeded').length).toBeGreaterThan(30);
    expect([...classes]).toEqual(['deadline_exceeded']);
    // The healthy target is unaffected.
    const late = sink.rows.job_results.filter((x) => x.target === 'baseline' && x.error_class === 'deadline_exceeded');
    expect(late, JSON.stringify(late.slice(0, 2))).toHaveLength(0);
  }, 60_000);
});
