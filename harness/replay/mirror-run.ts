// One mirror run: describe the targets, record the run, follow their provider
// and price streams, release every selected job to all targets at once, wait
// for the results, and close the run record. Rows go to a RecordSink; the
// caller owns the store behind it.
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import { dateOfUs, type RunRow, type RunWorkerRow } from '../events/schema.ts';
import type { TargetInfoOut } from '../proto/types.ts';
import type { Job } from '../trace/job.ts';
import { DEFAULTS } from '../common/defaults.ts';
import { StartLateError, TargetError } from '../common/errors.ts';
import type { DeadlinePolicy } from './deadlines.ts';
import { schedule } from './scheduler.ts';
import { Release } from './release.ts';
import { RunRequestEncoder } from './run-request.ts';
import { jobSelector, type Pick, type Selection } from './select.ts';
import type { RecordSink } from './sink.ts';
import { TargetClient, type TargetEndpoint } from './target-client.ts';
import { LatenessHistogram, workerRow, type WorkerIdentity } from './worker.ts';
import { ThreadedTargetClient, type ReplayTarget } from './target-thread.ts';
import { warmRunPath } from './warm-up.ts';

export interface MirrorRunOptions {
  runId: string;
  scenario: string;
  seed: number;
  speed: number;
  targets: readonly TargetEndpoint[];
  trace: { path: string; checksum: string; jobs: AsyncIterable<Job> | Iterable<Job>; planned?: number };
  selection?: Selection;
  sink: RecordSink;
  clock: Clock;
  logger: Logger;
  codeVersion?: string;
  /** Extra configuration stored with the run (scenario options, simulator overrides). */
  config?: Record<string, unknown>;
  /** Wall-clock lead before the first job, so it is not late while clients connect. */
  leadMs?: number;
  /**
   * Run calls made to a loopback target in this process before the start
   * instant is fixed (warm-up.ts), so the first jobs do not go out late behind
   * one-off compile and codec costs (DEFAULTS.replay.warmUpCalls; 0 = none).
   * Only with the machine's clock and without targetThreads.
   */
  warmUpCalls?: number;
  /** Jobs in flight per target; beyond it a target's jobs wait in its own harness-side queue. */
  maxInFlightPerTarget?: number;
  /** Harness-queue entries per target kept in memory; the rest spill to a temp file. */
  queueMemoryItems?: number;
  /** Per-job Run deadlines in trace time (deadlines.ts). */
  deadlines?: DeadlinePolicy;
  /** How long Describe may take per target before it counts as unavailable. */
  connectDeadlineMs?: number;
  onPhase?: (phase: RunPhase) => void;
  /** Real-time slack added to every Run deadline (DEFAULTS.rpc.runDeadlineSlackMs). */
  runDeadlineSlackMs?: number;
  /**
   * Stop sending when aborted (in any phase, after the last send too); queued
   * jobs are recorded unfinished, in-flight ones get `graceMs` to finish, then
   * are cancelled and recorded unfinished.
   */
  signal?: AbortSignal;
  graceMs?: number;
  onProgress?: (p: RunProgress) => void;
  /**
   * Each target's client in a worker thread of its own (target-thread.ts), so
   * decoding one target's results never delays the release clock or another
   * target. Off by default: on the 2-core machine it was measured on, the extra
   * threads took cores from the targets and lowered the fan-out (README,
   * "Replay engine figures"). Only with the machine's clock (an injected one
   * keeps everything in this thread).
   */
  targetThreads?: boolean;
  /** Continue a stopped run under its id (see ResumeState). */
  resume?: ResumeState;
  /**
   * Sequential stopping (harness/run/sequential-stop.ts): told of every
   * release in order; once `stopSending` aborts nothing more is released and
   * the run drains as usual (everything sent finishes; not an interrupt).
   */
  sequential?: { stopSending: AbortSignal; released(job: Job, intendedAtUs: number): void };
  /** Data policy: true when `job` must not be sent to `target` (recorded as withheld instead). */
  withhold?: (job: Job, target: string) => boolean;
  /**
   * The common start of a sharded run's workers (--start-at): the wall time
   * (epoch µs) the trace origin maps to, instead of now + leadMs. A worker
   * ready later than `startLateMaxMs` after it refuses (StartLateError) and
   * records itself as start_late.
   */
  startAtUs?: number;
  startLateMaxMs?: number;
  /** Trace time mapped to the start: the same on every worker (the first job before sharding); the first job sent when omitted. */
  traceStartUs?: number;
  /** This worker's run_workers row (shard, host); written beside every runs row. */
  worker?: Omit<WorkerIdentity, 'runId' | 'startAtUs'>;
}

/**
 * What a stopped run already did, read back from the store. A job is sent
 * again only to the targets that have no outcome for it: one never sent, or
 * one we cancelled ourselves at the interrupt (error class `interrupted`),
 * whose new row then replaces the old one under the same key.
 */
export interface ResumeState {
  /** job_id → targets with a final outcome (completed, or failed by the target). */
  done: ReadonlyMap<string, ReadonlySet<string>>;
  /** Jobs with any stored result: already counted as sent. */
  sentBefore: ReadonlySet<string>;
  startedAtUs: number;
  traceStartUs: number;
}

export interface RunProgress {
  released: number;
  planned: number | undefined;
  lateMaxUs: number;
  targets: Record<string, ReplayTarget['counters']>;
}

export interface MirrorRunResult {
  runId: string;
  status: 'completed' | 'interrupted';
  released: number;
  startedAtUs: number;
  endedAtUs: number;
  targets: { name: string; kind: string; completed: number; failed: number; unfinished: number; queuedMax: number; unavailable?: string }[];
  /** The run's record as last written, so a later stage (an interrupt while flushing) can rewrite its status. */
  runRow: RunRow;
  /** This worker's record as last written (when `worker` was given), rewritten with the run row. */
  workerRow?: RunWorkerRow;
}

/** Where a run is; logged as `phase: …` and passed to onPhase (progress, tests of interrupts in each phase). */
export type RunPhase = 'connecting' | 'sending' | 'draining' | 'stopping';

export async function mirrorRun(opts: MirrorRunOptions): Promise<MirrorRunResult> {
  const { clock, logger, sink, runId, speed } = opts;
  const threads = (opts.targetThreads ?? false) && clock.realTime === true;
  const clientOptions = {
    logger, sink, runId, speed,
    maxInFlight: opts.maxInFlightPerTarget,
    runDeadlineSlackMs: opts.runDeadlineSlackMs,
    deadlines: opts.deadlines,
    queueMemoryItems: opts.queueMemoryItems,
  };
  // One encoding of each released job's request for all targets in this thread.
  const requests = new RunRequestEncoder(runId, speed);
  const clients: ReplayTarget[] = opts.targets.map((t) =>
    threads ? new ThreadedTargetClient(t, clientOptions) : new TargetClient(t, { ...clientOptions, clock, requests }),
  );
  const startedAtUs = opts.resume?.startedAtUs ?? clock.nowUs();
  const resume = opts.resume;
  const allTargets = opts.targets.map((t) => t.name);
  const phase = (p: RunPhase) => {
    logger.info({ runId, phase: p }, `phase: ${p}`);
    opts.onPhase?.(p);
  };
  try {
    phase('connecting');
    // One dead target must not cost the others their run: its jobs are recorded as target_unavailable.
    const aborted = new Promise<void>((resolve) => {
      if (!opts.signal) return;
      if (opts.signal.aborted) resolve();
      else opts.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const settled: (PromiseSettledResult<TargetInfoOut> | undefined)[] = clients.map(() => undefined);
    // An interrupt while connecting ends the wait at once; the run is then recorded as interrupted with nothing sent.
    await Promise.race([Promise.all(clients.map((c, i) => c.describe(opts.connectDeadlineMs).then(
      (value) => { settled[i] = { status: 'fulfilled', value }; },
      (reason: unknown) => { settled[i] = { status: 'rejected', reason }; },
    ))), aborted]);
    const infos = settled.map((d, i) => {
      if (d?.status === 'fulfilled') return d.value;
      // Not answered yet when interrupted: nothing will be sent, and the target is not to blame.
      if (!d) return {};
      const reason = d.reason instanceof Error ? d.reason.message : String(d.reason);
      clients[i]!.markUnavailable(reason);
      logger.error({ target: clients[i]!.name, reason }, 'target unavailable: its jobs are recorded as target_unavailable, the run goes on');
      return { unavailable: reason };
    });
    if (!opts.signal?.aborted && clients.every((c) => c.unavailable !== undefined)) {
      throw new TargetError('TARGET_UNAVAILABLE', clients.map((c) => c.name).join(', '), `no target answered: ${clients.map((c) => c.unavailable).join('; ')}`);
    }
    const runRow = (status: string, endedAtUs: number, jobsSent: number, traceStartUs: number): RunRow => ({
      run_id: runId,
      scenario: opts.scenario,
      seed: opts.seed,
      trace_path: opts.trace.path,
      trace_checksum: opts.trace.checksum,
      speed,
      targets: clients.map((c) => c.name),
      code_version: opts.codeVersion ?? 'dev',
      started_at_us: startedAtUs,
      ended_at_us: endedAtUs,
      status,
      jobs_planned: opts.trace.planned ?? 0,
      jobs_sent: jobsSent,
      trace_start_us: traceStartUs,
      config_json: JSON.stringify({
        ...opts.config,
        selection: opts.selection ?? {},
        maxInFlightPerTarget: opts.maxInFlightPerTarget ?? DEFAULTS.replay.maxInFlightPerTarget,
        targets: clients.map((c, i) => ({ name: c.name, address: c.address, kind: c.kind, info: infos[i], ...(c.unavailable !== undefined ? { unavailable: c.unavailable } : {}) })),
      }),
      updated_at_us: clock.nowUs(),
      started_date: dateOfUs(startedAtUs),
    });
    if (!threads && clock.realTime === true) {
      // A short run needs no more warm-up calls than it has jobs (but the first calls' one-off costs are paid by any number).
      const warm = opts.warmUpCalls ?? DEFAULTS.replay.warmUpCalls;
      const planned = opts.trace.planned ?? 0;
      await warmRunPath({
        calls: planned > 0 ? Math.min(warm, Math.max(32, planned)) : warm, clock, logger, speed, signal: opts.signal,
        // A worker given a common start stops warming in time for it (a quarter second for the last round and the lead).
        ...(opts.startAtUs !== undefined ? { untilUs: opts.startAtUs - 250_000 } : {}),
      });
    }
    const lateness = new LatenessHistogram();
    const identity: WorkerIdentity | undefined = opts.worker && { ...opts.worker, runId, startAtUs: opts.startAtUs ?? 0 };
    const readyUs = clock.nowUs();
    const startLatenessUs = opts.startAtUs !== undefined ? Math.max(0, readyUs - opts.startAtUs) : 0;
    const worker = (status: string, endedAtUs: number, jobsSent: number) =>
      identity && workerRow(identity, { status, startedAtUs, endedAtUs, startLatenessUs, jobsSent, lateness, updatedAtUs: clock.nowUs() });
    if (opts.startAtUs !== undefined && opts.startLateMaxMs !== undefined && startLatenessUs > opts.startLateMaxMs * 1000) {
      // Recorded, so the run's report names the worker that never sent; nothing else of it is stored.
      const row = worker('start_late', readyUs, 0);
      if (row) sink.add('run_workers', row);
      throw new StartLateError(
        startLatenessUs / 1000,
        opts.startLateMaxMs,
        `${runId}${identity ? ` shard ${identity.shard.index}/${identity.shard.count}` : ''}: ready ${(startLatenessUs / 1e6).toFixed(3)} s after the common start ${new Date(opts.startAtUs / 1000).toISOString()} ` +
          `(bound ${opts.startLateMaxMs} ms), so its jobs would go out that late while the other workers' went out on time; not started. ` +
          `Start the run again with a later --start-at, or send this shard's jobs with replay --resume ${runId}${identity ? ` --shard ${identity.shard.index}/${identity.shard.count}` : ''}`,
      );
    }
    sink.add('runs', runRow('running', 0, 0, 0));
    const first = worker('running', 0, resume?.sentBefore.size ?? 0);
    if (first) sink.add('run_workers', first);
    for (const c of clients) if (c.unavailable === undefined) c.watch();

    let lateMaxUs = 0;
    let released = 0;
    let newlySent = 0;
    const progressTimer = opts.onProgress
      ? setInterval(() => report(), 250)
      : undefined;
    const report = () =>
      opts.onProgress?.({
        released,
        planned: opts.trace.planned,
        lateMaxUs,
        targets: Object.fromEntries(clients.map((c) => [c.name, { ...c.counters }])),
      });

    const startAtUs = opts.startAtUs ?? clock.nowUs() + (opts.leadMs ?? 200) * 1000;
    if (opts.startAtUs !== undefined && startAtUs > clock.nowUs()) logger.info({ runId, startAt: new Date(startAtUs / 1000).toISOString(), inSeconds: (startAtUs - clock.nowUs()) / 1e6 }, 'waiting for the common start');
    // The window is measured from the trace's first job, so selection runs before jobs already done are dropped.
    const pick = jobSelector(opts.selection ?? {});
    phase('sending');
    const sched = await schedule(
      opts.trace.jobs,
      {
        select: resume ? (job) => remaining(pick(job), job, resume.done, allTargets) : pick,
        clock,
        speed,
        startAtUs,
        traceStartUs: opts.traceStartUs,
        signal: opts.sequential && opts.signal ? AbortSignal.any([opts.signal, opts.sequential.stopSending]) : (opts.sequential?.stopSending ?? opts.signal),
        // Only the database holds the clock; a full target queues its own jobs (TargetClient.submit).
        beforeRelease: sink.pressure && sink.waitForCapacity ? async () => { if (sink.pressure!()) await sink.waitForCapacity!(); } : undefined,
      },
      (job, intendedAtUs) => {
        released++;
        opts.sequential?.released(job, intendedAtUs);
        if (!resume?.sentBefore.has(job.job_id)) newlySent++;
        const releasedAtUs = clock.nowUs();
        const late = releasedAtUs - intendedAtUs;
        if (late > lateMaxUs) lateMaxUs = late;
        lateness.add(late);
        const doneOn = resume?.done.get(job.job_id);
        // One release for every target: a full target queues it, the first to send it keeps the encoded request.
        const shared = new Release(job, intendedAtUs, releasedAtUs);
        // Every job to every target at once: the fan-out.
        for (const c of clients) {
          if (doneOn?.has(c.name)) continue;
          if (opts.withhold?.(job, c.name)) {
            c.withhold(job, intendedAtUs);
            continue;
          }
          c.submit(shared);
        }
      },
    );

    // A sequential stop ends the sending too, but only the caller's signal interrupts the run.
    let interrupted = sched.interrupted && (opts.signal?.aborted ?? false);
    if (!interrupted) phase('draining');
    const allIdle = Promise.all(clients.map((c) => c.idle()));
    // An interrupt now or later (after the last send too) stops the queues and gives in-flight jobs the grace period.
    if ((await Promise.race([allIdle.then(() => 'idle' as const), aborted.then(() => 'aborted' as const)])) === 'aborted') {
      interrupted = true;
      phase('stopping');
      for (const c of clients) c.halt();
      const graceMs = opts.graceMs ?? 5_000;
      logger.warn({ inFlight: clients.reduce((n, c) => n + c.counters.inFlight, 0), graceMs }, 'interrupted: no more jobs sent; waiting for in-flight jobs');
      const timedOut = await Promise.race([allIdle.then(() => false), clock.sleep(graceMs).then(() => true)]);
      if (timedOut) for (const c of clients) c.cancelAll();
      await allIdle;
    }
    if (progressTimer) clearInterval(progressTimer);
    report();
    const endedAtUs = clock.nowUs();
    const status: MirrorRunResult['status'] = interrupted || opts.signal?.aborted ? 'interrupted' : 'completed';
    const sent = (resume?.sentBefore.size ?? 0) + newlySent;
    const finalRow = runRow(status, endedAtUs, sent, resume?.traceStartUs || (sched.traceStartUs ?? 0));
    sink.add('runs', finalRow);
    const finalWorker = worker(status, endedAtUs, sent);
    if (finalWorker) sink.add('run_workers', finalWorker);
    return {
      runRow: finalRow,
      ...(finalWorker ? { workerRow: finalWorker } : {}),
      runId,
      status,
      released,
      startedAtUs,
      endedAtUs,
      targets: clients.map((c) => ({
        name: c.name, kind: c.kind, completed: c.counters.completed, failed: c.counters.failed, unfinished: c.counters.unfinished, queuedMax: c.counters.queuedMax,
        ...(c.unavailable !== undefined ? { unavailable: c.unavailable } : {}),
      })),
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** Passes over a selected job every target already has an outcome for. */
function remaining(pick: Pick, job: Job, done: ReadonlyMap<string, ReadonlySet<string>>, targets: readonly string[]): Pick {
  if (pick !== 'keep') return pick;
  const d = done.get(job.job_id);
  return d && targets.every((t) => d.has(t)) ? 'skip' : 'keep';
}
