// Golem bridge figures (issue 8): how many rentals per second one bridge
// process carries, and what it adds to each job, with golem-js, the gateway
// and a local yagna on this machine. The local yagna answers at once (20 ms
// negotiation, 50 ms deploy, 0 s jobs, 10 providers offering), so the figure
// is the bridge's and golem-js's own ceiling, not the network's. All 300 jobs
// arrive at once; at most `rentals` are open at a time.
import { quantileSorted } from 'simple-statistics';
import { systemClock } from '../../harness/common/clock.ts';
import { silentLogger } from '../../harness/common/logger.ts';
import { mirrorRun } from '../../harness/replay/mirror-run.ts';
import { MemorySink } from '../../harness/replay/sink.ts';
import { startGolemBridge } from '../../harness/targets/bridges/golem/server.ts';
import { JobRecordSchema } from '../../harness/trace/job.ts';
import { startYagnaMock } from '../helpers/yagna-mock.ts';

export async function bridgeBench() {
  const n = Number(process.env.BENCH_BRIDGE_JOBS ?? 300);
  const out: Record<string, unknown> = { jobs: n };
  const providers = Array.from({ length: 10 }, (_, i) => ({ id: `0x${(i + 1).toString(16)}`, name: `rig-${i}`, start: 0.01, envPerHour: 0.5, cpuPerHour: 0 }));
  const yagna = await startYagnaMock({ appKey: 'k', providers, debitNoteIntervalMs: 60_000 });
  for (const rentals of [20, 100]) {
    const bridge = await startGolemBridge({
      yagnaUrl: yagna.url,
      appKey: 'k',
      imageUrl: 'http://127.0.0.1:1/w.gvmi',
      imageHash: 'ab'.repeat(28),
      command: 'sleep {work_seconds}',
      maxStartPrice: 1,
      maxEnvPerHourPrice: 1,
      maxCpuPerHourPrice: 0,
      maxRentals: rentals,
      settleTimeoutSeconds: 30,
    });
    try {
      const jobs = Array.from({ length: n }, (_, i) => JobRecordSchema.parse({ job_id: `b${rentals}-${i}`, submitted_at: 1_700_000_000_000_000, customer: 'c', task_type: 'transcription', work_seconds: 0 }));
      const sink = new MemorySink();
      const requestsBefore = yagna.requests.length;
      const t0 = performance.now();
      const r = await mirrorRun({ runId: `bridge-bench-${rentals}`, scenario: 'bridge-bench', seed: 1, speed: 1, targets: [{ name: 'golem', address: bridge.address }], trace: { path: 'inline', checksum: 'x', jobs, planned: n }, sink, clock: systemClock(), logger: silentLogger() });
      const seconds = (performance.now() - t0) / 1000;
      const rows = sink.rows.job_results;
      const completed = rows.filter((x) => x.status === 'completed');
      // Time from STARTED to COMPLETED is the 0 s job plus the bridge's polling; from PROVIDER_ASSIGNED to STARTED is deploy.
      const exec = completed.map((x) => x.exec_us / 1000).sort((a, b) => a - b);
      out[`${rentals} rentals at once`] = {
        status: r.status,
        completed: completed.length,
        'jobs/s (to outcome and invoice)': Number((n / seconds).toFixed(1)),
        // Open rentals ÷ throughput: one rental's negotiate–agree–deploy–run–terminate–invoice cycle.
        'rental cycle s': Number((rentals / (n / seconds)).toFixed(1)),
        'exec ms p50 / p99 (0 s job)': [Math.round(quantileSorted(exec, 0.5)), Math.round(quantileSorted(exec, 0.99))],
        'yagna requests per job': Number(((yagna.requests.length - requestsBefore) / n).toFixed(1)),
      };
    } finally {
      await bridge.stop();
    }
  }
  await yagna.stop();
  return out;
}
