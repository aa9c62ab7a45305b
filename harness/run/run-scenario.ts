// Wires the stages of one run: trace → simulators (if any) → replay → store →
// report. Each stage is built elsewhere; this file only connects them.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { systemClock, type Clock } from '../common/clock.ts';
import { DEFAULTS } from '../common/defaults.ts';
import type { Logger } from '../common/logger.ts';
import { ConfigError, errorMessage, InterruptedError } from '../common/errors.ts';
import { withholdPredicate } from '../replay/data-policy.ts';
import { deadlinePolicy } from '../replay/deadlines.ts';
import { mirrorRun, type MirrorRunResult, type ResumeState, type RunPhase, type RunProgress } from '../replay/mirror-run.ts';
import { planRun, type RunPlan } from '../replay/plan.ts';
import { selectionOrigin } from '../replay/select.ts';
import type { TargetEndpoint } from '../replay/target-client.ts';
import { openStore, type StoreOptions } from '../store/open.ts';
import { runStatusOf, runWorkers, type RunStatus } from '../store/runs.ts';
import type { Store } from '../store/store.ts';
import { BatchWriter } from '../store/writer.ts';
import { startSimulator } from '../targets/index.ts';
import { isPermissionless, NOISE_FLOOR_SEED_OFFSET, twinName, type Scenario, type ScenarioTarget } from '../../scenarios/define.ts';
import { sizeAllocation, startScenarioBridge } from './bridge-target.ts';
import { resolveTrace } from './resolve-trace.ts';
import { assertRunnable } from './scenario-check.ts';
import { targetTls } from './target-tls.ts';
import { reportRun, type ReportedRun } from './report.ts';
import { loadStoppedRun } from './resume.ts';
import { SequentialStop, type StopRecord } from './sequential-stop.ts';
import { selectionOf, speedOf } from './selection.ts';

export interface RunScenarioOptions {
  scenario: Scenario;
  logger: Logger;
  store?: StoreOptions;
  dataDir?: string;
  reportsDir?: string;
  clock?: Clock;
  /** Overrides the scenario speed. */
  speed?: number;
  /** Overrides the scenario's maxInFlightPerTarget. */
  maxInFlight?: number;
  /** After an interrupt, how long in-flight jobs may finish before they are cut (unfinished). */
  graceMs?: number;
  /** Sees each phase of the run as it starts (progress, interrupt tests). */
  onPhase?: (phase: RunPhase | 'flushing' | 'reporting') => void;
  signal?: AbortSignal;
  /** false: no progress display even when `progressView` is given. */
  progress?: boolean;
  /** Shows progress while the run goes (the CLI's bar or log lines); none by default. */
  progressView?: (planned: number | undefined) => ProgressView;
  codeVersion?: string;
  /** Continue this stopped run instead of starting a new one. */
  resumeRunId?: string;
  /** This worker's part of the trace; workers of one run share `runId`. */
  shard?: { index: number; count: number };
  /** Run id to use (shard workers of one run give the same one); new by default. */
  runId?: string;
  /** An open store to use (and leave open) instead of opening one from `store`. */
  storeInstance?: Store;
  /**
   * The common start of a sharded run's workers (epoch ms, --start-at): each
   * waits for it, and one ready later than `startLateMaxMs` refuses to start.
   */
  startAtMs?: number;
  /** How late a worker may be at the common start (DEFAULTS.replay.startLateMaxMs). */
  startLateMaxMs?: number;
  /** This run is replicate `index` of `count` of the set `set` (harness/run/replicates.ts); stored in its configuration. */
  replicate?: ReplicateLink;
}

/** The stored link from a replicate run to its set (runs.config_json `replicate`). */
export interface ReplicateLink {
  set: string;
  index: number;
  count: number;
}

/** Where a run reports its progress; the CLI supplies one, campaigns and tests none. */
export interface ProgressView {
  update(p: RunProgress): void;
  stop(): void;
}

export interface RunScenarioResult extends ReportedRun {
  run: MirrorRunResult;
}

/**
 * What one worker of a sharded run (n > 1) returns: its part is stored, but
 * the report and its gates are the whole run's, built once with `report --run`
 * when every worker is stored. `status` is the run's as derived from the
 * worker rows so far (runStatusOf).
 */
export interface ShardPartResult {
  run: MirrorRunResult;
  report?: undefined;
  status: RunStatus;
}

/** Rewrites a finished run's record (and its worker's) as interrupted (a later row wins by updated_at_us). */
async function markInterrupted(store: Store, run: MirrorRunResult, clock: Clock): Promise<MirrorRunResult> {
  await store.insert('runs', [{ ...run.runRow, status: 'interrupted', updated_at_us: Math.max(clock.nowUs(), run.runRow.updated_at_us + 1) }]);
  if (run.workerRow) await store.insert('run_workers', [{ ...run.workerRow, status: 'interrupted', updated_at_us: Math.max(clock.nowUs(), run.workerRow.updated_at_us + 1) }]);
  return { ...run, status: 'interrupted' };
}

/**
 * n workers that each start in-process simulators simulate n networks, each
 * seeing 1/n of the load: a sharded run must reach shared simulator processes
 * (`address:`, e.g. `mirrorbench sim … --port`). Refused rather than warned:
 * such a run would be stored and reported as one run while measuring another
 * system.
 */
export function assertShardable(scenario: Scenario, shard: { index: number; count: number } | undefined): void {
  if (!shard || shard.count <= 1) return;
  const inProcess = scenario.targets.filter((t) => t.sim).map((t) => t.name);
  if (inProcess.length === 0) return;
  throw new ConfigError(
    `--shard ${shard.index}/${shard.count}: target${inProcess.length > 1 ? 's' : ''} ${inProcess.join(', ')} would start a simulator in this worker, so ${shard.count} workers would simulate ${shard.count} separate networks, each with 1/${shard.count} of the load. ` +
      `Start each simulator once (mirrorbench sim baseline|decentralized --port N, or docker/k8s/replay-indexed-job.yaml's services) and give the targets address: "host:N"`,
  );
}

/**
 * The scenario's targets with the A/A twin of `noiseFloor` last: the same
 * simulator with another seed, or the target's settings at a second
 * deployment's address (a bridge's twin is reached at that address too).
 */
export function targetsWithTwin(scenario: Scenario): ScenarioTarget[] {
  const nf = scenario.noiseFloor;
  if (!nf) return scenario.targets;
  const i = scenario.targets.findIndex((t) => t.name === nf.target);
  const t = scenario.targets[i];
  if (!t) throw new ConfigError(`noiseFloor.target "${nf.target}" is not a target of scenario ${scenario.name}`);
  const twin: ScenarioTarget = t.sim
    ? { ...t, name: twinName(t.name), seed: nf.seed ?? (t.seed ?? scenario.seed + i) + NOISE_FLOOR_SEED_OFFSET }
    : { ...t, name: twinName(t.name), bridge: undefined, address: nf.address, permissionless: isPermissionless(t) };
  return [...scenario.targets, twin];
}

export function newRunId(scenario: string, nowMs = Date.now()): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${scenario}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export function runScenario(opts: RunScenarioOptions & { shard?: undefined }): Promise<RunScenarioResult>;
export function runScenario(opts: RunScenarioOptions): Promise<RunScenarioResult | ShardPartResult>;
export async function runScenario(opts: RunScenarioOptions): Promise<RunScenarioResult | ShardPartResult> {
  const { scenario, logger } = opts;
  assertRunnable(scenario);
  const phase = (p: 'flushing' | 'reporting') => {
    logger.info({ phase: p }, `phase: ${p}`);
    opts.onPhase?.(p);
  };
  const clock = opts.clock ?? systemClock();
  const dataDir = resolve(opts.dataDir ?? DEFAULTS.dataDir);
  await mkdir(dataDir, { recursive: true });
  const trace = await resolveTrace(scenario, { dataDir, logger });
  let speed = opts.speed ?? speedOf(scenario, trace.spanSeconds);
  logger.info({ scenario: scenario.name, trace: trace.path, jobs: trace.planned, spanSeconds: Math.round(trace.spanSeconds), speed: Number(speed.toFixed(2)) }, 'trace ready');

  const sims: { stop(): Promise<void> }[] = [];
  const store = opts.storeInstance ?? openStore({ dataDir, ...opts.store });
  let writerOpen: BatchWriter | undefined;
  try {
    await store.init();
    let resume: ResumeState | undefined;
    let shard = opts.shard;
    let resumes = 0;
    let replicate = opts.replicate;
    const writer = new BatchWriter(store, { logger, dataDir });
    writerOpen = writer;
    if (opts.resumeRunId) {
      // The stopped run's last outcomes may still sit in the spool (the
      // database was away when it stopped): write them first, so the run is
      // read whole; whatever stays spooled is read from the spool.
      await writer.drainSpool().catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'spooled rows could not be written yet: reading them from the spool'));
      const stopped = await loadStoppedRun(store, opts.resumeRunId, writer.spool, opts.shard);
      if (stopped.traceChecksum && stopped.traceChecksum !== trace.checksum) {
        throw new ConfigError(`--resume ${opts.resumeRunId}: the trace changed since the run started (sha256 ${stopped.traceChecksum.slice(0, 12)} then, ${trace.checksum.slice(0, 12)} now)`);
      }
      // The original speed keeps every duration in the same trace time.
      speed = stopped.speed;
      resume = stopped.state;
      shard = stopped.shard;
      resumes = stopped.resumes;
      replicate = stopped.replicate;
      logger.info({ runId: opts.resumeRunId, jobsWithOutcome: resume.done.size, sentBefore: resume.sentBefore.size }, 'resuming run');
    }
    assertShardable(scenario, shard);
    if (shard && shard.count > 1 && !resume && opts.startAtMs === undefined) {
      logger.warn({ shard: `${shard.index}/${shard.count}` }, 'sharded without --start-at: this worker starts its own clock, so the backends see the shards offset by how far apart the workers started');
    }
    const selection = selectionOf(scenario, shard);
    // Every worker maps the same trace instant to the start (a resume starts a timeline of its own).
    const traceStartUs = shard && shard.count > 1 && !resume ? await selectionOrigin(trace.jobs(), selection) : undefined;
    const targets = targetsWithTwin(scenario);
    const withhold = withholdPredicate(
      targets.map((t) => ({ name: t.name, permissionless: isPermissionless(t) })),
      scenario.dataPolicy.permissionlessMaxSensitivity,
    );
    let sentAll: Promise<number> | undefined;
    const jobsFor = (target: string) =>
      withhold ? planRun(trace.jobs(), selection, (job) => !withhold(job, target)).then((p) => p.jobs) : (sentAll ??= planRun(trace.jobs(), selection).then((p) => p.jobs));
    const endpoints: TargetEndpoint[] = [];
    for (const [i, t] of targets.entries()) {
      if (t.sim) {
        // How many jobs it will get, so it can bill its deployments up to the run's end (a resumed run's sends are not counted: no tail).
        const runJobs = resume ? undefined : await jobsFor(t.name);
        const sim = await startSimulator(t.sim, { seed: t.seed ?? scenario.seed + i, params: t.params, faults: t.faults, priceSeries: t.priceSeries, workloads: scenario.workloads, runJobs, logger: logger.child({ sim: t.name }) });
        sims.push(sim);
        endpoints.push({ name: t.name, address: sim.address, maxInFlight: t.maxInFlight });
      } else if (t.bridge) {
        const spec = 'golem' in t.bridge ? { golem: await sizeAllocation(t.bridge.golem, () => planRun(trace.jobs(), selection, (job) => !withhold?.(job, t.name)), logger, scenario.workloads) } : t.bridge;
        const bridge = await startScenarioBridge(spec, process.env, logger.child({ bridge: t.name }), { workloads: scenario.workloads, runJobs: resume ? undefined : await jobsFor(t.name) });
        sims.push(bridge);
        endpoints.push({ name: t.name, address: bridge.address, maxInFlight: t.maxInFlight });
      } else {
        endpoints.push({ name: t.name, address: t.address!, tls: await targetTls(t, i), maxInFlight: t.maxInFlight });
      }
    }
    const runId = opts.resumeRunId ?? opts.runId ?? newRunId(scenario.name);
    const view = opts.progress === false ? undefined : opts.progressView?.(trace.planned);
    const config: Record<string, unknown> = { scenario, speed, skippedLines: trace.skippedLines };
    if (scenario.noiseFloor) config.noiseFloor = { target: scenario.noiseFloor.target, twin: twinName(scenario.noiseFloor.target) };
    if (replicate) config.replicate = replicate;
    const stop = await sequentialStopFor(scenario, { resumed: resume !== undefined, planned: () => planRun(trace.jobs(), selection), clock, logger, onLook: (r) => (config.sequentialStop = r) });
    let run: MirrorRunResult;
    try {
      run = await mirrorRun({
        runId,
        scenario: scenario.name,
        seed: scenario.seed,
        speed,
        targets: endpoints,
        trace: { path: trace.path, checksum: trace.checksum, jobs: trace.jobs(), planned: trace.planned },
        selection,
        sink: stop ? stop.sink(writer) : writer,
        clock,
        logger,
        codeVersion: opts.codeVersion,
        config,
        signal: opts.signal,
        maxInFlightPerTarget: opts.maxInFlight ?? scenario.maxInFlightPerTarget,
        graceMs: opts.graceMs,
        deadlines: deadlinePolicy(scenario.deadlines),
        onPhase: opts.onPhase,
        onProgress: view ? (p) => view.update(p) : undefined,
        resume,
        withhold,
        sequential: stop,
        startAtUs: opts.startAtMs !== undefined ? Math.round(opts.startAtMs * 1000) : undefined,
        startLateMaxMs: opts.startLateMaxMs ?? DEFAULTS.replay.startLateMaxMs,
        traceStartUs,
        worker: { shard: shard ?? { index: 0, count: 1 }, host: hostname(), resumes },
      });
    } finally {
      view?.stop();
      writerOpen = undefined;
      phase('flushing');
      await writer.close();
    }
    // Ctrl-C once the replay was over (while flushing): the rows are all stored, the run is recorded as the user stopped it.
    if (opts.signal?.aborted && run.status !== 'interrupted') run = await markInterrupted(store, run, clock);
    logger.info({ runId, status: run.status, released: run.released, writer: writer.stats(), ...(stop ? { sequentialStop: stop.record().reason } : {}) }, 'run stored');
    if (shard && shard.count > 1) {
      // Each of n workers building a report of a run the others were still writing: n reports of an unfinished run, each at a worker's cost.
      const workers = await runWorkers(store, runId);
      return { run, status: runStatusOf(workers, { status: run.status, jobs_sent: run.released }) };
    }
    phase('reporting');
    // A Ctrl-C that already stopped the run still gets its (INCONCLUSIVE) report; one that comes during the report abandons it.
    const reportSignal = opts.signal?.aborted ? undefined : opts.signal;
    try {
      return { run, ...(await reportRun(store, runId, { reportsDir: opts.reportsDir, thresholds: scenario.thresholds, signal: reportSignal })) };
    } catch (err) {
      if (!(err instanceof InterruptedError)) throw err;
      if (run.status !== 'interrupted') run = await markInterrupted(store, run, clock);
      throw new InterruptedError(`run ${runId}: stopped while building its report; stored as interrupted with every row (mirrorbench report --run ${runId} writes the report, replay --resume ${runId} closes the run)`);
    }
  } finally {
    // Closed here only when the run failed before the replay.
    await writerOpen?.close();
    await Promise.all(sims.map((s) => s.stop()));
    if (!opts.storeInstance) await store.close();
  }
}

/**
 * The watcher of a scenario's `sequential:` section, sized on the selection
 * (jobs and GPU-hours it would send); none without the section or two
 * targets. A resumed run is not watched: its first part's outcomes are not
 * in the order they were released.
 */
async function sequentialStopFor(
  scenario: Scenario,
  o: { resumed: boolean; planned: () => Promise<RunPlan>; clock: Clock; logger: Logger; onLook: (r: StopRecord) => void },
): Promise<SequentialStop | undefined> {
  if (!scenario.sequential || scenario.targets.length < 2) return undefined;
  if (o.resumed) {
    o.logger.warn({}, 'sequential stopping is off for a resumed run');
    return undefined;
  }
  const plan = await o.planned();
  return new SequentialStop(scenario.sequential, {
    baseline: scenario.targets[0]!.name,
    candidate: scenario.targets[1]!.name,
    targets: scenario.targets.length,
    plannedJobs: plan.jobs,
    plannedGpuHours: plan.gpuHours,
    confidence: scenario.report.confidence ?? DEFAULTS.report.confidence,
    clock: o.clock,
    logger: o.logger,
    onLook: o.onLook,
  });
}
