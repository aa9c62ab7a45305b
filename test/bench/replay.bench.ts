// Replay engine figures (issue 6): fan-out throughput against a bare grpc-js
// loop making the same calls to the same servers, and the scheduler's
// lateness at fixed arrival rates. Run through `npm run bench`.
import { readFileSync } from 'node:fs';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import hdr from 'hdr-histogram-js';
import { systemClock } from '../../harness/common/clock.ts';
import { silentLogger } from '../../harness/common/logger.ts';
import { loadComputeProto } from '../../harness/proto/load.ts';
import type { RunManyRepliesOut } from '../../harness/proto/types.ts';
import { mirrorRun } from '../../harness/replay/mirror-run.ts';
import { decodeRunManyReplies } from '../../harness/proto/decode-replies.ts';
import { encodeRunManyStart } from '../../harness/replay/encode-run-many.ts';
import { runManyMethod } from '../../harness/replay/run-request.ts';
import type { RecordSink } from '../../harness/replay/sink.ts';
import { toProtoJob } from '../../harness/replay/to-proto.ts';
import { JobRecordSchema, type Job } from '../../harness/trace/job.ts';
import type { RowOf, TableName } from '../../harness/events/schema.ts';

export interface BenchTarget {
  name: string;
  address: string;
}

/** Counts rows instead of keeping them, so memory stays flat in long benches. */
export class CountingSink implements RecordSink {
  readonly counts: Partial<Record<TableName, number>> = {};
  /**
   * The result columns the lateness figures need, not the rows: 50,000 rows
   * held to the end of a run would be the bench's garbage in the old
   * generation (a run's rows go to the writer in batches and die young).
   */
  readonly results = { target: [] as string[], intendedAtUs: [] as number[], latenessUs: [] as number[], sentAtUs: [] as number[] };
  constructor(private readonly keepResults = false) {}
  add<T extends TableName>(table: T, row: RowOf<T>): void {
    this.counts[table] = (this.counts[table] ?? 0) + 1;
    if (this.keepResults && table === 'job_results') {
      const r = row as RowOf<'job_results'>;
      this.results.target.push(r.target);
      this.results.intendedAtUs.push(r.intended_at_us);
      this.results.latenessUs.push(r.lateness_us);
      this.results.sentAtUs.push(r.sent_at_us);
    }
  }
}

export function* syntheticJobs(n: number, perSecond: number, workSeconds = 0.001, deadlineSeconds = 0): Generator<Job> {
  const t0 = 1_700_000_000_000_000;
  for (let i = 0; i < n; i++) {
    yield JobRecordSchema.parse({
      job_id: `b${i}`,
      submitted_at: t0 + Math.round((i * 1e6) / perSecond),
      customer: 'bench',
      task_type: 'llm_inference',
      work_seconds: workSeconds,
      deadline_seconds: deadlineSeconds,
    });
  }
}

/** Jobs per second fanned out to all targets by the real replay, as fast as it can send. */
export async function replayThroughput(targets: BenchTarget[], n: number, targetThreads?: boolean, sink = new CountingSink()): Promise<number> {
  // Parsed before the clock starts, as the bare loops have them: the fan-out is measured, not the trace reader.
  const jobs = [...syntheticJobs(n, 1e6)];
  const t0 = performance.now();
  await mirrorRun({
    runId: `bench-${Date.now()}`,
    scenario: 'bench',
    seed: 1,
    speed: 1e9,
    targets,
    trace: { path: 'synthetic', checksum: '', jobs },
    sink,
    clock: systemClock(),
    logger: silentLogger(),
    leadMs: 0,
    // The bare loop keeps 2,000 jobs in flight; the replay gets the same bound, so both make the same calls at the same concurrency.
    maxInFlightPerTarget: BARE_CONCURRENCY,
    targetThreads,
    // The bench warms the process with a run of its own first; a run's warm-up calls are a start cost, not throughput.
    warmUpCalls: 0,
  });
  return n / ((performance.now() - t0) / 1000);
}

/** The same Run calls from a bare grpc-js loop with the same concurrency, draining each stream. */
export const BARE_CONCURRENCY = 2000;

export async function bareThroughput(targets: BenchTarget[], n: number, concurrency = BARE_CONCURRENCY): Promise<number> {
  const { ComputeTarget } = loadComputeProto().mirrorbench.compute.v1;
  const clients = targets.map((t) => new ComputeTarget(t.address, grpc.credentials.createInsecure()));
  const jobs = [...syntheticJobs(n, 1e6)];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const now = Date.now() * 1000;
      await Promise.all(
        clients.map(
          (c) =>
            new Promise<void>((resolve) => {
              const call = c.run(
                { runId: 'bare', jobId: job.job_id, idempotencyKey: `bare/${job.job_id}`, speed: 1e9, job: toProtoJob(job), intendedAtUs: now },
                { deadline: Date.now() + 60_000 },
              );
              call.on('data', () => {});
              call.on('error', () => resolve());
              call.on('end', () => resolve());
            }),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const rate = n / ((performance.now() - t0) / 1000);
  for (const c of clients) c.close();
  return rate;
}

/**
 * The same jobs as RunMany messages from a bare grpc-js loop with the same
 * concurrency: one stream per target, each job's request encoded once for
 * every stream, a turn's requests written as one message (as the replay and
 * the targets do), the next job sent when a job has ended on every target,
 * every reply decoded. It makes the calls the replay makes, with the replay's
 * codecs (encode-run-many.ts, decode-replies.ts; `codec: 'loader'` for
 * @grpc/proto-loader's), so it is the loop the replay's fan-out is held
 * against: the ratio is the harness's cost, not a codec's.
 */
export async function bareStreamThroughput(targets: BenchTarget[], n: number, concurrency = BARE_CONCURRENCY, codec: 'lean' | 'loader' = 'lean'): Promise<number> {
  const { ComputeTarget } = loadComputeProto().mirrorbench.compute.v1;
  const clients = targets.map((t) => new ComputeTarget(t.address, grpc.credentials.createInsecure()));
  const method = runManyMethod();
  const jobs = [...syntheticJobs(n, 1e6)];
  const decode = codec === 'lean' ? decodeRunManyReplies : method.responseDeserialize;
  const streams = clients.map((c) => c.makeBidiStreamRequest<Buffer, RunManyRepliesOut>(method.path, (b: Buffer) => b, decode));
  const left = new Map<number, number>();
  let next = 0;
  let done = 0;
  let turn: Buffer[] = [];
  const flush = () => {
    const bytes = Buffer.concat(turn);
    turn = [];
    for (const s of streams) s.write(bytes);
  };
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const send = () => {
      const job = jobs[next++]!;
      const tag = next;
      if (turn.length === 0) queueMicrotask(flush);
      const intendedAtUs = Date.now() * 1000;
      turn.push(codec === 'lean'
        ? encodeRunManyStart(job, { tag, runId: 'bare', idempotencyKey: `bare/${job.job_id}`, speed: 1e9, intendedAtUs, deadlineMs: 60_000 })
        : method.requestSerialize({
          requests: [{ tag, run: { runId: 'bare', jobId: job.job_id, idempotencyKey: `bare/${job.job_id}`, speed: 1e9, job: toProtoJob(job), intendedAtUs }, deadlineMs: 60_000 }],
        }));
      left.set(tag, streams.length);
    };
    for (const s of streams) {
      s.on('error', () => {});
      s.on('data', (batch: RunManyRepliesOut) => {
        for (const m of batch.replies) {
          if (!m.end) continue;
          const l = left.get(m.tag)! - 1;
          if (l > 0) {
            left.set(m.tag, l);
            continue;
          }
          left.delete(m.tag);
          done++;
          if (next < jobs.length) send();
          else if (done === jobs.length) resolve();
        }
      });
    }
    for (let i = 0; i < Math.min(concurrency, jobs.length); i++) send();
  });
  const rate = n / ((performance.now() - t0) / 1000);
  for (const s of streams) s.cancel();
  for (const c of clients) c.close();
  return rate;
}

/** CPU seconds a process has used so far (user + system), from /proc: the target process's share of the cores. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the name), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * What `fn` costs per job in CPU time (µs): this process, and the targets'
 * process when its pid is given. Both are what bound the fan-out on a machine
 * with few cores, whatever the wall clock says on a shared one.
 */
export async function cpuPerJob<T>(jobs: number, targetPid: number | undefined, fn: () => Promise<T>): Promise<{ value: T; harnessUs: number; targetUs?: number }> {
  const cpu0 = process.cpuUsage();
  const target0 = targetPid ? processCpuSeconds(targetPid) : undefined;
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  const target1 = targetPid ? processCpuSeconds(targetPid) : undefined;
  return {
    value,
    harnessUs: Math.round((cpu.user + cpu.system) / jobs),
    ...(target0 !== undefined && target1 !== undefined ? { targetUs: Math.round(((target1 - target0) * 1e6) / jobs) } : {}),
  };
}

/**
 * Garbage-collection pauses while `fn` runs: the stalls a release clock cannot avoid in this process. With `since`,
 * only the pauses that start after the instant it returns (performance.now()), e.g. a run's sending phase without
 * its warm-up.
 */
export async function gcPauses<T>(fn: () => Promise<T>, since: () => number = () => 0): Promise<{ value: T; gc: { minor: number; major: number; maxPauseMs: number; totalMs: number } }> {
  const gc = { minor: 0, major: 0, maxPauseMs: 0, totalMs: 0 };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.startTime < since()) continue;
      const kind = ((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) gc.minor++;
      else if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
      gc.totalMs += e.duration;
      if (e.duration > gc.maxPauseMs) gc.maxPauseMs = e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  try {
    const value = await fn();
    // Entries are delivered asynchronously; let the last ones arrive.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { value, gc: { ...gc, maxPauseMs: Number(gc.maxPauseMs.toFixed(1)), totalMs: Math.round(gc.totalMs) } };
  } finally {
    obs.disconnect();
  }
}

/** Harness lateness at a fixed arrival rate, in ms. */
export async function lateness(targets: BenchTarget[], perSecond: number, seconds: number, opts: { shortDeadline?: boolean; targetThreads?: boolean; targetPid?: number } = {}) {
  const sink = new CountingSink(true);
  // CPU and wall time from the start of the sending phase (reset then), like the GC pauses: the warm-up is not the run.
  let cpu0 = process.cpuUsage();
  let targetCpu0 = opts.targetPid ? processCpuSeconds(opts.targetPid) : undefined;
  let wall0 = performance.now();
  // The pauses of the sending phase only: the warm-up's own collections come before any job is due.
  let sendingFrom = Infinity;
  const { gc } = await gcPauses(() => mirrorRun({
    runId: `bench-late-${perSecond}`,
    scenario: 'bench',
    seed: 1,
    speed: 1,
    targets,
    // Lateness is taken at send, but at speed 1 the simulated market keeps a
    // job for minutes to hours (16 providers for 5000 jobs): a short deadline
    // ends each stream ~3 s after it is sent, and the in-flight cap is raised so
    // those open streams do not hold sends back.
    // The trivial targets answer at once: their calls end by themselves (a
    // short deadline there would fail nothing, but it is not needed).
    trace: { path: 'synthetic', checksum: '', jobs: syntheticJobs(perSecond * seconds, perSecond, 0.001, opts.shortDeadline ? 0.5 : 0) },
    ...(opts.shortDeadline ? { runDeadlineSlackMs: 1_000 } : {}),
    maxInFlightPerTarget: perSecond * 10,
    sink,
    clock: systemClock(),
    logger: silentLogger(),
    leadMs: 100,
    targetThreads: opts.targetThreads,
    onPhase: (phase) => {
      if (phase !== 'sending') return;
      sendingFrom = performance.now();
      wall0 = sendingFrom;
      cpu0 = process.cpuUsage();
      targetCpu0 = opts.targetPid ? processCpuSeconds(opts.targetPid) : undefined;
    },
  }), () => sendingFrom);
  const wallS = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const targetCpu1 = opts.targetPid ? processCpuSeconds(opts.targetPid) : undefined;
  // Cores busy on average over the sending phase and the drain after it (1 = one core the whole time): the harness, and the targets' process beside it.
  const cores = {
    harness: Number(((cpu.user + cpu.system) / 1e6 / wallS).toFixed(2)),
    ...(targetCpu0 !== undefined && targetCpu1 !== undefined ? { targetProcess: Number(((targetCpu1 - targetCpu0) / wallS).toFixed(2)) } : {}),
  };
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const sent = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  // The same lateness without the run's first second, where the late jobs of a run bunch (cold code, the young
  // generation still growing; README, "Replay speed"): it tells a start cost from a steady one. Not a goal.
  const afterFirstSecond = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let firstIntendedUs = Infinity;
  const res = sink.results;
  for (const at of res.intendedAtUs) if (at < firstIntendedUs) firstIntendedUs = at;
  for (let i = 0; i < res.target.length; i++) {
    if (res.target[i] !== targets[0]!.name) continue;
    const late = res.latenessUs[i]!;
    h.recordValue(Math.max(1, late));
    if (res.intendedAtUs[i]! >= firstIntendedUs + 1_000_000) afterFirstSecond.recordValue(Math.max(1, late));
    if (res.sentAtUs[i]) sent.recordValue(Math.max(1, res.sentAtUs[i]! - res.intendedAtUs[i]!));
  }
  // p*Ms: the release clock (released − intended); sentP99Ms adds any wait in the target's harness queue.
  return {
    perSecond, jobs: perSecond * seconds, p50Ms: h.getValueAtPercentile(50) / 1000, p99Ms: h.getValueAtPercentile(99) / 1000, maxMs: h.maxValue / 1000,
    p99AfterFirstSecondMs: afterFirstSecond.getValueAtPercentile(99) / 1000, sentP99Ms: sent.getValueAtPercentile(99) / 1000, coresBusy: cores, gc,
  };
}
