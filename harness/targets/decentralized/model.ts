// The decentralized network in trace time: a population of providers that
// come and go (Weibull sessions, replacements after a gap), each with its own
// GPU, price, bandwidth and image cache. A workload is served from a pool of
// warm rentals (golem-js's rental pool: min/max rentals, replenished after a
// provider loss, idle ones released after a timeout) or with one rental per
// job; a rental runs the market flow — demand → offers → agreement (sometimes
// rejected) → activity (sometimes failing) → image pull (unless cached) →
// deploy — and is billed by the agreement's linear price from agreement start,
// idle included. When a provider leaves mid-job the requestor notices, pays
// for the time used and retries elsewhere, up to the attempt limit. Payment is
// in GLM: debit notes every 120 s, invoices settled on chain minutes later,
// converted at a seeded GLM/USD walk.
import type { Random } from '../../common/random.ts';
import { hash32, seededRandom } from '../../common/random.ts';
import type { GpuClassOffer, JobOut, PriceTick } from '../../proto/types.ts';
import { bernoulli, exponential, exponentialLengthBiased, lognormal, nodeSpeed, standardNormal, uniform, weibull, weibullLengthBiased, weibullMean, weighted } from '../common/distributions.ts';
import { SessionSlot, type Session, type SlotStart } from '../common/sessions.ts';
import type { PriceChange, ProviderChange, SimModel, TimedEvent } from '../common/sim-server.ts';
import { addTo, billedEvents, BusyLog, chargeTail, emptySplit, outcomeOf, RunEnd, splitTotal, type CostPart, type Split } from '../common/billing.ts';
import { describeDeployments, resolveWorkloads, workloadOf, type ResolvedWorkload, type Workload } from '../common/workloads.ts';
import { classPrice, providerEndReasons, type DecentralizedParams } from './params.ts';
import { BatchSlots, streamEvents, tokensOf, tokenTiming, type TokenTiming } from '../common/token-timing.ts';

const US = 1e6;
const HOUR = 3600 * US;
export const NETWORK_CLASSES = ['rtx4090', 'rtx3090', 'rtx5090', 'rtx4080', 'rtx3060'] as const;

interface ProviderMeta {
  gpuClass: string;
  /** GPUs the machine offers; a job needing n matches only machines with at least n. */
  gpus: number;
  /** The offer's env price for the whole machine, GLM per hour. */
  pricePerHour: number;
  bytesPerSecond: number;
  upBytesPerSecond: number;
  speed: number;
}

interface ProviderSlot {
  slot: SessionSlot<ProviderMeta>;
  gpuClass: string;
  gpus: number;
  busyUntil: number;
  /** Rented by a pool until then (Infinity while held): it offers to nobody else. */
  heldUntil: number;
}

/** One agreement a pool holds: billed from agreeAt until it is released or its provider goes. */
interface Rental {
  id: string;
  x: ProviderSlot;
  provider: Session<ProviderMeta>;
  agreeAt: number;
  /** Activity created, image pulled, deployed: jobs can run from here. */
  readyAt: number;
  /** When the pool let it go (Infinity while held). */
  endAt: number;
  /** When the agreement ends by itself (provider leaves, or a requestor-side termination), and why. */
  ends: number;
  endReason: string;
  /** Outages up to here have been looked at for `ends`. */
  checkedTo: number;
  busyUntil: number;
  busy: BusyLog;
  /** LLM requests on the rental (continuous batching); token-counted jobs share it up to the concurrency limit. */
  batch: BatchSlots;
  billed: number;
}

interface Pool {
  w: ResolvedWorkload;
  /** The image its rentals deploy (a replacement after a loss deploys it too). */
  image: string;
  imageBytes: number;
  rentals: Rental[];
  billedUntil: number;
  ledger: Split;
  made: number;
}

/** A job's plan in progress: its events, bill split and attempt. */
interface PlanCtx {
  t0: number;
  r: Random;
  events: TimedEvent[];
  ev: (at: number, e: TimedEvent['event']) => void;
  split: Split;
  attempt: number;
  workload: string;
}

/** A provider slot found at a random moment of its online/offline renewal process (see SlotStart). */
function providerStationaryStart(p: DecentralizedParams): SlotStart {
  const scaleUs = (p.session_scale_h * HOUR) / Math.max(p.churn_multiplier, 1e-6);
  const gapUs = p.arrival_gap_mean_min * 60 * US;
  return {
    kind: 'stationary',
    meanLengthUs: weibullMean(p.session_shape, scaleUs),
    meanGapUs: gapUs,
    biasedLengthUs: (r) => weibullLengthBiased(r, p.session_shape, scaleUs),
    biasedGapUs: (r) => exponentialLengthBiased(r, gapUs),
  };
}

export class DecentralizedModel implements SimModel {
  readonly name = 'decentralized';
  readonly kind = 'DECENTRALIZED' as const;
  readonly currency = 'GLM';
  readonly priceModel = 'linear: start price + env price per second from agreement start (image pull and idle time included), paid in GLM';
  private slots: ProviderSlot[] | undefined;
  private epochUs = 0;
  private readonly caches = new Map<string, Set<string>>();
  private readonly rates: number[] = [];
  private readonly rateRandom: Random;
  private readonly workloads: ResolvedWorkload[];
  private readonly pools = new Map<string, Pool>();
  private readonly ended: { agreeAt: number; endAt: number; price: number; billed: number; reason: string }[] = [];
  readonly parameters: Record<string, string>;
  runJobs?: number;
  private readonly runEnd = new RunEnd(() => this.runJobs);

  /** Outage windows [start, end) in trace µs, in time order: drawn ones merged with injected ones. */
  private readonly outages: { start: number; end: number; reason: string }[] = [];
  private outagesUntil = 0;
  private nextOutage: number | undefined;
  private readonly outageRandom: Random;

  constructor(
    private readonly p: DecentralizedParams,
    private readonly seed: number,
    parameters: Record<string, string>,
    /** Injected provider-wide outages, seconds after the first job (fault injection). */
    private readonly injected: readonly { afterSeconds: number; durationSeconds: number }[] = [],
    /** Injected price shocks: from this many seconds after the first job, the GLM/USD rate is multiplied by factor. */
    private readonly priceShocks: readonly { afterSeconds: number; factor: number }[] = [],
    /** A GLM/USD series given as input (seconds after the first job → rate), used instead of the random walk. */
    private readonly priceSeries: readonly { afterSeconds: number; usdRate: number }[] = [],
    /** The scenario's workloads; task types without one get their default deployment. */
    workloads: readonly Workload[] = [],
  ) {
    this.workloads = resolveWorkloads(workloads);
    this.parameters = { ...parameters, ...describeDeployments(this.workloads, 'network', (w) => `a ${classPrice(p, w.network.gpuClass)} GLM/h median offer per GPU`) };
    this.rateRandom = seededRandom(seed ^ hash32('glm-usd'));
    this.outageRandom = seededRandom(seed ^ hash32('relay-outages'));
  }

  /** Draws relay outages (a Poisson process) up to t, merged with the injected windows. */
  private ensureOutages(t: number): void {
    if (t <= this.outagesUntil) return;
    const p = this.p;
    const windows: { start: number; end: number; reason: string }[] = [];
    if (this.outagesUntil === 0) {
      this.outagesUntil = this.epochUs;
      for (const w of this.injected) windows.push({ start: this.epochUs + w.afterSeconds * US, end: this.epochUs + (w.afterSeconds + w.durationSeconds) * US, reason: 'InjectedOutage' });
    }
    const horizon = Math.max(t, this.outagesUntil) + 24 * HOUR;
    if (p.relay_outage_per_day > 0) {
      // One Poisson process whatever the query pattern: the next arrival is kept across calls.
      let next: number = this.nextOutage ?? this.epochUs + exponential(this.outageRandom, (24 * 60) / p.relay_outage_per_day) * 60 * US;
      while (next <= horizon) {
        windows.push({ start: next, end: next + exponential(this.outageRandom, p.relay_outage_mean_min) * 60 * US, reason: 'RelayOutage' });
        next += exponential(this.outageRandom, (24 * 60) / p.relay_outage_per_day) * 60 * US;
      }
      this.nextOutage = next;
    }
    this.outagesUntil = horizon;
    for (const w of windows) this.outages.push(w);
    this.outages.sort((a, b) => a.start - b.start);
  }

  /** The outage window containing t, if any. */
  private outageAt(t: number): { start: number; end: number; reason: string } | undefined {
    this.ensureOutages(t);
    return this.outages.find((w) => w.start <= t && t < w.end);
  }

  gpuClasses(): GpuClassOffer[] {
    return NETWORK_CLASSES.map((c) => ({
      gpuClass: c,
      pricePerGpuHour: classPrice(this.p, c),
      priority: 'market',
      capacity: Math.round(this.p.providers * ((this.p as Record<string, number>)[`share_${c}`] ?? 0)),
    }));
  }

  private population_(at: number): ProviderSlot[] {
    if (!this.slots) {
      this.epochUs = at;
      const p = this.p;
      const shares = Object.fromEntries(NETWORK_CLASSES.map((c) => [c, (p as Record<string, number>)[`share_${c}`] ?? 0])) as Record<string, number>;
      const classOf = seededRandom(this.seed ^ hash32('classes'));
      const gpusOf = seededRandom(this.seed ^ hash32('gpus'));
      const reasons = providerEndReasons(p);
      const start = providerStationaryStart(p);
      this.slots = Array.from({ length: Math.max(1, Math.round(p.providers)) }, (_, i) => {
        const gpuClass = weighted(classOf, shares);
        const u = gpusOf.next();
        const gpus = u < p.share_4gpu ? 4 : u < p.share_4gpu + p.share_2gpu ? 2 : 1;
        return {
          gpuClass,
          gpus,
          busyUntil: -Infinity,
          heldUntil: -Infinity,
          slot: new SessionSlot<ProviderMeta>(
            `prov${i}`,
            seededRandom(this.seed ^ hash32(`provider/${i}`)),
            at,
            (r) => ({
              lengthUs: (weibull(r, p.session_shape, p.session_scale_h) * HOUR) / Math.max(p.churn_multiplier, 1e-6),
              gapUs: exponential(r, p.arrival_gap_mean_min) * 60 * US,
              reason: weighted(r, reasons),
              meta: {
                gpuClass,
                gpus,
                pricePerHour: lognormal(r, classPrice(p, gpuClass), p.price_sigma) * gpus,
                bytesPerSecond: (lognormal(r, p.bandwidth_down_mbps, p.bandwidth_sigma) * 1e6) / 8,
                upBytesPerSecond: (lognormal(r, p.bandwidth_up_mbps, p.bandwidth_up_sigma) * 1e6) / 8,
                speed: nodeSpeed(r, p),
              },
            }),
            start,
          ),
        };
      });
    }
    return this.slots;
  }

  /** GLM/USD in force at t: an hourly seeded random walk from the epoch. */
  rateAt(t: number): number {
    if (this.priceSeries.length) return this.shocked(t, this.seriesAt(t));
    const k = Math.max(0, Math.floor((t - this.epochUs) / HOUR));
    if (this.rates.length === 0) this.rates.push(this.p.glm_usd_start);
    while (this.rates.length <= k) {
      this.rates.push(this.rates[this.rates.length - 1]! * Math.exp(this.p.glm_usd_volatility_h * standardNormal(this.rateRandom)));
    }
    return this.shocked(t, this.rates[k]!);
  }

  private shocked(t: number, rate: number): number {
    for (const shock of this.priceShocks) if (t >= this.epochUs + shock.afterSeconds * US) rate *= shock.factor;
    return rate;
  }

  /** The series as a step function: the last point at or before t (the first point before it starts). */
  private seriesAt(t: number): number {
    let rate = this.priceSeries[0]!.usdRate;
    for (const pt of this.priceSeries) {
      if (this.epochUs + pt.afterSeconds * US > t) break;
      rate = pt.usdRate;
    }
    return rate;
  }

  /**
   * Why and when an agreement made at agreeAt ends, looking at outages up to
   * `horizon`: the provider leaving, or the requestor failing its side (a
   * fault can make it so).
   */
  private agreementEnd(provider: Session<ProviderMeta>, agreeAt: number, horizon: number, activityAt = agreeAt): { end: number; reason: string } {
    const p = this.p;
    let end = provider.end;
    let reason = provider.reason;
    // An activity created later than the provider waits for one (a fault: slow requestor or market): NoActivity.
    if (activityAt - agreeAt > p.no_activity_timeout_s * US) {
      const at = agreeAt + p.no_activity_timeout_s * US;
      if (at < end) (end = at), (reason = 'NoActivity');
    }
    // Accepted debit notes paid later than the payment timeout: the provider terminates at the first one unpaid.
    if (p.debit_note_pay_s > p.payment_timeout_s) {
      const at = agreeAt + (p.debit_note_interval_s + p.payment_timeout_s) * US;
      if (at < end) (end = at), (reason = 'DebitNoteNotPaid');
    }
    // Debit notes accepted later than their deadline: the provider terminates at the first one (requestor-side cause).
    if (p.debit_note_accept_s > p.debit_note_deadline_s) {
      const at = agreeAt + (p.debit_note_interval_s + p.debit_note_deadline_s) * US;
      if (at < end) (end = at), (reason = 'DebitNotesDeadline');
    }
    // An outage longer than the provider waits for an unreachable requestor ends the agreement from the provider's side.
    const out = this.outageLongerThan(agreeAt, Math.min(end, horizon), p.requestor_unreachable_s * US);
    if (out && out.start + p.requestor_unreachable_s * US < end) (end = out.start + p.requestor_unreachable_s * US), (reason = 'RequestorUnreachable');
    return { end, reason };
  }

  /** The first outage starting in (from, to] that lasts longer than minUs. */
  private outageLongerThan(from: number, to: number, minUs: number): { start: number; end: number; reason: string } | undefined {
    this.ensureOutages(to);
    return this.outages.find((w) => w.start > from && w.start <= to && w.end - w.start > minUs);
  }

  /**
   * One negotiation: wait out an outage, collect offers from online machines of
   * the class with enough GPUs that are not already rented, take the cheapest
   * idle one, and sign (or be rejected).
   */
  private negotiate(r: Random, t: number, gpuClass: string, gpus: number, tried: Set<string>, t0: number):
    | { kind: 'agreed'; x: ProviderSlot; provider: Session<ProviderMeta>; offersAt: number; offers: number; agreeAt: number }
    | { kind: 'again'; t: number; offersAt?: number; offers?: number }
    | { kind: 'none'; at: number; detail: string } {
    const p = this.p;
    const s = (lo: number, hi: number) => uniform(r, lo, hi) * US;
    const down = this.outageAt(t);
    if (down) {
      // During an outage nothing reaches the market: the demand waits for it to end.
      if (down.end - t0 > p.queue_timeout_h * HOUR) return { kind: 'none', at: t0 + p.queue_timeout_h * HOUR, detail: `network unreachable (${down.reason})` };
      t = down.end;
    }
    const offersAt = t + s(p.offers_min_s, p.offers_max_s);
    const slots = this.population_(t0).filter((x) => x.gpuClass === gpuClass && x.gpus >= gpus);
    const online = slots.map((x) => ({ x, ...x.slot.nextOnline(offersAt) })).filter((o) => o.at === offersAt && !tried.has(o.session.id) && o.x.heldUntil <= offersAt);
    if (online.length === 0) {
      // No matching offer now: the demand stays published until a provider appears.
      const next = slots
        .filter((x) => x.heldUntil !== Infinity)
        .map((x) => x.slot.nextOnline(Math.max(offersAt, x.heldUntil)))
        .filter((o) => !tried.has(o.session.id))
        .sort((a, b) => a.at - b.at)[0];
      if (!next || next.at - t0 > p.queue_timeout_h * HOUR) return { kind: 'none', at: t0 + p.queue_timeout_h * HOUR, detail: `no ${gpuClass} provider${gpus > 1 ? ` with ${gpus} GPUs` : ''} offered within ${p.queue_timeout_h} h` };
      return { kind: 'again', t: next.at };
    }
    // The requestor takes the cheapest idle provider, or the one free soonest.
    const idle = online.filter((o) => o.x.busyUntil <= offersAt).sort((a, b) => a.session.meta.pricePerHour - b.session.meta.pricePerHour);
    const chosen = idle[0] ?? online.sort((a, b) => a.x.busyUntil - b.x.busyUntil || a.session.meta.pricePerHour - b.session.meta.pricePerHour)[0]!;
    const agreeAt = Math.max(offersAt, chosen.x.busyUntil) + s(p.agreement_min_s, p.agreement_max_s);
    tried.add(chosen.session.id);
    if (chosen.session.end <= agreeAt || bernoulli(r, p.agreement_reject_p)) return { kind: 'again', t: agreeAt, offersAt, offers: online.length };
    return { kind: 'agreed', x: chosen.x, provider: chosen.session, offersAt, offers: online.length, agreeAt };
  }

  /** Activity creation, image pull (unless cached) and deploy after an agreement: when the machine is ready, or that the activity failed. */
  private deploy(r: Random, provider: Session<ProviderMeta>, agreeAt: number, image: string, imageBytes: number): { activityAt: number; failed: boolean; pulledAt: number; cached: boolean; readyAt: number } {
    const p = this.p;
    const s = (lo: number, hi: number) => uniform(r, lo, hi) * US;
    const activityAt = agreeAt + s(p.activity_min_s, p.activity_max_s);
    const failed = bernoulli(r, p.activity_fail_p);
    const cache = this.caches.get(provider.id) ?? new Set<string>();
    this.caches.set(provider.id, cache);
    const cached = bernoulli(r, cache.has(image) ? p.cache_repeat_p : p.cache_first_p);
    cache.add(image);
    const pulledAt = activityAt + (cached ? 0 : (imageBytes / provider.meta.bytesPerSecond) * US);
    return { activityAt, failed, pulledAt, cached, readyAt: pulledAt + s(p.deploy_min_s, p.deploy_max_s) };
  }

  /** A token-counted request's timing on a machine as the n-th request on it; undefined for other jobs. */
  private llmTiming(job: JobOut, m: ProviderMeta, n: number): TokenTiming | undefined {
    const tokens = tokensOf(job);
    if (!tokens) return undefined;
    const networkUs = (Number(job.inputBytes) / (m.bytesPerSecond * this.p.network_transfer_factor)) * US + this.p.llm_rtt_ms * 1000;
    return tokenTiming(this.p, m.gpuClass, tokens, { n, speed: m.speed, networkUs });
  }

  /** The attempt's stream events (first token, tokens so far) up to the cut, if any. */
  private stream(ctx: PlanCtx, job: JobOut, startUs: number, timing: TokenTiming | undefined, providerId: string, cutUs?: number): void {
    const tokens = tokensOf(job);
    if (!timing || !tokens) return;
    for (const e of streamEvents(startUs, timing, tokens, { attempt: ctx.attempt, providerId, cutUs })) ctx.ev(e.atUs, e.event);
  }

  /** Time to move the job's input in, run it and move its output out on a machine. */
  private execUs(job: JobOut, m: ProviderMeta): number {
    const link = m.bytesPerSecond * this.p.network_transfer_factor;
    const upLink = m.upBytesPerSecond * this.p.network_transfer_factor;
    return (Number(job.inputBytes) / link) * US + ((job.workSeconds || 0) / m.speed) * US + (Number(job.outputBytes) / upLink) * US;
  }

  /**
   * When the results of work finished at endAt reach the requestor: at once, or
   * after an outage that covers endAt, unless that is beyond the timeout.
   */
  private resultsBack(endAt: number): { at: number; lost: boolean } {
    const down = this.outageAt(endAt);
    if (!down) return { at: endAt, lost: false };
    const lost = down.end - endAt > this.p.result_return_timeout_s * US;
    return { at: lost ? endAt + this.p.result_return_timeout_s * US : down.end, lost };
  }

  /** How a provider loss is noticed: a provider that terminates says so at once; a vanished machine only when its activity stops answering. */
  private detectUs(r: Random, reason: string): number {
    const p = this.p;
    const silent = reason === 'NodeOffline' || reason === 'RelayOutage' || reason === 'InjectedOutage';
    return uniform(r, p.loss_detect_min_s, silent ? p.loss_detect_max_s : p.termination_notice_max_s) * US;
  }

  plan(job: JobOut): TimedEvent[] {
    const events = this.planJob(job);
    const end = this.runEnd.record(job.submittedAtUs, events);
    if (end !== undefined) this.chargePoolTails(job, events, end);
    return events;
  }

  /**
   * The run's last job: every pool holds its rentals (idle ones above the
   * minimum until their idle timeout) until the run ends, then lets them go;
   * the last job carries that bill, invoiced after the run's end.
   */
  private chargePoolTails(job: JobOut, events: TimedEvent[], end: number): void {
    const tail = new Map<string, Split>();
    for (const [name, pool] of this.pools) {
      const ctx: PlanCtx = { t0: end, r: seededRandom(this.seed ^ hash32(`tail/${name}`)), events: [], ev: () => undefined, split: emptySplit(), attempt: 1, workload: name };
      this.maintain(pool, end, ctx, pool.image, pool.imageBytes);
      for (const rental of pool.rentals) {
        if (rental.endAt === Infinity) this.release(rental, Math.min(end, rental.ends), rental.ends <= end ? rental.endReason : 'RunEnded');
        this.ended.push({ agreeAt: rental.agreeAt, endAt: rental.endAt, price: rental.provider.meta.pricePerHour, billed: rental.billed, reason: rental.endReason });
      }
      pool.rentals = [];
      tail.set(name, ctx.split);
    }
    const o = outcomeOf(events)!;
    const amount = chargeTail(events, tail, 'GLM', Number(o.event.usdRate) || this.rateAt(job.submittedAtUs + o.offsetUs));
    if (amount > 0) {
      const at = Math.max(end, job.submittedAtUs + o.offsetUs) + uniform(seededRandom(this.seed ^ hash32('tail/settle')), this.p.settle_min_min * 60, this.p.settle_max_min * 60) * US;
      const rate = this.rateAt(at);
      events.push({ offsetUs: Math.round(at - job.submittedAtUs), event: { type: 'SETTLED', attempt: o.event.attempt, amount, amountUsd: amount * rate, currency: 'GLM', usdRate: rate } });
    }
    events.sort((a, b) => a.offsetUs - b.offsetUs);
  }

  private planJob(job: JobOut): TimedEvent[] {
    // The first job sets the epoch that outage windows and the rate walk count from.
    this.population_(job.submittedAtUs);
    const w = workloadOf(this.workloads, job);
    // A pool rents one-GPU machines; a multi-GPU job rents a machine of its own.
    if (w.network.mode === 'pool' && Math.max(1, job.gpuCount) === 1) return this.planPooled(job, w);
    return this.planPerJob(job, w);
  }

  /** The invoice(s) and the outcome, with the job's bill split; every event sorted by time. */
  private close(ctx: PlanCtx, at: number, outcome: TimedEvent['event'], settlements: { providerId: string; amount: number; endAt: number }[]): TimedEvent[] {
    const p = this.p;
    const rate = this.rateAt(at);
    const { amount, gpuSeconds } = splitTotal(ctx.split);
    ctx.ev(at, { ...outcome, amount, amountUsd: amount * rate, currency: 'GLM', usdRate: rate, billedGpuSeconds: gpuSeconds });
    for (const b of billedEvents(at - ctx.t0, ctx.attempt, ctx.workload, ctx.split, 'GLM', rate)) ctx.ev(at, b.event);
    // Invoices settled on chain after a delay.
    const due = settlements.filter((a) => a.amount > 0).map((a) => ({ a, at: Math.max(a.endAt, at) + uniform(ctx.r, p.settle_min_min * 60, p.settle_max_min * 60) * US }));
    for (const { a, at: when } of due.sort((x, y) => x.at - y.at)) {
      const rr = this.rateAt(when);
      ctx.ev(when, { type: 'SETTLED', attempt: ctx.attempt, providerId: a.providerId, amount: a.amount, amountUsd: a.amount * rr, currency: 'GLM', usdRate: rr });
    }
    return ctx.events.sort((x, y) => x.offsetUs - y.offsetUs);
  }

  private context(job: JobOut, w: ResolvedWorkload): PlanCtx {
    const t0 = job.submittedAtUs;
    const events: TimedEvent[] = [{ offsetUs: 0, event: { type: 'QUEUED', attempt: 1 } }];
    return { t0, r: seededRandom(this.seed ^ hash32(job.jobId)), events, ev: (at, e) => events.push({ offsetUs: Math.round(at - t0), event: e }), split: emptySplit(), attempt: 1, workload: w.name };
  }

  /** Debit notes due in [from, to) of an agreement made at agreeAt: cumulative amount due, about every 120 s. */
  private debitNotes(ctx: PlanCtx, providerId: string, agreeAt: number, price: number, from: number, to: number): void {
    const step = this.p.debit_note_interval_s * US;
    for (let d = agreeAt + Math.max(1, Math.ceil((from - agreeAt) / step)) * step; d < to; d += step) {
      ctx.ev(d, { type: 'DEBIT_NOTE', attempt: ctx.attempt, providerId, amount: this.p.start_price_glm + (((d - agreeAt) / US) / 3600) * price, currency: 'GLM' });
    }
  }

  /** A fresh agreement for the job (and for each retry): billed from agreement start, deploy included, until the job ends or the provider goes. */
  private planPerJob(job: JobOut, w: ResolvedWorkload): TimedEvent[] {
    const p = this.p;
    const ctx = this.context(job, w);
    const { r, t0 } = ctx;
    const gpus = Math.max(1, job.gpuCount);
    const tried = new Set<string>();
    const agreements: { providerId: string; amount: number; endAt: number }[] = [];
    let t = t0;
    for (let negotiations = 0; negotiations < p.max_negotiations; negotiations++) {
      const n = this.negotiate(r, t, job.gpuClass, gpus, tried, t0);
      if (n.kind === 'none') return this.close(ctx, n.at, { type: 'FAILED', attempt: ctx.attempt, errorClass: 'no_offers', detail: n.detail }, agreements);
      if (n.offersAt !== undefined) ctx.ev(n.offersAt, { type: 'OFFER_RECEIVED', attempt: ctx.attempt, offers: n.offers! });
      if (n.kind === 'again') {
        t = n.t;
        continue;
      }
      const { x, provider, agreeAt } = n;
      const price = provider.meta.pricePerHour;
      ctx.ev(agreeAt, { type: 'PROVIDER_ASSIGNED', attempt: ctx.attempt, providerId: provider.id, pricePerHour: price, currency: 'GLM', gpuClass: provider.meta.gpuClass });
      // A completed attempt's agreement is useful from the job's start; before it (activity, image pull, deploy) the machine is held idle.
      const bill = (until: number, part: 'useful' | 'lost', workFrom = agreeAt) => {
        const seconds = Math.max(0, (until - agreeAt) / US);
        const amount = p.start_price_glm + (seconds / 3600) * price;
        this.debitNotes(ctx, provider.id, agreeAt, price, agreeAt, until);
        agreements.push({ providerId: provider.id, amount, endAt: until });
        const heldS = Math.min(seconds, Math.max(0, (workFrom - agreeAt) / US));
        const held = part === 'useful' ? p.start_price_glm + (heldS / 3600) * price : 0;
        if (held > 0) addTo(ctx.split, 'idle', held, heldS * provider.meta.gpus);
        addTo(ctx.split, part, amount - held, (seconds - (part === 'useful' ? heldS : 0)) * provider.meta.gpus);
        x.busyUntil = until;
      };
      const d = this.deploy(r, provider, agreeAt, job.image, Number(job.imageBytes));
      if (d.failed) {
        bill(d.activityAt, 'lost');
        if (ctx.attempt >= p.max_attempts) return this.close(ctx, d.activityAt, { type: 'FAILED', attempt: ctx.attempt, errorClass: 'activity_create_failed', detail: 'activity creation failed on the last attempt' }, agreements);
        ctx.ev(d.activityAt, { type: 'RETRYING', attempt: ctx.attempt + 1, providerId: provider.id, reason: 'activity_create_failed' });
        ctx.attempt++;
        t = d.activityAt;
        continue;
      }
      // The run command goes through the network too: an outage holds it.
      const startedAt = this.outageAt(d.readyAt)?.end ?? d.readyAt;
      // A machine of its own: the request is alone on it (n = 1).
      const timing = this.llmTiming(job, provider.meta, 1);
      const endAt = startedAt + (timing?.totalUs ?? this.execUs(job, provider.meta));
      const stream = (cutUs?: number) => this.stream(ctx, job, startedAt, timing, provider.id, cutUs);
      const { end: agreementEnd, reason: endReason } = this.agreementEnd(provider, agreeAt, endAt, d.activityAt);
      const back = this.resultsBack(endAt);
      if (agreementEnd < endAt || back.lost) {
        const lostEnd = agreementEnd < endAt ? agreementEnd : endAt;
        const reason = agreementEnd < endAt ? endReason : 'ResultsNotReturned';
        const lostAt = agreementEnd < endAt ? Math.max(lostEnd, agreeAt) + this.detectUs(r, reason) : back.at;
        if (d.pulledAt <= lostEnd) ctx.ev(d.pulledAt, { type: 'IMAGE_PULLED', attempt: ctx.attempt, providerId: provider.id, bytes: d.cached ? 0 : Number(job.imageBytes) });
        if (startedAt <= lostEnd) ctx.ev(startedAt, { type: 'STARTED', attempt: ctx.attempt, providerId: provider.id });
        stream(lostEnd);
        bill(Math.max(agreeAt, lostEnd), 'lost');
        ctx.ev(lostAt, { type: 'PROVIDER_LOST', attempt: ctx.attempt, providerId: provider.id, reason });
        if (ctx.attempt >= p.max_attempts) return this.close(ctx, lostAt, { type: 'FAILED', attempt: ctx.attempt, errorClass: 'provider_lost', detail: `provider lost on all ${p.max_attempts} attempts` }, agreements);
        ctx.ev(lostAt, { type: 'RETRYING', attempt: ctx.attempt + 1, reason: `provider lost: ${reason}` });
        ctx.attempt++;
        t = lostAt;
        continue;
      }
      ctx.ev(d.pulledAt, { type: 'IMAGE_PULLED', attempt: ctx.attempt, providerId: provider.id, bytes: d.cached ? 0 : Number(job.imageBytes) });
      ctx.ev(startedAt, { type: 'STARTED', attempt: ctx.attempt, providerId: provider.id });
      ctx.ev(startedAt + (endAt - startedAt) / 2, { type: 'PROGRESS', attempt: ctx.attempt, providerId: provider.id, progress: 0.5 });
      stream();
      bill(endAt, 'useful', startedAt);
      return this.close(ctx, back.at, { type: 'COMPLETED', attempt: ctx.attempt, providerId: provider.id, bytes: Number(job.outputBytes), outputDigest: `sha256:${hash32(job.jobId).toString(16)}`, tokens: tokensOf(job)?.output ?? 0 }, agreements);
    }
    return this.close(ctx, t, { type: 'FAILED', attempt: ctx.attempt, errorClass: 'negotiation_failed', detail: `no agreement after ${p.max_negotiations} negotiations` }, agreements);
  }

  /** The workload's pool, found warm when the run starts: its minimum rentals were signed and deployed before. */
  private pool(w: ResolvedWorkload, t0: number, ctx: PlanCtx, image: string, imageBytes: number): Pool {
    let pool = this.pools.get(w.name);
    if (!pool) {
      pool = { w, image, imageBytes, rentals: [], billedUntil: t0, ledger: emptySplit(), made: 0 };
      this.pools.set(w.name, pool);
      for (let i = 0; i < w.network.minRentals; i++) this.acquire(pool, t0, ctx, image, imageBytes, true);
    }
    return pool;
  }

  /**
   * Rents one more machine for the pool from t: negotiates, creates the
   * activity and deploys the image. Billing runs from agreement start; a
   * failed activity or a machine gone before it is ready is billed and tried
   * again elsewhere. `warm`: signed before the run, ready at t.
   */
  private acquire(pool: Pool, t: number, ctx: PlanCtx, image: string, imageBytes: number, warm = false): Rental | undefined {
    const p = this.p;
    const cls = pool.w.network.gpuClass;
    const tried = new Set<string>();
    for (let negotiations = 0; negotiations < p.max_negotiations; negotiations++) {
      const n = warm ? this.warmOffer(t, cls, tried) : this.negotiate(ctx.r, t, cls, 1, tried, ctx.t0);
      if (!n || n.kind === 'none') return undefined;
      if (n.kind === 'again') {
        t = n.t;
        continue;
      }
      const { x, provider, agreeAt } = n;
      const d = warm ? { activityAt: agreeAt, failed: false, pulledAt: agreeAt, cached: true, readyAt: agreeAt } : this.deploy(ctx.r, provider, agreeAt, image, imageBytes);
      const { end, reason } = this.agreementEnd(provider, agreeAt, d.readyAt, d.activityAt);
      const rental: Rental = { id: `${provider.id}/r${pool.made++}`, x, provider, agreeAt, readyAt: d.readyAt, endAt: Infinity, ends: end, endReason: reason, checkedTo: d.readyAt, busyUntil: d.readyAt, busy: new BusyLog(), batch: new BatchSlots(this.p.llm_max_concurrency), billed: 0 };
      x.heldUntil = Infinity;
      this.charge(pool, ctx, rental, 'idle', p.start_price_glm, 0);
      pool.rentals.push(rental);
      if (d.failed || end <= d.readyAt) {
        // Billed for what it held, then let go; the requestor negotiates again.
        this.release(rental, Math.min(d.failed ? d.activityAt : end, end), d.failed ? 'ActivityCreateFailed' : reason);
        t = rental.endAt;
        continue;
      }
      return rental;
    }
    return undefined;
  }

  /** A provider online at t for a rental the pool signed before the run (no negotiation to replay). */
  private warmOffer(t: number, cls: string, tried: Set<string>): { kind: 'agreed'; x: ProviderSlot; provider: Session<ProviderMeta>; agreeAt: number } | undefined {
    const online = this.population_(t).filter((x) => x.gpuClass === cls && x.gpus >= 1 && x.heldUntil <= t).map((x) => ({ x, ...x.slot.nextOnline(t) })).filter((o) => o.at === t && !tried.has(o.session.id));
    const o = online.sort((a, b) => a.session.meta.pricePerHour - b.session.meta.pricePerHour)[0];
    if (!o) return undefined;
    tried.add(o.session.id);
    return { kind: 'agreed', x: o.x, provider: o.session, agreeAt: t };
  }

  /** Looks for outages that end a held rental from the requestor's side, up to `upTo` (lazily: rentals may be held for weeks). */
  private refresh(rental: Rental, upTo: number): Rental {
    if (upTo <= rental.checkedTo || rental.ends <= rental.checkedTo) return rental;
    const wait = this.p.requestor_unreachable_s * US;
    const out = this.outageLongerThan(rental.checkedTo, Math.min(upTo, rental.ends), wait);
    if (out && out.start + wait < rental.ends) (rental.ends = out.start + wait), (rental.endReason = 'RequestorUnreachable');
    rental.checkedTo = upTo;
    return rental;
  }

  private release(rental: Rental, at: number, reason: string): void {
    rental.endAt = at;
    rental.endReason = reason;
    rental.x.heldUntil = at;
    rental.x.busyUntil = Math.max(rental.x.busyUntil, at);
  }

  private charge(pool: Pool, ctx: PlanCtx, rental: Rental, part: CostPart, amount: number, gpuSeconds: number): void {
    addTo(ctx.split, part, amount, gpuSeconds);
    addTo(pool.ledger, part, amount, gpuSeconds);
    rental.billed += amount;
  }

  /**
   * Brings the pool to t: notices rentals whose provider went (replenishing to
   * the minimum from then), releases rentals idle past the timeout above the
   * minimum, and bills every held rental's time not spent on jobs as idle.
   */
  private maintain(pool: Pool, t: number, ctx: PlanCtx, image: string, imageBytes: number): void {
    const spec = pool.w.network;
    for (const rental of [...pool.rentals]) {
      if (rental.endAt === Infinity && this.refresh(rental, t).ends <= t) {
        this.release(rental, rental.ends, rental.endReason);
        const held = pool.rentals.filter((x) => x.endAt === Infinity).length;
        if (held < spec.minRentals) this.acquire(pool, rental.ends + this.detectUs(ctx.r, rental.endReason), ctx, image, imageBytes);
      }
    }
    const held = pool.rentals.filter((x) => x.endAt === Infinity).sort((a, b) => a.busyUntil - b.busyUntil);
    let n = held.length;
    for (const rental of held) {
      if (n <= spec.minRentals) break;
      const at = Math.max(rental.busyUntil, pool.billedUntil) + spec.idleTimeoutUs;
      if (at > t || at >= rental.ends) continue;
      this.release(rental, at, 'Released');
      n--;
    }
    for (const rental of pool.rentals) {
      const from = Math.max(pool.billedUntil, rental.agreeAt);
      const to = Math.min(t, rental.endAt, rental.ends);
      if (to <= from) continue;
      const idleUs = Math.max(0, to - from - rental.busy.busyIn(from, to));
      this.charge(pool, ctx, rental, 'idle', (idleUs / HOUR) * rental.provider.meta.pricePerHour, idleUs / US);
    }
    pool.billedUntil = Math.max(pool.billedUntil, t);
    if (pool.rentals.some((x) => x.endAt < t)) {
      for (const x of pool.rentals) if (x.endAt < t) this.ended.push({ agreeAt: x.agreeAt, endAt: x.endAt, price: x.provider.meta.pricePerHour, billed: x.billed, reason: x.endReason });
      pool.rentals = pool.rentals.filter((x) => x.endAt >= t);
      if (this.ended.length > 10_000) this.ended.splice(0, this.ended.length - 10_000);
    }
  }

  /** A job fed to a warm rental of its workload's pool; a new rental when none is free and the pool may grow. */
  private planPooled(job: JobOut, w: ResolvedWorkload): TimedEvent[] {
    const p = this.p;
    const ctx = this.context(job, w);
    const { r, t0 } = ctx;
    const image = job.image;
    const imageBytes = Number(job.imageBytes);
    const pool = this.pool(w, t0, ctx, image, imageBytes);
    this.maintain(pool, t0, ctx, image, imageBytes);
    // The pool's agreements are invoiced as they run; the job's share (its work, and the idle time it is charged) is settled after it.
    let lastProvider = '';
    const share = () => [{ providerId: lastProvider, amount: splitTotal(ctx.split).amount, endAt: 0 }];
    const tokens = tokensOf(job);
    let t = t0;
    for (;;) {
      const held = pool.rentals.filter((x) => x.endAt === Infinity && x.ends > t);
      // Work is sent through the network too: during an outage a warm rental waits like a new demand.
      const usable = (at: number) => this.outageAt(at)?.end ?? at;
      const soonest = (xs: Rental[]) =>
        xs
          .map((x) => ({ x, at: usable(tokens ? (x.batch.forget(t0), x.batch.nextFree(Math.max(t, x.readyAt))) : Math.max(t, x.readyAt, x.busyUntil)) }))
          .filter((o) => o.at < this.refresh(o.x, o.at).ends)
          .sort((a, b) => a.at - b.at)[0];
      let best = soonest(held);
      if ((!best || best.at > t) && held.length < w.network.maxRentals) {
        const fresh = this.acquire(pool, t, ctx, image, imageBytes);
        if (fresh) best = soonest(fresh.readyAt < (best?.at ?? Infinity) ? [fresh] : [best!.x]);
      }
      if (!best || best.at - t0 > p.queue_timeout_h * HOUR) return this.close(ctx, t0 + Math.max(p.queue_timeout_h * HOUR, t - t0), { type: 'FAILED', attempt: ctx.attempt, errorClass: 'no_offers', detail: `no ${w.network.gpuClass} rental free within ${p.queue_timeout_h} h` }, share());
      const { x: rental, at: start } = best;
      const price = rental.provider.meta.pricePerHour;
      const pid = rental.provider.id;
      ctx.ev(start, { type: 'PROVIDER_ASSIGNED', attempt: ctx.attempt, providerId: pid, pricePerHour: price, currency: 'GLM', gpuClass: rental.provider.meta.gpuClass });
      ctx.ev(start, { type: 'STARTED', attempt: ctx.attempt, providerId: pid });
      const n = tokens ? rental.batch.inFlight(start) + 1 : 1;
      const timing = this.llmTiming(job, rental.provider.meta, n);
      const endAt = start + (timing?.totalUs ?? this.execUs(job, rental.provider.meta));
      this.refresh(rental, endAt);
      const back = this.resultsBack(endAt);
      const cut = rental.ends < endAt;
      const until = cut ? rental.ends : endAt;
      rental.busy.add(Math.max(start, rental.busyUntil), until);
      rental.busyUntil = Math.max(rental.busyUntil, until);
      if (tokens) rental.batch.add(start, until);
      this.debitNotes(ctx, pid, rental.agreeAt, price, start, until);
      // A request batched with others is charged its share of the rental: its time on it over the requests sharing it.
      const amount = ((until - start) / HOUR) * price / n;
      const part: CostPart = cut || back.lost ? 'lost' : 'useful';
      this.charge(pool, ctx, rental, part, amount, (until - start) / US / n);
      lastProvider = pid;
      this.stream(ctx, job, start, timing, pid, cut ? until : undefined);
      if (!cut && !back.lost) {
        ctx.ev(start + (endAt - start) / 2, { type: 'PROGRESS', attempt: ctx.attempt, providerId: pid, progress: 0.5 });
        return this.close(ctx, back.at, { type: 'COMPLETED', attempt: ctx.attempt, providerId: pid, bytes: Number(job.outputBytes), outputDigest: `sha256:${hash32(job.jobId).toString(16)}`, tokens: tokens?.output ?? 0 }, share());
      }
      const reason = cut ? rental.endReason : 'ResultsNotReturned';
      const lostAt = cut ? until + this.detectUs(r, reason) : back.at;
      if (cut) {
        this.release(rental, until, reason);
        // Replenished from the moment the loss is seen, if the pool fell below its minimum.
        if (pool.rentals.filter((x) => x.endAt === Infinity).length < w.network.minRentals) this.acquire(pool, lostAt, ctx, image, imageBytes);
      }
      ctx.ev(lostAt, { type: 'PROVIDER_LOST', attempt: ctx.attempt, providerId: pid, reason });
      if (ctx.attempt >= p.max_attempts) return this.close(ctx, lostAt, { type: 'FAILED', attempt: ctx.attempt, errorClass: 'provider_lost', detail: `provider lost on all ${p.max_attempts} attempts` }, share());
      ctx.ev(lostAt, { type: 'RETRYING', attempt: ctx.attempt + 1, reason: `provider lost: ${reason}` });
      ctx.attempt++;
      t = lostAt;
    }
  }

  /** Rentals the pools have let go, most recent last (bounded): held time and what they were billed, for checks. */
  endedRentals(): readonly { agreeAt: number; endAt: number; price: number; billed: number; reason: string }[] {
    return this.ended;
  }

  /** Native amounts and GPU-seconds per pooled workload and part, billed so far. */
  ledger(): Record<string, Split> {
    return Object.fromEntries([...this.pools].map(([k, pool]) => [k, structuredClone(pool.ledger)]));
  }

  /** The machine behind a provider session id ("prov12-3"): its GPU class and GPU count. */
  providerInfo(sessionId: string): { gpuClass: string; gpus: number } | undefined {
    const i = Number(/^prov(\d+)-/.exec(sessionId)?.[1]);
    const x = this.slots?.[i];
    return x ? { gpuClass: x.gpuClass, gpus: x.gpus } : undefined;
  }

  population(t: number): ProviderChange[] {
    if (!this.slots) return [];
    const when = Number.isNaN(t) ? this.epochUs : t;
    const out: ProviderChange[] = [];
    for (const x of this.slots) {
      const { session, at } = x.slot.nextOnline(when);
      if (at === when) out.push({ atTraceUs: when, event: { providerId: session.id, online: true, gpuClass: x.gpuClass, region: 'internet', reason: '' } });
    }
    return out;
  }

  providerChanges(from: number, to: number): ProviderChange[] {
    if (!this.slots) return [];
    const out: ProviderChange[] = [];
    for (const x of this.slots) {
      for (const b of x.slot.boundaries(from, to)) {
        out.push({ atTraceUs: b.at, event: { providerId: b.session.id, online: b.online, gpuClass: x.gpuClass, region: 'internet', reason: b.online ? 'Joined' : b.session.reason } });
      }
    }
    return out.sort((a, b) => a.atTraceUs - b.atTraceUs);
  }

  priceChanges(from: number, to: number): PriceChange[] {
    if (!this.slots) return [];
    const out: PriceChange[] = [];
    const firstK = Math.max(0, Math.floor((from - this.epochUs) / HOUR) + 1);
    for (let k = firstK; this.epochUs + k * HOUR <= to; k++) {
      const at = this.epochUs + k * HOUR;
      out.push({ atTraceUs: at, tick: { currency: 'GLM', usdRate: this.rateAt(at) } });
    }
    // Series points and shocks move the rate between hourly ticks: announce them when they happen.
    for (const pt of this.priceSeries) {
      const at = this.epochUs + pt.afterSeconds * US;
      if (at > from && at <= to) out.push({ atTraceUs: at, tick: { currency: 'GLM', usdRate: this.rateAt(at) } });
    }
    for (const shock of this.priceShocks) {
      const at = this.epochUs + shock.afterSeconds * US;
      if (at > from && at <= to) out.push({ atTraceUs: at, tick: { currency: 'GLM', usdRate: this.rateAt(at) } });
    }
    out.sort((a, b) => a.atTraceUs - b.atTraceUs);
    return out;
  }

  priceAt(t: number): PriceTick | undefined {
    if (!this.slots) return { currency: 'GLM', usdRate: this.priceSeries[0]?.usdRate ?? this.p.glm_usd_start };
    return { currency: 'GLM', usdRate: this.rateAt(Number.isNaN(t) ? this.epochUs : t) };
  }
}
