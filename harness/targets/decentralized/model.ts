// The decentralized network in trace time: a population of providers that
// come and go (Weibull sessions, replacements after a gap), each with its own
// GPU, price, bandwidth and image cache. A job runs the market flow — demand →
// offers → agreement (sometimes rejected) → activity (sometimes failing) →
// image pull over the provider's link (unless cached) → deploy → execute —
// and when its provider leaves mid-job the requestor notices, pays for the
// time used and negotiates again with another provider, up to the attempt
// limit. Payment is in GLM: debit notes every 120 s, one invoice per
// agreement settled on chain minutes later, converted at a seeded GLM/USD walk.
import type { Random } from '../../common/random.ts';
import { hash32, seededRandom } from '../../common/random.ts';
import type { GpuClassOffer, JobOut, PriceTick } from '../../proto/types.ts';
import { bernoulli, exponential, exponentialLengthBiased, lognormal, nodeSpeed, standardNormal, uniform, weibull, weibullLengthBiased, weibullMean, weighted } from '../common/distributions.ts';
import { SessionSlot, type Session, type SlotStart } from '../common/sessions.ts';
import type { PriceChange, ProviderChange, SimModel, TimedEvent } from '../common/sim-server.ts';
import { classPrice, providerEndReasons, type DecentralizedParams } from './params.ts';

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
  readonly priceModel = 'linear: env price per second from agreement start (image pull included), paid in GLM';
  private slots: ProviderSlot[] | undefined;
  private epochUs = 0;
  private readonly caches = new Map<string, Set<string>>();
  private readonly rates: number[] = [];
  private readonly rateRandom: Random;

  /** Outage windows [start, end) in trace µs, in time order: drawn ones merged with injected ones. */
  private readonly outages: { start: number; end: number; reason: string }[] = [];
  private outagesUntil = 0;
  private nextOutage: number | undefined;
  private readonly outageRandom: Random;

  constructor(
    private readonly p: DecentralizedParams,
    private readonly seed: number,
    readonly parameters: Record<string, string>,
    /** Injected provider-wide outages, seconds after the first job (fault injection). */
    private readonly injected: readonly { afterSeconds: number; durationSeconds: number }[] = [],
    /** Injected price shocks: from this many seconds after the first job, the GLM/USD rate is multiplied by factor. */
    private readonly priceShocks: readonly { afterSeconds: number; factor: number }[] = [],
    /** A GLM/USD series given as input (seconds after the first job → rate), used instead of the random walk. */
    private readonly priceSeries: readonly { afterSeconds: number; usdRate: number }[] = [],
  ) {
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
    this.outages.push(...windows);
    this.outages.sort((a, b) => a.start - b.start);
  }

  /** The outage window containing t, if any. */
  private outageAt(t: number): { start: number; end: number; reason: string } | undefined {
    this.ensureOutages(t);
    return this.outages.find((w) => w.start <= t && t < w.end);
  }

  /** The first outage starting in (from, to], if any: it cuts a running job off its provider. */
  private outageStartIn(from: number, to: number): { start: number; end: number; reason: string } | undefined {
    this.ensureOutages(to);
    return this.outages.find((w) => w.start > from && w.start <= to);
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

  plan(job: JobOut): TimedEvent[] {
    const p = this.p;
    const r = seededRandom(this.seed ^ hash32(job.jobId));
    const t0 = job.submittedAtUs;
    const slots = this.population_(t0);
    const gpus = Math.max(1, job.gpuCount);
    const events: TimedEvent[] = [{ offsetUs: 0, event: { type: 'QUEUED', attempt: 1 } }];
    const ev = (at: number, e: TimedEvent['event']) => events.push({ offsetUs: Math.round(at - t0), event: e });
    const tried = new Set<string>();
    const agreements: { providerId: string; amount: number; endAt: number }[] = [];
    let total = 0;
    let billedGpuSeconds = 0;
    let t = t0;
    let attempt = 1;
    const s = (lo: number, hi: number) => uniform(r, lo, hi) * US;

    const finish = (at: number, outcome: TimedEvent['event']) => {
      const rate = this.rateAt(at);
      ev(at, { ...outcome, amount: total, amountUsd: total * rate, currency: 'GLM', usdRate: rate, billedGpuSeconds });
      // One invoice per agreement, settled on chain after a delay.
      const settlements = agreements
        .filter((a) => a.amount > 0)
        .map((a) => ({ a, at: Math.max(a.endAt, at) + s(p.settle_min_min * 60, p.settle_max_min * 60) }))
        .sort((x, y) => x.at - y.at);
      for (const { a, at: when } of settlements) {
        const rr = this.rateAt(when);
        ev(when, { type: 'SETTLED', attempt, providerId: a.providerId, amount: a.amount, amountUsd: a.amount * rr, currency: 'GLM', usdRate: rr });
      }
      return events.sort((x, y) => x.offsetUs - y.offsetUs);
    };

    for (let negotiations = 0; negotiations < p.max_negotiations; negotiations++) {
      // During an outage nothing reaches the market: the demand waits for it to end.
      const down = this.outageAt(t);
      if (down) {
        if (down.end - t0 > p.queue_timeout_h * HOUR) return finish(t0 + p.queue_timeout_h * HOUR, { type: 'FAILED', attempt, errorClass: 'no_offers', detail: `network unreachable (${down.reason})` });
        t = down.end;
      }
      const offersAt = t + s(p.offers_min_s, p.offers_max_s);
      const online = slots
        .filter((x) => x.gpuClass === job.gpuClass && x.gpus >= gpus)
        .map((x) => ({ x, ...x.slot.nextOnline(offersAt) }))
        .filter((o) => o.at === offersAt && !tried.has(o.session.id));
      if (online.length === 0) {
        // No matching offer now: the demand stays published until a provider appears.
        const next = slots
          .filter((x) => x.gpuClass === job.gpuClass && x.gpus >= gpus)
          .map((x) => x.slot.nextOnline(offersAt))
          .filter((o) => !tried.has(o.session.id))
          .sort((a, b) => a.at - b.at)[0];
        if (!next || next.at - t0 > p.queue_timeout_h * HOUR) {
          return finish(t0 + p.queue_timeout_h * HOUR, { type: 'FAILED', attempt, errorClass: 'no_offers', detail: `no ${job.gpuClass} provider${gpus > 1 ? ` with ${gpus} GPUs` : ''} offered within ${p.queue_timeout_h} h` });
        }
        t = next.at;
        continue;
      }
      ev(offersAt, { type: 'OFFER_RECEIVED', attempt, offers: online.length });
      // The requestor takes the cheapest idle provider, or the one free soonest.
      const idle = online.filter((o) => o.x.busyUntil <= offersAt).sort((a, b) => a.session.meta.pricePerHour - b.session.meta.pricePerHour);
      const chosen = idle[0] ?? online.sort((a, b) => a.x.busyUntil - b.x.busyUntil || a.session.meta.pricePerHour - b.session.meta.pricePerHour)[0]!;
      const provider: Session<ProviderMeta> = chosen.session;
      const agreeAt = Math.max(offersAt, chosen.x.busyUntil) + s(p.agreement_min_s, p.agreement_max_s);
      if (provider.end <= agreeAt || bernoulli(r, p.agreement_reject_p)) {
        tried.add(provider.id);
        t = agreeAt;
        continue;
      }
      const price = provider.meta.pricePerHour;
      ev(agreeAt, { type: 'PROVIDER_ASSIGNED', attempt, providerId: provider.id, pricePerHour: price, currency: 'GLM', gpuClass: provider.meta.gpuClass });
      tried.add(provider.id);
      const bill = (until: number) => {
        const seconds = Math.max(0, (until - agreeAt) / US);
        const amount = (seconds / 3600) * price;
        // Debit notes every interval while the agreement runs.
        for (let d = agreeAt + p.debit_note_interval_s * US; d < until; d += p.debit_note_interval_s * US) {
          ev(d, { type: 'DEBIT_NOTE', attempt, providerId: provider.id, amount: (((d - agreeAt) / US) / 3600) * price, currency: 'GLM' });
        }
        agreements.push({ providerId: provider.id, amount, endAt: until });
        total += amount;
        billedGpuSeconds += seconds * provider.meta.gpus;
      };
      const activityAt = agreeAt + s(p.activity_min_s, p.activity_max_s);
      if (bernoulli(r, p.activity_fail_p)) {
        bill(activityAt);
        chosen.x.busyUntil = activityAt;
        if (attempt >= p.max_attempts) return finish(activityAt, { type: 'FAILED', attempt, errorClass: 'activity_create_failed', detail: 'activity creation failed on the last attempt' });
        ev(activityAt, { type: 'RETRYING', attempt: attempt + 1, providerId: provider.id, reason: 'activity_create_failed' });
        attempt++;
        t = activityAt;
        continue;
      }
      const cache = this.caches.get(provider.id) ?? new Set<string>();
      this.caches.set(provider.id, cache);
      const cached = bernoulli(r, cache.has(job.image) ? p.cache_repeat_p : p.cache_first_p);
      cache.add(job.image);
      const link = provider.meta.bytesPerSecond * p.network_transfer_factor;
      const upLink = provider.meta.upBytesPerSecond * p.network_transfer_factor;
      const pulledAt = activityAt + (cached ? 0 : (Number(job.imageBytes) / provider.meta.bytesPerSecond) * US);
      const startedAt = pulledAt + s(p.deploy_min_s, p.deploy_max_s);
      const endAt = startedAt + (Number(job.inputBytes) / link) * US + ((job.workSeconds || 0) / provider.meta.speed) * US + (Number(job.outputBytes) / upLink) * US;
      // An outage that begins while the job runs cuts it off its provider as surely as the provider leaving.
      const cut = this.outageStartIn(agreeAt, Math.min(endAt, provider.end));
      const lostEnd = cut ? cut.start : provider.end;
      const lostReason = cut ? cut.reason : provider.reason;
      if (lostEnd < endAt) {
        // The provider is gone; the requestor notices within the NoActivity window.
        // A provider that terminates says so at once; a machine that vanishes is noticed only when its activity stops answering.
        const silent = cut || lostReason === 'NodeOffline';
        const lostAt = Math.max(lostEnd, agreeAt) + (silent ? s(p.loss_detect_min_s, p.loss_detect_max_s) : s(p.loss_detect_min_s, p.termination_notice_max_s));
        if (pulledAt <= lostEnd) ev(pulledAt, { type: 'IMAGE_PULLED', attempt, providerId: provider.id, bytes: cached ? 0 : Number(job.imageBytes) });
        if (startedAt <= lostEnd) ev(startedAt, { type: 'STARTED', attempt, providerId: provider.id });
        bill(Math.max(agreeAt, lostEnd));
        chosen.x.busyUntil = lostEnd;
        ev(lostAt, { type: 'PROVIDER_LOST', attempt, providerId: provider.id, reason: lostReason });
        if (attempt >= p.max_attempts) return finish(lostAt, { type: 'FAILED', attempt, errorClass: 'provider_lost', detail: `provider lost on all ${p.max_attempts} attempts` });
        ev(lostAt, { type: 'RETRYING', attempt: attempt + 1, reason: `provider lost: ${lostReason}` });
        attempt++;
        t = lostAt;
        continue;
      }
      ev(pulledAt, { type: 'IMAGE_PULLED', attempt, providerId: provider.id, bytes: cached ? 0 : Number(job.imageBytes) });
      ev(startedAt, { type: 'STARTED', attempt, providerId: provider.id });
      ev(startedAt + (endAt - startedAt) / 2, { type: 'PROGRESS', attempt, providerId: provider.id, progress: 0.5 });
      bill(endAt);
      chosen.x.busyUntil = endAt;
      return finish(endAt, { type: 'COMPLETED', attempt, providerId: provider.id, bytes: Number(job.outputBytes), outputDigest: `sha256:${hash32(job.jobId).toString(16)}` });
    }
    return finish(t, { type: 'FAILED', attempt, errorClass: 'negotiation_failed', detail: 'no agreement after 50 negotiations' });
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
