// Serves a simulation model as a ComputeTarget. The model works in trace time
// and answers "what happens to this job"; this layer maps trace time to wall
// time (divided by the replay speed), plays each job's timeline on a timer,
// and streams provider and price changes to watchers.
import * as grpc from '@grpc/grpc-js';
import { DEFAULTS } from '../../common/defaults.ts';
import { systemClock, type Clock } from '../../common/clock.ts';
import { silentLogger, type Logger } from '../../common/logger.ts';
import type { SimFaults } from './faults.ts';
import type { Workload } from './workloads.ts';
import type {
  GpuClassOffer,
  JobEvent,
  JobOut,
  PriceTick,
  ProviderEvent,
  TargetKindName,
} from '../../proto/types.ts';
import { startTargetServer } from './server.ts';
import { type TargetHandlers } from '../../proto/run-many-server.ts';

/** One event of a job's timeline, `offsetUs` trace µs after the job's arrival. */
export interface TimedEvent {
  offsetUs: number;
  event: Omit<JobEvent, 'jobId' | 'atUs'>;
}

export interface ProviderChange {
  atTraceUs: number;
  event: Omit<ProviderEvent, 'atUs'>;
}

export interface PriceChange {
  atTraceUs: number;
  tick: Omit<PriceTick, 'atUs'>;
}

export interface SimModel {
  readonly name: string;
  readonly kind: Exclude<TargetKindName, 'TARGET_KIND_UNSPECIFIED' | 0 | 1 | 2>;
  readonly currency: string;
  readonly priceModel: string;
  readonly parameters: Record<string, string>;
  /** Jobs the harness will send this target in the run (see SimOptions.runJobs); unknown when unset. */
  runJobs?: number;
  gpuClasses(): GpuClassOffer[];
  /** The job's timeline; the model's state advances to the job's arrival. Deterministic in arrival order. */
  plan(job: JobOut): TimedEvent[];
  /** Providers online at trace time t. */
  population(t: number): ProviderChange[];
  /** Provider changes in (from, to] trace µs. */
  providerChanges(from: number, to: number): ProviderChange[];
  /** Price ticks in (from, to]; and the rate in force at t. */
  priceChanges(from: number, to: number): PriceChange[];
  priceAt(t: number): PriceTick | undefined;
}

export interface RunningTarget {
  name: string;
  kind: 'baseline' | 'decentralized';
  address: string;
  port: number;
  stop(): Promise<void>;
  /** How the jobs reached the model so far (a simulator's; bridges have none). */
  admissions?(): Admissions;
}

/** How jobs reached the model: planned, arrived after a job intended later, planned after one (later than the reorder window). */
export interface Admissions {
  planned: number;
  /** Jobs that arrived after a job intended later had arrived: what the window put back in order, unless also outOfOrder. */
  arrivedOutOfOrder: number;
  outOfOrder: number;
  /** The latest a job arrived after its intended time, µs (simulator clock). */
  maxArrivalLatenessUs: number;
}

/** How a simulator is started: its seed, where it listens, and what the scenario gives it. */
export interface SimOptions {
  seed: number;
  port?: number;
  host?: string;
  params?: Record<string, unknown>;
  /** Fault injection a scenario asks for (see harness/targets/common/faults.ts). */
  faults?: SimFaults;
  /** Native-currency/USD rates given as input (decentralized simulator): seconds after the first job → rate. */
  priceSeries?: readonly { afterSeconds: number; usdRate: number }[];
  /** The scenario's workloads and how each is deployed (harness/targets/common/workloads.ts). */
  workloads?: readonly Workload[];
  clock?: Clock;
  logger?: Logger;
  /** TLS for the simulator's gRPC server (grpc.ServerCredentials.createSsl); plaintext by default. */
  credentials?: grpc.ServerCredentials;
  /** Hold before a job is planned, so jobs are planned in intended order (DEFAULTS.sim.reorderWindowMs). */
  reorderWindowMs?: number;
  /**
   * Jobs the run will send this target. Once the model has planned that many
   * it knows the run's end and bills the capacity still running after the
   * last arrival (billing.ts RunEnd); unset (a standing simulator, a resumed
   * or early-stopped run), that tail is not billed.
   */
  runJobs?: number;
}

/** Serves a model built from `opts` with the options every simulator takes the same way. */
export function serveSim(model: SimModel, opts: SimOptions): Promise<RunningTarget> {
  const silentAfterS = opts.faults?.stopAnsweringAfterSeconds;
  model.runJobs = opts.runJobs;
  return serveModel(model, {
    host: opts.host,
    port: opts.port,
    credentials: opts.credentials,
    seed: opts.seed,
    stopAnsweringAfterMs: silentAfterS !== undefined ? silentAfterS * 1000 : undefined,
    reorderWindowMs: opts.reorderWindowMs,
    clock: opts.clock ?? systemClock(),
    logger: opts.logger ?? silentLogger(),
  });
}

interface TimeMap {
  traceUs: number;
  wallUs: number;
  speed: number;
}

export async function serveModel(
  model: SimModel,
  opts: {
    host?: string;
    port?: number;
    /** TLS for the gRPC server; plaintext by default. */
    credentials?: grpc.ServerCredentials;
    clock: Clock;
    logger: Logger;
    seed: number;
    version?: string;
    /** Fault injection: this long after the first job arrives, the target goes silent (no events, no outcomes, connections stay open). */
    stopAnsweringAfterMs?: number;
    /** Planned timelines kept for resends, most recent first (DEFAULTS.sim.idempotencyCacheJobs). */
    idempotencyCacheJobs?: number;
    /** Hold before a job is planned (DEFAULTS.sim.reorderWindowMs); 0 plans each job on arrival. */
    reorderWindowMs?: number;
  },
): Promise<RunningTarget> {
  const { clock, logger } = opts;
  let firstRunAtUs: number | undefined;
  const silent = () => opts.stopAnsweringAfterMs !== undefined && firstRunAtUs !== undefined && clock.nowUs() - firstRunAtUs >= opts.stopAnsweringAfterMs * 1000;
  let map: TimeMap | undefined;
  let emittedTo = 0;
  /** Latest trace time any planned job reaches: provider streams need not run ahead of it. */
  let horizonUs = 0;
  const providerWatchers = new Set<grpc.ServerWritableStream<unknown, ProviderEvent>>();
  const priceWatchers = new Set<grpc.ServerWritableStream<unknown, PriceTick>>();
  /** idempotency key → the planned timeline, so a resent job replays its outcome instead of running twice. */
  const planned = new Map<string, TimedEvent[]>();
  const cacheJobs = opts.idempotencyCacheJobs ?? DEFAULTS.sim.idempotencyCacheJobs;
  const running = new Map<string, () => void>();
  const reorderWindowMs = opts.reorderWindowMs ?? DEFAULTS.sim.reorderWindowMs;
  const admission = reorderBuffer(clock, reorderWindowMs * 1000);
  // The window is a modelling choice the results rest on (a job arriving later than it is planned out of order),
  // so it is described with the model's parameters and reaches the report's Assumptions.
  const parameters = {
    ...model.parameters,
    reorder_window_ms: `${reorderWindowMs} [A] jobs are planned in intended order when they arrive within this of their intended time; a job arriving later is planned on arrival (harness-side, DEFAULTS.sim.reorderWindowMs, --reorder-window)`,
  };
  const toWall = (traceUs: number) => (map ? map.wallUs + Math.round((traceUs - map.traceUs) / map.speed) : clock.nowUs());
  const traceNow = () => (map ? map.traceUs + (clock.nowUs() - map.wallUs) * map.speed : 0);
  // Trace time the provider and price streams stand at, capped at the latest
  // planned job end: at speed 1e9 (and for a watch opened before a run, on the
  // last run's map) trace time runs years ahead, and drawing sessions and
  // hourly rates that far exhausted the heap.
  const streamNow = () => (map ? Math.min(traceNow(), horizonUs) : Number.NaN);

  // Streams provider and price changes as their mapped wall time passes.
  const tick = setInterval(() => {
    if (!map) return;
    const to = streamNow();
    if (to <= emittedTo) return;
    for (const c of model.providerChanges(emittedTo, to)) for (const w of providerWatchers) w.write({ ...c.event, atUs: toWall(c.atTraceUs) });
    for (const p of model.priceChanges(emittedTo, to)) for (const w of priceWatchers) w.write({ ...p.tick, atUs: toWall(p.atTraceUs) });
    emittedTo = to;
  }, 100);
  tick.unref();

  const handlers: TargetHandlers = {
    Describe: (_call, cb) =>
      cb(null, {
        name: model.name,
        kind: model.kind,
        gpuClasses: model.gpuClasses(),
        priceModel: model.priceModel,
        currency: model.currency,
        parameters,
        version: opts.version ?? 'sim-1',
        seed: opts.seed,
      }),
    Run: (call) => {
      firstRunAtUs ??= clock.nowUs();
      // A silent target accepts the call and never answers: the harness's deadline must catch it.
      if (silent()) return;
      const req = call.request;
      const job = req.job;
      if (!job || !req.jobId || !(req.speed > 0) || !Number.isFinite(req.speed) || job.jobId !== req.jobId) {
        // grpc-js ends a server stream with a status when 'error' is emitted on it.
        call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'RunJob needs job, jobId matching job.jobId, and a positive finite speed' });
        return;
      }
      const key = req.idempotencyKey || `${req.runId}/${req.jobId}`;
      // Until the job is planned, a cancel (Cancel, or the caller going away) only ends the call: the job is still
      // planned when its turn comes, as it was on arrival before the reorder window, so the model's state does not
      // depend on which jobs were cancelled how soon.
      let gone = false;
      const cancelHeld = () => {
        if (gone) return;
        gone = true;
        call.write({ jobId: req.jobId, type: 'CANCELLED', atUs: clock.nowUs(), attempt: 1 });
        call.end();
      };
      running.set(key, cancelHeld);
      const leave = () => (gone = true);
      call.on('cancelled', leave);
      const play = (timeline: TimedEvent[]): void => {
        // Per-job anchor: the intended send time, so the timeline does not move with network jitter.
        const anchor = req.intendedAtUs;
        let i = 0;
        let timer: (() => void) | undefined;
        let finished = false;
        const stop = () => {
          finished = true;
          timer?.();
          running.delete(key);
        };
        running.set(key, () => {
          if (finished) return;
          call.write({ jobId: req.jobId, type: 'CANCELLED', atUs: clock.nowUs(), attempt: 1 });
          stop();
          call.end();
        });
        const pump = () => {
          if (finished) return;
          if (silent()) return; // streams already open go quiet too
          const now = clock.nowUs();
          while (i < timeline.length) {
            const t = timeline[i]!;
            const at = anchor + Math.round(t.offsetUs / req.speed);
            if (at > now) break;
            call.write({ ...t.event, jobId: req.jobId, atUs: at });
            i++;
          }
          if (i >= timeline.length) {
            stop();
            call.end();
            return;
          }
          const next = anchor + Math.round(timeline[i]!.offsetUs / req.speed);
          timer = clock.setTimer(Math.max(0, (next - clock.nowUs()) / 1000), pump);
        };
        call.on('cancelled', stop);
        pump();
      };
      const start = (): void => {
        if (!map || map.speed !== req.speed) {
          map = { traceUs: job.submittedAtUs, wallUs: req.intendedAtUs, speed: req.speed };
          emittedTo = job.submittedAtUs;
          horizonUs = job.submittedAtUs;
        }
        let timeline = planned.get(key);
        if (!timeline) {
          try {
            timeline = model.plan(job);
          } catch (err) {
            logger.error({ err, jobId: req.jobId }, 'model failed to plan a job');
            if (!gone) call.emit('error', { code: grpc.status.INTERNAL, details: `simulator could not plan the job: ${String(err)}` });
            return;
          }
          planned.set(key, timeline);
          // Bounded: a resend comes soon after the first send, and a million-job run must not keep a million timelines.
          if (planned.size > cacheJobs) planned.delete(planned.keys().next().value!);
          const end = job.submittedAtUs + (timeline[timeline.length - 1]?.offsetUs ?? 0);
          if (end > horizonUs) horizonUs = end;
        }
        if (!gone) play(timeline);
      };
      admission.hold({ intendedAtUs: req.intendedAtUs, jobId: req.jobId, arrivedAtUs: clock.nowUs() }, () => {
        call.off('cancelled', leave);
        if (running.get(key) === cancelHeld) running.delete(key);
        start();
      });
    },
    WatchProviders: (call) => {
      for (const c of model.population(streamNow())) call.write({ ...c.event, atUs: clock.nowUs() });
      providerWatchers.add(call);
      const drop = () => providerWatchers.delete(call);
      call.on('cancelled', drop);
      call.on('error', drop);
    },
    WatchPrices: (call) => {
      const p = model.priceAt(streamNow());
      if (p) call.write({ ...p, atUs: clock.nowUs() });
      priceWatchers.add(call);
      const drop = () => priceWatchers.delete(call);
      call.on('cancelled', drop);
      call.on('error', drop);
    },
    Cancel: (call, cb) => {
      const key = `${call.request.runId}/${call.request.jobId}`;
      const cancel = running.get(key);
      cancel?.();
      cb(null, { found: cancel !== undefined });
    },
  };
  const server = await startTargetServer(handlers, { host: opts.host, port: opts.port, credentials: opts.credentials });
  return {
    name: model.name,
    kind: model.kind === 'BASELINE' ? 'baseline' : 'decentralized',
    address: server.address,
    port: server.port,
    admissions: () => admission.stats(),
    stop: async () => {
      clearInterval(tick);
      admission.stop();
      for (const cancel of [...running.values()]) cancel();
      for (const w of [...providerWatchers, ...priceWatchers]) w.end();
      await server.stop();
    },
  };
}

interface HeldJob {
  intendedAtUs: number;
  jobId: string;
  arrivedAtUs: number;
}

/** Intended order: intended send time, then job id (a stable order for jobs due at one instant, whoever sent them). */
function before(a: { intendedAtUs: number; jobId: string }, b: { intendedAtUs: number; jobId: string }): boolean {
  return a.intendedAtUs < b.intendedAtUs || (a.intendedAtUs === b.intendedAtUs && a.jobId < b.jobId);
}

/**
 * Admits jobs to the model in intended order. A job is held until `windowUs`
 * after its intended time, and at most `windowUs` after its arrival (a job
 * sent early, or a clock ahead of ours, is not held longer); when one is due,
 * it goes with every held job before it. A job that arrives after a job
 * intended later was admitted is admitted at once, out of order, and counted.
 */
function reorderBuffer(clock: Clock, windowUs: number) {
  const held: { job: HeldJob; dueUs: number; admit: () => void }[] = [];
  let last: HeldJob | undefined;
  let lastArrived: HeldJob | undefined;
  let timer: { dueUs: number; cancel: () => void } | undefined;
  const stats: Admissions = { planned: 0, arrivedOutOfOrder: 0, outOfOrder: 0, maxArrivalLatenessUs: 0 };
  const admit = (job: HeldJob, go: () => void) => {
    stats.planned++;
    if (last && before(job, last)) stats.outOfOrder++;
    else last = job;
    go();
  };
  const arm = () => {
    const dueUs = Math.min(...held.map((h) => h.dueUs));
    if (timer && timer.dueUs <= dueUs) return;
    timer?.cancel();
    timer = { dueUs, cancel: clock.setTimer(Math.max(0, (dueUs - clock.nowUs()) / 1000), release) };
  };
  function release(): void {
    timer = undefined;
    const now = clock.nowUs();
    let k = -1;
    for (let i = 0; i < held.length; i++) if (held[i]!.dueUs <= now) k = i;
    for (const h of held.splice(0, k + 1)) admit(h.job, h.admit);
    if (held.length) arm();
  }
  return {
    hold(job: HeldJob, go: () => void): void {
      stats.maxArrivalLatenessUs = Math.max(stats.maxArrivalLatenessUs, job.arrivedAtUs - job.intendedAtUs);
      if (lastArrived && before(job, lastArrived)) stats.arrivedOutOfOrder++;
      else lastArrived = job;
      const holdUs = Math.min(windowUs, Math.max(0, job.intendedAtUs + windowUs - job.arrivedAtUs));
      if (holdUs <= 0 && !held.some((h) => before(h.job, job))) return admit(job, go);
      let i = held.length;
      while (i > 0 && before(job, held[i - 1]!.job)) i--;
      held.splice(i, 0, { job, dueUs: job.arrivedAtUs + holdUs, admit: go });
      arm();
    },
    stats: (): Admissions => ({ ...stats }),
    stop(): void {
      timer?.cancel();
      timer = undefined;
      held.length = 0;
    },
  };
}
