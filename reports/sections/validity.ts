// Whether a run's comparison measured the targets or the harness (issue 13).
// Valid only when the run completed, every target was answered, no target's
// release lateness p99 exceeds its bound — max(50 ms, 1 % of its median
// latency in real time) — and no more than 1 % of any target's jobs waited in
// the harness queue longer than that bound (the target was at its in-flight
// cap, so it saw a reshaped arrival process). Otherwise the report is
// INCONCLUSIVE: verdicts are greyed and not counted, gates do not pass, and
// the CLI exits 4. Pure, over the finished summary.
import { DEFAULTS } from '../../harness/common/defaults.ts';
import type { ReportSummary, Validity } from '../summary-types.ts';
import type { RunConfig } from './run-config.ts';

type Input = Pick<ReportSummary, 'run' | 'targets' | 'harnessQueue'>;

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const share = (a: number, b: number) => `${b ? Math.round((100 * a) / b) : 0} %`;

/** A duration in real milliseconds as people say it: "12 ms", "4.2 s", "9.7 min". */
export function wallDuration(ms: number): string {
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A target's lateness bound (ms, real time): max(50 ms, 1 % of its median latency ÷ speed). */
export function latenessBoundMs(medianLatencyTraceS: number, speed: number): number {
  const medianRealMs = speed > 0 && Number.isFinite(medianLatencyTraceS) ? (medianLatencyTraceS * 1000) / speed : 0;
  return Math.max(DEFAULTS.replay.latenessBoundMs, DEFAULTS.replay.latenessBoundShareOfMedian * medianRealMs);
}

/** For a run of n > 1 workers: which shards are missing or not completed, and how to finish each. */
function workersNotDone(run: Input['run']): string {
  const w = run.workers;
  if (!w || w.shards <= 1) return '';
  const open = [
    ...w.rows.filter((r) => r.status !== 'completed').map((r) => `shard ${r.shard}/${w.shards} ${r.status === 'running' ? 'running (no end recorded: still going, or its process died)' : r.status}`),
    ...w.missing.map((i) => `shard ${i}/${w.shards} never started`),
  ];
  const done = w.rows.filter((r) => r.status === 'completed').length;
  return `; ${done} of ${w.shards} workers completed (${open.join('; ')}; replay --resume ${run.id} --shard i/${w.shards} finishes one)`;
}

export function validityOf(s: Input, config: Pick<RunConfig, 'unavailable'>): Validity {
  const reasons: Validity['reasons'] = [];
  if (s.run.status !== 'completed') {
    const unfinished = s.harnessQueue.reduce((n, q) => n + q.unfinished, 0);
    const planned = s.run.jobsPlanned;
    reasons.push({
      code: 'run_not_completed',
      message:
        `The run is ${s.run.status}: ${planned ? `${count(s.run.jobsSent)} of ${count(planned)} jobs sent (${share(s.run.jobsSent, planned)})` : `${count(s.run.jobsSent)} jobs sent`}` +
        (unfinished ? `; ${count(unfinished)} target jobs had no outcome yet (unfinished: censored, not counted as failures; replay --resume ${s.run.id} completes them)` : '') +
        workersNotDone(s.run) + '.',
    });
  }
  for (const u of config.unavailable) {
    reasons.push({ code: 'target_unavailable', message: `${u.name} never answered (${u.reason}): its jobs are recorded as target_unavailable, so the comparison says nothing about it.` });
  }
  for (const t of s.targets) {
    const bound = latenessBoundMs(t.latency.p50, s.run.speed);
    if (t.lateness.p99Ms > bound) {
      reasons.push({
        code: 'lateness_over_bound',
        message: `${t.name} sent up to ${wallDuration(t.lateness.maxMs)} late (release lateness p99 ${wallDuration(t.lateness.p99Ms)}, bound ${wallDuration(bound)}): the harness did not keep the trace's arrival times.`,
      });
    }
    const q = s.harnessQueue.find((x) => x.target === t.name);
    if (q && q.waitP99AllJobsMs > bound) {
      reasons.push({
        code: 'held_back',
        message: `${t.name}: ${count(q.heldJobs)} of ${count(q.jobs)} jobs (${share(q.heldJobs, q.jobs)}) waited in the harness queue at its in-flight cap, up to ${wallDuration(q.waitMaxMs)}; more than 1 % waited longer than its ${wallDuration(bound)} bound, so it did not see the trace's load.`,
      });
    }
  }
  return { valid: reasons.length === 0, reasons };
}
