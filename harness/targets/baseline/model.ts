// The baseline cluster in trace time: per GPU class a container group of
// instances. Each instance slot is a sequence of nodes (Weibull lifetimes);
// when a node goes the platform reallocates the instance to a new node after a
// cold start scaled by image size. Jobs queue FIFO for the first free instance;
// an interruption is a failed attempt and the job retries on the next free
// instance, up to the attempt limit. Billing is per second of running time,
// interrupted attempts included, settled once at the end in USD.
import type { Random } from '../../common/random.ts';
import { hash32, seededRandom } from '../../common/random.ts';
import type { GpuClassOffer, JobOut, PriceTick } from '../../proto/types.ts';
import { lognormal, lognormalLengthBiased, lognormalMean, nodeSpeed, shiftedLengthBiased, weibull, weibullLengthBiased, weibullMean, weighted } from '../common/distributions.ts';
import { SessionSlot, type SessionDraw, type SlotStart } from '../common/sessions.ts';
import type { PriceChange, ProviderChange, SimModel, TimedEvent } from '../common/sim-server.ts';
import { interruptionReasons, priceOf, priorityOf, priorityTerms, type BaselineParams, type Priority } from './params.ts';

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

interface Instance {
  slot: SessionSlot<NodeMeta>;
  busyUntil: number;
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

export class BaselineModel implements SimModel {
  readonly name = 'baseline';
  readonly kind = 'BASELINE' as const;
  readonly currency = 'USD';
  readonly priceModel = 'per GPU-second while running (allocation and image download free), high priority';
  private groups = new Map<string, Instance[]>();
  private epochUs: number | undefined;

  constructor(
    private readonly p: BaselineParams,
    private readonly seed: number,
    readonly parameters: Record<string, string>,
    /** Image size (GB) the container group runs, for cold starts; set from the first job of a class. */
    private readonly defaultImageGb = 5.53,
  ) {}

  private price(gpuClass: string): number {
    return priceOf(this.p, gpuClass, priorityOf(this.p.priority_level));
  }

  gpuClasses(): GpuClassOffer[] {
    return BASELINE_CLASSES.map((c) => ({ gpuClass: c, pricePerGpuHour: this.price(c), priority: priorityOf(this.p.priority_level), capacity: (this.p as Record<string, number>)[`capacity_${c}`] ?? 0 }));
  }

  private group(gpuClass: string, imageGb: number, at: number): Instance[] {
    const cls = (BASELINE_CLASSES as readonly string[]).includes(gpuClass) ? gpuClass : 'rtx4090';
    let g = this.groups.get(cls);
    if (!g) {
      this.epochUs ??= at;
      const capacity = Math.max(1, Math.round((this.p as Record<string, number>)[`capacity_${cls}`] ?? 1));
      const p = this.p;
      g = Array.from({ length: capacity }, (_, i) => ({
        busyUntil: -Infinity,
        slot: new SessionSlot<NodeMeta>(`${cls}-i${i}`, seededRandom(this.seed ^ hash32(`${cls}/${i}`)), this.epochUs!, instanceDraw(p, imageGb, priorityOf(p.priority_level)), instanceStationaryStart(p, imageGb, priorityOf(p.priority_level))),
      }));
      this.groups.set(cls, g);
    }
    return g;
  }

  plan(job: JobOut): TimedEvent[] {
    const p = this.p;
    const t0 = job.submittedAtUs;
    const group = this.group(job.gpuClass, Number(job.imageBytes) / 1e9 || this.defaultImageGb, t0);
    const price = this.price(job.gpuClass);
    const gpus = Math.max(1, job.gpuCount);
    const events: TimedEvent[] = [{ offsetUs: 0, event: { type: 'QUEUED', attempt: 1 } }];
    if (gpus > 1) {
      // Every node is a consumer PC with one GPU, and a container group has no multi-GPU node class: refused, not run on one GPU and billed twice.
      events.push({ offsetUs: 0, event: { type: 'FAILED', attempt: 1, errorClass: MULTI_GPU_ERROR, detail: MULTI_GPU_DETAIL(gpus), amount: 0, amountUsd: 0, currency: 'USD', billedGpuSeconds: 0 } });
      return events;
    }
    let t = t0;
    let billedSeconds = 0;
    for (let attempt = 1; attempt <= p.max_attempts; attempt++) {
      // The instance that can start this job the earliest (FIFO: jobs are planned in arrival order).
      let best: { inst: Instance; at: number; session: ReturnType<SessionSlot<NodeMeta>['nextOnline']>['session'] } | undefined;
      for (const inst of group) {
        const { session, at } = inst.slot.nextOnline(Math.max(t, inst.busyUntil));
        if (!best || at < best.at) best = { inst, at, session };
      }
      const { inst, at: start, session } = best!;
      if (start - t0 > p.queue_timeout_h * HOUR) {
        events.push({ offsetUs: p.queue_timeout_h * HOUR, event: { type: 'FAILED', attempt, errorClass: 'no_capacity', detail: 'no instance free within the queue timeout', amount: cost(billedSeconds), amountUsd: cost(billedSeconds), currency: 'USD', billedGpuSeconds: billedSeconds * gpus } });
        return settle(events, p.queue_timeout_h * HOUR, cost(billedSeconds));
      }
      const node = session.meta;
      const download = (Number(job.inputBytes) / node.bytesPerSecond) * US;
      const run = ((job.workSeconds || 0) / node.speed) * US;
      const upload = (Number(job.outputBytes) / node.upBytesPerSecond) * US;
      const end = start + download + run + upload;
      // Through the container gateway a request must answer within the limit, counted from its arrival.
      const gateway = p.gateway_mode >= 1;
      const gatewayEnd = t0 + p.gateway_timeout_s * US;
      if (gateway && start >= gatewayEnd) return gatewayTimeout();
      events.push({ offsetUs: start - t0, event: { type: 'PROVIDER_ASSIGNED', attempt, providerId: session.id, pricePerHour: price * gpus, currency: 'USD', gpuClass: job.gpuClass } });
      events.push({ offsetUs: start - t0, event: { type: 'STARTED', attempt, providerId: session.id } });
      if (session.end < (gateway ? Math.min(end, gatewayEnd) : end)) {
        // The node goes away mid-job: the attempt fails, the platform reallocates the instance.
        inst.busyUntil = session.end;
        billedSeconds += (session.end - start) / US;
        events.push({ offsetUs: session.end - t0, event: { type: 'PROVIDER_LOST', attempt, providerId: session.id, reason: session.reason } });
        t = session.end;
        if (attempt < p.max_attempts) {
          events.push({ offsetUs: t - t0, event: { type: 'RETRYING', attempt: attempt + 1, reason: `interrupted: ${session.reason}` } });
          continue;
        }
        const c = cost(billedSeconds);
        events.push({ offsetUs: t - t0, event: { type: 'FAILED', attempt, errorClass: 'attempts_exhausted', detail: `${p.max_attempts} attempts interrupted`, amount: c, amountUsd: c, currency: 'USD', billedGpuSeconds: billedSeconds * gpus } });
        return settle(events, t - t0, c);
      }
      if (gateway && end > gatewayEnd) {
        // The client gets a timeout and the request is abandoned: billed until then, no retry.
        inst.busyUntil = gatewayEnd;
        billedSeconds += (gatewayEnd - start) / US;
        return gatewayTimeout();
      }
      inst.busyUntil = end;
      billedSeconds += (end - start) / US;
      const mid = start + download + run / 2;
      events.push({ offsetUs: mid - t0, event: { type: 'PROGRESS', attempt, providerId: session.id, progress: 0.5 } });
      const c = cost(billedSeconds);
      events.push({
        offsetUs: end - t0,
        event: { type: 'COMPLETED', attempt, providerId: session.id, amount: c, amountUsd: c, currency: 'USD', billedGpuSeconds: billedSeconds * gpus, bytes: Number(job.outputBytes), outputDigest: `sha256:${hash32(job.jobId).toString(16)}` },
      });
      return settle(events, end - t0, c);
    }
    throw new Error('unreachable');

    function gatewayTimeout(): TimedEvent[] {
      const at = p.gateway_timeout_s * US;
      const c = cost(billedSeconds);
      events.push({ offsetUs: at, event: { type: 'FAILED', attempt: events[events.length - 1]!.event.attempt ?? 1, errorClass: 'gateway_timeout', detail: `no answer within the gateway's ${p.gateway_timeout_s} s`, amount: c, amountUsd: c, currency: 'USD', billedGpuSeconds: billedSeconds * gpus } });
      return settle(events, at, c);
    }

    function cost(seconds: number): number {
      return (seconds / 3600) * price * gpus;
    }
    function settle(evs: TimedEvent[], at: number, amount: number): TimedEvent[] {
      if (amount > 0) evs.push({ offsetUs: at, event: { type: 'SETTLED', attempt: evs[evs.length - 1]!.event.attempt ?? 1, amount, amountUsd: amount, currency: 'USD', usdRate: 1 } });
      return evs;
    }
  }

  population(t: number): ProviderChange[] {
    const out: ProviderChange[] = [];
    for (const [cls, group] of this.groups) {
      for (const inst of group) {
        const when = Number.isNaN(t) ? this.epochUs ?? 0 : t;
        const { session, at } = inst.slot.nextOnline(when);
        if (at === when) out.push({ atTraceUs: when, event: { providerId: session.id, online: true, gpuClass: cls, region: 'us-east', reason: '' } });
      }
    }
    return out;
  }

  providerChanges(from: number, to: number): ProviderChange[] {
    const out: ProviderChange[] = [];
    for (const [cls, group] of this.groups) {
      for (const inst of group) {
        for (const b of inst.slot.boundaries(from, to)) {
          const st = b.session.meta.startup;
          // The lifecycle rides on the stream: running when online; stopping, and the replacement's start-up, when offline.
          const reason = b.online ? 'running' : `stopping: ${b.session.reason}; replacement allocating ${minutes(st.allocatingUs)}, downloading ${minutes(st.downloadingUs)}, creating ${minutes(st.creatingUs)}`;
          out.push({ atTraceUs: b.at, event: { providerId: b.session.id, online: b.online, gpuClass: cls, region: 'us-east', reason } });
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
