// The baseline cluster in trace time: a container group per workload (one
// image, one GPU per instance, its own priority and price), with fixed
// replicas or autoscaled on queue length. Each instance slot is a sequence of
// nodes (Weibull lifetimes); when a node goes the platform reallocates the
// instance to a new node after a cold start scaled by image size. Jobs queue
// FIFO for the first free instance of their group; an interruption is a failed
// attempt and the job retries on the next free instance, up to the attempt
// limit. Billing is per second of every running instance, busy or idle: the
// idle time since the previous arrival is charged to the arriving job.
import type { Random } from '../../common/random.ts';
import { hash32, seededRandom } from '../../common/random.ts';
import type { GpuClassOffer, JobOut, PriceTick } from '../../proto/types.ts';
import { lognormal, lognormalLengthBiased, lognormalMean, nodeSpeed, shiftedLengthBiased, weibull, weibullLengthBiased, weibullMean, weighted } from '../common/distributions.ts';
import { SessionSlot, type SessionDraw, type SlotStart } from '../common/sessions.ts';
import type { PriceChange, ProviderChange, SimModel, TimedEvent } from '../common/sim-server.ts';
import { addTo, billedEvents, BusyLog, chargeTail, emptySplit, MinHeap, outcomeOf, RunEnd, splitTotal, type Split } from '../common/billing.ts';
import { describeDeployments, resolveWorkloads, workloadOf, type GroupSpec, type ResolvedWorkload, type Workload } from '../common/workloads.ts';
import { interruptionReasons, priceOf, priorityOf, priorityTerms, type BaselineParams, type Priority } from './params.ts';
import { BatchSlots, streamEvents, tokensOf, tokenTiming } from '../common/token-timing.ts';

const US = 1e6;
const HOUR = 3600 * US;
export const BASELINE_CLASSES = ['rtx4090', 'rtx4080', 'rtx5090', 'rtx3090', 'rtx3060'] as const;

/** Error class of a job the baseline cannot run: it asks for more than the one GPU every node has. */
export const MULTI_GPU_ERROR = 'multi_gpu_unsupported';
const MULTI_GPU_DETAIL = (n: number) => `the job asks for ${n} GPUs; every node is a consumer PC with one GPU and container groups have no multi-GPU node class`;

export interface NodeMeta {
  /** Relative speed of the node (1 = nominal). */
  speed: number;
  /** Download and upload bandwidth, bytes per second. */
  bytesPerSecond: number;
  upBytesPerSecond: number;
  /** Start-up of the node that replaces this one when it goes: the instance lifecycle before `running`. */
  coldStartUs: number;
  startup: StartupPhases;
}

/** allocating → downloading → creating, then running (billed) until stopping. */
export interface StartupPhases {
  allocatingUs: number;
  downloadingUs: number;
  creatingUs: number;
}

/** Median image download (the lognormal part of a cold start) for an image of `gb` GB, minutes. */
function downloadMedianMin(p: BaselineParams, gb: number): number {
  return p.cold_start_median_min * Math.pow(Math.max(gb, 0.1) / p.cold_start_ref_gb, p.cold_start_size_exponent);
}

/**
 * Cold start of a (re)allocated instance for an image of `gb` GB: the fixed
 * part is split between allocating a node and creating the container
 * (cold_start_allocating_share); the image download is the lognormal part,
 * which scales with the image size.
 */
export function startupPhases(r: Random, p: BaselineParams, gb: number): StartupPhases {
  const downloadMin = lognormal(r, downloadMedianMin(p, gb), p.cold_start_sigma);
  const fixedUs = p.cold_start_fixed_min * 60 * US;
  return { allocatingUs: fixedUs * p.cold_start_allocating_share, downloadingUs: downloadMin * 60 * US, creatingUs: fixedUs * (1 - p.cold_start_allocating_share) };
}

function minutes(us: number): string {
  return `${(us / 60e6).toFixed(1)} min`;
}

/**
 * One node of an instance slot: its speed and bandwidth, a Weibull lifetime
 * until it is interrupted, and the cold start of the node that replaces it.
 */
export function instanceDraw(p: BaselineParams, imageGb: number, priority: Priority = 'high'): (r: Random) => SessionDraw<NodeMeta> {
  const prio = priorityTerms(p, priority);
  const reasons = interruptionReasons(p);
  return (r) => {
    const meta: NodeMeta = {
      speed: nodeSpeed(r, p),
      bytesPerSecond: (lognormal(r, p.bandwidth_down_mbps, p.bandwidth_sigma) * 1e6) / 8,
      upBytesPerSecond: (lognormal(r, p.bandwidth_up_mbps, p.bandwidth_up_sigma) * 1e6) / 8,
      coldStartUs: 0,
      startup: startupPhases(r, p, imageGb),
    };
    meta.coldStartUs = meta.startup.allocatingUs + meta.startup.downloadingUs + meta.startup.creatingUs;
    const lived = (weibull(r, p.lifetime_shape, p.lifetime_scale_h * prio.lifetimeFactor) * HOUR) / Math.max(p.churn_multiplier, 1e-6);
    // Below high priority, preemption by a higher priority is the common end; low and batch are guaranteed a minimum run.
    const reason = priority === 'high' ? weighted(r, reasons) : r.next() < p.preempted_share_low_batch ? 'Priority' : weighted(r, reasons);
    return { lengthUs: lived + prio.minRunMin * 60 * US, gapUs: meta.coldStartUs, reason, meta };
  };
}

/**
 * How an instance of a group that was already running is found when the run
 * starts: at a random moment of its node-after-node renewal process (lifetime
 * = minimum run + Weibull, gap = cold start), so the first hours churn like any.
 */
export function instanceStationaryStart(p: BaselineParams, imageGb: number, priority: Priority = 'high'): SlotStart {
  const prio = priorityTerms(p, priority);
  const scaleUs = (p.lifetime_scale_h * prio.lifetimeFactor * HOUR) / Math.max(p.churn_multiplier, 1e-6);
  const shiftUs = prio.minRunMin * 60 * US;
  const medianMin = downloadMedianMin(p, imageGb);
  const fixedUs = p.cold_start_fixed_min * 60 * US;
  const meanDownloadUs = lognormalMean(medianMin, p.cold_start_sigma) * 60 * US;
  return {
    kind: 'stationary',
    meanLengthUs: shiftUs + weibullMean(p.lifetime_shape, scaleUs),
    meanGapUs: fixedUs + meanDownloadUs,
    biasedLengthUs: (r) => shiftedLengthBiased(r, shiftUs, weibullMean(p.lifetime_shape, scaleUs), () => weibull(r, p.lifetime_shape, scaleUs), () => weibullLengthBiased(r, p.lifetime_shape, scaleUs)),
    biasedGapUs: (r) =>
      shiftedLengthBiased(r, fixedUs, meanDownloadUs, () => lognormal(r, medianMin, p.cold_start_sigma) * 60 * US, () => lognormalLengthBiased(r, medianMin, p.cold_start_sigma) * 60 * US),
  };
}


interface Instance {
  slot: SessionSlot<NodeMeta>;
  busyUntil: number;
  /** When the platform was asked for it (its cold start follows) and when it was stopped. */
  createdAt: number;
  stoppedAt: number;
  stopTold?: boolean;
  busy: BusyLog;
  /** LLM requests on the instance (continuous batching); token-counted jobs share it up to the concurrency limit. */
  batch: BatchSlots;
}

/** One workload's container group: its instances (stopped ones until billed past) and what it has cost. */
interface Group {
  w: ResolvedWorkload;
  spec: GroupSpec;
  price: number;
  instances: Instance[];
  made: number;
  billedUntil: number;
  /** Start times of jobs planned but not started: the queue length the autoscaler reads. */
  waiting: MinHeap;
  ledger: Split;
}

export class BaselineModel implements SimModel {
  readonly name = 'baseline';
  readonly kind = 'BASELINE' as const;
  readonly currency = 'USD';
  readonly priceModel = 'per GPU-second of every running instance, busy or idle (allocation and image download free); a container group per workload at its priority';
  private groups = new Map<string, Group>();
  private epochUs: number | undefined;
  private readonly workloads: ResolvedWorkload[];
  readonly parameters: Record<string, string>;
  runJobs?: number;
  private readonly runEnd = new RunEnd(() => this.runJobs);

  constructor(
    private readonly p: BaselineParams,
    private readonly seed: number,
    parameters: Record<string, string>,
    /** The scenario's workloads; task types without one get their default deployment. */
    workloads: readonly Workload[] = [],
  ) {
    this.workloads = resolveWorkloads(workloads);
    const forced = p.priority_level < 4 ? priorityOf(p.priority_level) : undefined;
    if (forced) for (const w of this.workloads) w.baseline.priority = forced;
    this.parameters = { ...parameters, ...describeDeployments(this.workloads, 'baseline', (w) => `${this.priceOf(w.baseline).toFixed(4)} USD/GPU-h`) };
  }

  private priceOf(g: GroupSpec): number {
    return priceOf(this.p, g.gpuClass, g.priority);
  }

  gpuClasses(): GpuClassOffer[] {
    return BASELINE_CLASSES.map((c) => {
      const groups = this.workloads.filter((w) => w.baseline.gpuClass === c);
      const priority = groups[0]?.baseline.priority ?? 'high';
      return { gpuClass: c, pricePerGpuHour: priceOf(this.p, c, priority), priority, capacity: groups.reduce((s, w) => s + w.baseline.max, 0) };
    });
  }

  private newInstance(g: Group, at: number, start: 'stationary' | 'fresh', imageGb: number): Instance {
    const i = g.made++;
    const key = `${g.w.name}/${i}`;
    const name = `${g.w.name}-i${i}`;
    const draw = instanceDraw(this.p, imageGb, g.spec.priority);
    const how = start === 'stationary' ? instanceStationaryStart(this.p, imageGb, g.spec.priority) : ({ kind: 'fresh' } as const);
    const inst: Instance = { slot: new SessionSlot<NodeMeta>(name, seededRandom(this.seed ^ hash32(key)), at, draw, how), busyUntil: -Infinity, createdAt: at, stoppedAt: Infinity, busy: new BusyLog(), batch: new BatchSlots(this.p.llm_max_concurrency) };
    g.instances.push(inst);
    return inst;
  }

  private group(w: ResolvedWorkload, imageGb: number, at: number): Group {
    let g = this.groups.get(w.name);
    if (!g) {
      this.epochUs ??= at;
      g = { w, spec: w.baseline, price: this.priceOf(w.baseline), instances: [], made: 0, billedUntil: at, waiting: new MinHeap(), ledger: emptySplit() };
      this.groups.set(w.name, g);
      // The group was deployed before the run: its minimum replicas are found mid-life, like any hour of a long deployment.
      for (let i = 0; i < g.spec.min; i++) this.newInstance(g, at, 'stationary', imageGb);
    }
    return g;
  }

  /** Stops instances idle for the cool-down while the group is above its minimum. */
  private scaleDown(g: Group, t: number): void {
    const active = g.instances.filter((i) => i.stoppedAt === Infinity);
    if (active.length <= g.spec.min) return;
    active.sort((a, b) => Math.max(a.busyUntil, a.createdAt) - Math.max(b.busyUntil, b.createdAt));
    let n = active.length;
    for (const inst of active) {
      if (n <= g.spec.min) break;
      const stopAt = Math.max(inst.busyUntil, inst.createdAt) + g.spec.cooldownUs;
      if (stopAt > t) break;
      inst.stoppedAt = Math.max(stopAt, g.billedUntil);
      n--;
    }
  }

  /** Bills the group's running instances up to t: what jobs did not use is idle. Returns the idle part. */
  private accrue(g: Group, t: number): Split {
    const idle = emptySplit();
    if (t <= g.billedUntil) return idle;
    for (const inst of g.instances) {
      const from = Math.max(g.billedUntil, inst.createdAt);
      const to = Math.min(t, inst.stoppedAt);
      if (to <= from) continue;
      const idleUs = Math.max(0, inst.slot.onlineUs(from, to) - inst.busy.busyIn(from, to));
      addTo(idle, 'idle', (idleUs / HOUR) * g.price, idleUs / US);
    }
    // Stopped instances stay until the provider stream has told their stop (or a day, without a watcher), then go.
    const gone = (i: Instance) => i.stoppedAt < t && (i.stopTold || i.stoppedAt < t - 24 * HOUR);
    if (g.instances.some(gone)) g.instances = g.instances.filter((i) => !gone(i));
    g.billedUntil = t;
    addTo(g.ledger, 'idle', idle.idle.amount, idle.idle.gpuSeconds);
    return idle;
  }

  /** Bills every group up to t without a job (tests, and a ledger read at the end of a run). */
  accrueTo(t: number): void {
    for (const g of this.groups.values()) {
      this.scaleDown(g, t);
      this.accrue(g, t);
    }
  }

  /** Native amounts and GPU-seconds per workload and part, billed so far. */
  ledger(): Record<string, Split> {
    return Object.fromEntries([...this.groups].map(([k, g]) => [k, structuredClone(g.ledger)]));
  }

  plan(job: JobOut): TimedEvent[] {
    const events = this.planJob(job);
    // A stream's first token and progress fall between events planned before them; the server plays a timeline in order.
    if (tokensOf(job)) events.sort((a, b) => a.offsetUs - b.offsetUs);
    const end = this.runEnd.record(job.submittedAtUs, events);
    if (end !== undefined) {
      // The run's last job: every group runs on (idle) until the run ends, then is torn down; the last job carries that bill.
      const tail = new Map<string, Split>();
      for (const [name, g] of this.groups) {
        this.scaleDown(g, end);
        tail.set(name, this.accrue(g, end));
      }
      // The job's own settlement moves after the tail's BILLED events and grows by the tail.
      const i = events.findIndex((e) => e.event.type === 'SETTLED');
      const settled = i >= 0 ? events.splice(i, 1)[0]! : undefined;
      const amount = chargeTail(events, tail, 'USD', 1) + Number(settled?.event.amount ?? 0);
      const o = outcomeOf(events)!;
      if (amount > 0) events.push({ offsetUs: o.offsetUs, event: { type: 'SETTLED', attempt: o.event.attempt, amount, amountUsd: amount, currency: 'USD', usdRate: 1 } });
      events.sort((a, b) => a.offsetUs - b.offsetUs);
    }
    return events;
  }

  private planJob(job: JobOut): TimedEvent[] {
    const p = this.p;
    const t0 = job.submittedAtUs;
    const w = workloadOf(this.workloads, job);
    const gpus = Math.max(1, job.gpuCount);
    const events: TimedEvent[] = [{ offsetUs: 0, event: { type: 'QUEUED', attempt: 1 } }];
    if (gpus > 1) {
      // Every node is a consumer PC with one GPU, and a container group has no multi-GPU node class: refused, not run on one GPU and billed twice.
      events.push({ offsetUs: 0, event: { type: 'FAILED', attempt: 1, errorClass: MULTI_GPU_ERROR, detail: MULTI_GPU_DETAIL(gpus), amount: 0, amountUsd: 0, currency: 'USD', billedGpuSeconds: 0 } });
      return events;
    }
    // A job that does not give its image size starts like the published test's image.
    const imageGb = Number(job.imageBytes) / 1e9 || p.cold_start_ref_gb;
    const g = this.group(w, imageGb, t0);
    this.scaleDown(g, t0);
    const bill = this.accrue(g, t0);
    const price = g.price;
    const gpuClass = g.spec.gpuClass;
    // Autoscaling on queue length: one more replica (a cold start away) when the queue outgrows the running ones.
    const queued = g.waiting.dropUpTo(t0) + 1;
    const active = g.instances.filter((i) => i.stoppedAt === Infinity);
    const tokens = tokensOf(job);
    const freeAt = (i: Instance, at: number) => (tokens ? i.batch.nextFree(at) : Math.max(at, i.busyUntil));
    const freeNow = active.some((i) => freeAt(i, t0) === t0 && i.slot.nextOnline(t0).at === t0);
    if (active.length < g.spec.max && (active.length === 0 || (!freeNow && queued > g.spec.queuePerReplica * active.length))) active.push(this.newInstance(g, t0, 'fresh', imageGb));
    // A request batched with others is charged its share of the GPU: its time on the instance over the requests sharing it.
    const part = (k: 'useful' | 'lost', fromUs: number, toUs: number, share = 1) => addTo(bill, k, ((toUs - fromUs) / HOUR) * price * share, ((toUs - fromUs) / US) * share);
    let t = t0;
    for (let attempt = 1; attempt <= p.max_attempts; attempt++) {
      // The instance that can start this job the earliest (FIFO: jobs are planned in arrival order).
      let best: { inst: Instance; at: number; session: ReturnType<SessionSlot<NodeMeta>['nextOnline']>['session'] } | undefined;
      for (const inst of active) {
        inst.batch.forget(t0);
        const { session, at } = inst.slot.nextOnline(freeAt(inst, t));
        if (!best || at < best.at) best = { inst, at, session };
      }
      const { inst, at: start, session } = best!;
      if (attempt === 1) g.waiting.push(start);
      if (start - t0 > p.queue_timeout_h * HOUR) {
        // Not before what already happened to an earlier attempt that ran past the timeout.
        const at = Math.max(p.queue_timeout_h * HOUR, t - t0);
        events.push({ offsetUs: at, event: { type: 'FAILED', attempt, errorClass: 'no_capacity', detail: 'no instance free within the queue timeout', ...this.amounts(bill) } });
        return this.settle(events, at, attempt, w.name, bill);
      }
      const node = session.meta;
      const download = (Number(job.inputBytes) / node.bytesPerSecond) * US;
      const run = ((job.workSeconds || 0) / node.speed) * US;
      const upload = (Number(job.outputBytes) / node.upBytesPerSecond) * US;
      // A token-counted request is timed from its tokens (prefill, then decode slowed by the requests batched with it); it streams its reply, so no upload.
      const n = tokens ? inst.batch.inFlight(start) + 1 : 1;
      const timing = tokens ? tokenTiming(p, gpuClass, tokens, { n, speed: node.speed, networkUs: download + p.llm_rtt_ms * 1000 }) : undefined;
      const end = timing ? start + timing.totalUs : start + download + run + upload;
      const stream = (cutUs?: number) => {
        if (timing && tokens) for (const e of streamEvents(start, timing, tokens, { attempt, providerId: session.id, cutUs })) events.push({ offsetUs: e.atUs - t0, event: e.event });
      };
      // Through the container gateway a request must answer within the limit, counted from its arrival.
      const gateway = p.gateway_mode >= 1;
      const gatewayEnd = t0 + p.gateway_timeout_s * US;
      if (gateway && start >= gatewayEnd) return this.gatewayTimeout(events, attempt, w.name, bill);
      events.push({ offsetUs: start - t0, event: { type: 'PROVIDER_ASSIGNED', attempt, providerId: session.id, pricePerHour: price, currency: 'USD', gpuClass } });
      events.push({ offsetUs: start - t0, event: { type: 'STARTED', attempt, providerId: session.id } });
      if (session.end < (gateway ? Math.min(end, gatewayEnd) : end)) {
        // The node goes away mid-job: the attempt fails (a stream is lost with it), the platform reallocates the instance.
        inst.busy.add(Math.max(start, inst.busyUntil), session.end);
        inst.busyUntil = Math.max(inst.busyUntil, session.end);
        if (tokens) inst.batch.add(start, session.end);
        part('lost', start, session.end, 1 / n);
        stream(session.end);
        events.push({ offsetUs: session.end - t0, event: { type: 'PROVIDER_LOST', attempt, providerId: session.id, reason: session.reason } });
        t = session.end;
        if (attempt < p.max_attempts) {
          events.push({ offsetUs: t - t0, event: { type: 'RETRYING', attempt: attempt + 1, reason: `interrupted: ${session.reason}` } });
          continue;
        }
        events.push({ offsetUs: t - t0, event: { type: 'FAILED', attempt, errorClass: 'attempts_exhausted', detail: `${p.max_attempts} attempts interrupted`, ...this.amounts(bill) } });
        return this.settle(events, t - t0, attempt, w.name, bill);
      }
      if (gateway && end > gatewayEnd) {
        // The client gets a timeout and the request is abandoned: billed until then, no retry.
        inst.busy.add(Math.max(start, inst.busyUntil), gatewayEnd);
        inst.busyUntil = Math.max(inst.busyUntil, gatewayEnd);
        if (tokens) inst.batch.add(start, gatewayEnd);
        part('lost', start, gatewayEnd, 1 / n);
        stream(gatewayEnd);
        return this.gatewayTimeout(events, attempt, w.name, bill);
      }
      inst.busy.add(Math.max(start, inst.busyUntil), end);
      inst.busyUntil = Math.max(inst.busyUntil, end);
      if (tokens) inst.batch.add(start, end);
      part('useful', start, end, 1 / n);
      const mid = timing ? start + timing.totalUs / 2 : start + download + run / 2;
      events.push({ offsetUs: mid - t0, event: { type: 'PROGRESS', attempt, providerId: session.id, progress: 0.5 } });
      stream();
      events.push({
        offsetUs: end - t0,
        event: { type: 'COMPLETED', attempt, providerId: session.id, bytes: Number(job.outputBytes), outputDigest: `sha256:${hash32(job.jobId).toString(16)}`, tokens: tokens?.output ?? 0, ...this.amounts(bill) },
      });
      return this.settle(events, end - t0, attempt, w.name, bill);
    }
    throw new Error('unreachable');
  }

  private amounts(bill: Split) {
    const { amount, gpuSeconds } = splitTotal(bill);
    return { amount, amountUsd: amount, currency: 'USD', billedGpuSeconds: gpuSeconds };
  }

  private gatewayTimeout(events: TimedEvent[], attempt: number, workload: string, bill: Split): TimedEvent[] {
    const at = this.p.gateway_timeout_s * US;
    events.push({ offsetUs: at, event: { type: 'FAILED', attempt, errorClass: 'gateway_timeout', detail: `no answer within the gateway's ${this.p.gateway_timeout_s} s`, ...this.amounts(bill) } });
    return this.settle(events, at, attempt, workload, bill);
  }

  /** The job's share of the bill, split, then settled: the busy parts go to the group's ledger (idle went there when accrued). */
  private settle(evs: TimedEvent[], at: number, attempt: number, workload: string, bill: Split): TimedEvent[] {
    const g = this.groups.get(workload)!;
    addTo(g.ledger, 'useful', bill.useful.amount, bill.useful.gpuSeconds);
    addTo(g.ledger, 'lost', bill.lost.amount, bill.lost.gpuSeconds);
    evs.push(...billedEvents(at, attempt, workload, bill, 'USD', 1));
    const { amount } = splitTotal(bill);
    if (amount > 0) evs.push({ offsetUs: at, event: { type: 'SETTLED', attempt, amount, amountUsd: amount, currency: 'USD', usdRate: 1 } });
    return evs;
  }

  population(t: number): ProviderChange[] {
    const out: ProviderChange[] = [];
    for (const g of this.groups.values()) {
      for (const inst of g.instances) {
        const when = Number.isNaN(t) ? this.epochUs ?? 0 : t;
        if (inst.stoppedAt <= when || inst.createdAt > when) continue;
        const { session, at } = inst.slot.nextOnline(when);
        if (at === when) out.push({ atTraceUs: when, event: { providerId: session.id, online: true, gpuClass: g.spec.gpuClass, region: 'us-east', reason: '' } });
      }
    }
    return out;
  }

  providerChanges(from: number, to: number): ProviderChange[] {
    const out: ProviderChange[] = [];
    for (const g of this.groups.values()) {
      for (const inst of g.instances) {
        // A scale-down is decided when the next job arrives, which may be after the stream passed it: told late rather than never.
        if (inst.stoppedAt <= to && !inst.stopTold) {
          inst.stopTold = true;
          const { session, at } = inst.slot.nextOnline(inst.stoppedAt);
          if (at === inst.stoppedAt) out.push({ atTraceUs: at, event: { providerId: session.id, online: false, gpuClass: g.spec.gpuClass, region: 'us-east', reason: 'stopping: scaled down (idle for the cool-down)' } });
        }
        for (const b of inst.slot.boundaries(from, Math.min(to, inst.stoppedAt))) {
          const st = b.session.meta.startup;
          // The lifecycle rides on the stream: running when online; stopping, and the replacement's start-up, when offline.
          const reason = b.online ? 'running' : `stopping: ${b.session.reason}; replacement allocating ${minutes(st.allocatingUs)}, downloading ${minutes(st.downloadingUs)}, creating ${minutes(st.creatingUs)}`;
          out.push({ atTraceUs: b.at, event: { providerId: b.session.id, online: b.online, gpuClass: g.spec.gpuClass, region: 'us-east', reason } });
        }
      }
    }
    return out.sort((a, b) => a.atTraceUs - b.atTraceUs);
  }

  priceChanges(): PriceChange[] {
    return [];
  }

  priceAt(): PriceTick {
    return { currency: 'USD', usdRate: 1 };
  }
}
