// A workload served from warm rentals, as a requestor serving inference does:
// golem-js's ResourceRentalPool (glm.manyOf) keeps between min and max
// agreements signed, a job borrows one (acquire), runs its command on the
// rental's exe unit (deployed once, then reused) and gives it back (release).
// golem-js keeps released rentals until the pool is drained; this module adds
// what a requestor trims its pool with — rentals idle past the workload's
// timeout are let go while the pool is above its minimum — and refills the
// minimum after a provider loss. Billing follows the decentralized simulator:
// an agreement is billed from its start (start price + env price per second,
// idle included); each job is charged the pool's capacity billed since the
// previous job (idle, start prices) and its own busy time (useful, or lost
// when its provider went), as BILLED events so the report can say where the
// money went. The invoices of pooled agreements arrive when the pool lets
// them go, after the jobs' streams ended: a pooled job's cost is that
// estimate from the offers' linear prices.
import type { ResourceRental, ResourceRentalPool } from '@golem-sdk/golem-js';
import { errorMessage } from '../../../common/errors.ts';
import type { Logger } from '../../../common/logger.ts';
import type { JobOut } from '../../../proto/types.ts';
import { addTo, billedEvents, emptySplit, splitTotal, type CostPart, type Split } from '../../common/billing.ts';
import type { PoolSpec } from '../../common/workloads.ts';
import { commandFor } from './options.ts';
import { httpStatusOf, orderFor, priceOf, type AgreementWatch, type Ev, type RentContext } from './rent-job.ts';

/** One agreement the pool holds, as the bridge bills it. */
interface Held {
  providerId: string;
  price: { start: number; perHour: number };
  /** When it last became idle (signed, or given back by a job); undefined while a job has it. */
  idleSince: number | undefined;
}

export interface PoolStats {
  /** Agreements signed by the pool, let go after the idle timeout, and lost to their provider. */
  signed: number;
  released: number;
  lost: number;
}

export class WarmRentalPool {
  private pool: ResourceRentalPool | undefined;
  private starting: Promise<ResourceRentalPool> | undefined;
  private readonly held = new Map<string, Held>();
  private readonly prices = new Map<string, { start: number; perHour: number }>();
  /** Capacity billed since the last job was charged: start prices and idle time of rentals let go meanwhile. */
  private pending = emptySplit();
  private billedUntil: number;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping = false;
  private stopped = false;
  readonly stats: PoolStats = { signed: 0, released: 0, lost: 0 };

  constructor(
    private readonly ctx: RentContext,
    readonly name: string,
    readonly spec: PoolSpec,
    private readonly logger: Logger,
  ) {
    this.billedUntil = ctx.clock.nowUs();
  }

  private now(): number {
    return this.ctx.clock.nowUs();
  }

  /** The golem-js pool, created on the workload's first job; its minimum is signed and deployed in the background. */
  private started(): Promise<ResourceRentalPool> {
    this.starting ??= (async () => {
      const { cfg } = this.ctx;
      const pool = await this.ctx.glm.manyOf({
        poolSize: { min: this.spec.minRentals, max: this.spec.maxRentals },
        // Agreements for the whole run: a pooled rental is held across jobs.
        order: orderFor(this.ctx, Math.max(0.5, cfg.allocationHours), (p) => {
          this.prices.set(p.provider.id, priceOf(p));
          return true;
        }),
      });
      pool.events.on('created', ({ agreement }) => {
        this.stats.signed++;
        const price = this.prices.get(agreement.provider.id) ?? { start: 0, perHour: 0 };
        this.held.set(agreement.id, { providerId: agreement.provider.id, price, idleSince: this.now() });
        // Its start price is billed now; the next job to come pays it.
        addTo(this.pending, 'idle', price.start, 0);
      });
      this.pool = pool;
      if (this.spec.minRentals > 0) void this.warm(pool);
      if (this.spec.idleTimeoutUs > 0) {
        this.sweeper = setInterval(() => void this.sweep(), Math.max(200, this.spec.idleTimeoutUs / 4_000));
        this.sweeper.unref();
      }
      return pool;
    })();
    return this.starting;
  }

  /** Signs the minimum and deploys each rental's exe unit, so the first jobs find them ready (a provider ends an agreement left without an activity). */
  private async warm(pool: ResourceRentalPool): Promise<void> {
    const timeout = AbortSignal.timeout(this.ctx.cfg.agreementTimeoutSeconds * 1000);
    const taken: ResourceRental[] = [];
    try {
      await pool.ready(timeout);
      while (pool.getAvailableSize() > 0 && taken.length < this.spec.minRentals) taken.push(await pool.acquire(timeout));
      await Promise.allSettled(taken.map((r) => r.getExeUnit(timeout)));
    } catch (err) {
      if (!this.stopped) this.logger.warn({ workload: this.name, err: errorMessage(err) }, 'warm pool not filled to its minimum yet; jobs sign rentals as they come');
    } finally {
      await Promise.allSettled(taken.map((r) => pool.release(r)));
    }
  }

  /** Bills the capacity held since the last charge up to now into `split` (idle), with what was billed meanwhile. */
  private chargeIdle(split: Split): void {
    const t = this.now();
    for (const k of ['useful', 'idle', 'lost'] as const) addTo(split, k, this.pending[k].amount, this.pending[k].gpuSeconds);
    this.pending = emptySplit();
    for (const h of this.held.values()) {
      if (h.idleSince === undefined) continue;
      const idleUs = Math.max(0, t - Math.max(h.idleSince, this.billedUntil));
      addTo(split, 'idle', (idleUs / 3.6e9) * h.price.perHour, idleUs / 1e6);
    }
    this.billedUntil = t;
  }

  /** The pool's capacity billed since its last charge, up to now (the run's end: charged to its last job). */
  chargeNow(): Split {
    const s = emptySplit();
    this.chargeIdle(s);
    return s;
  }

  /** An idle rental leaves the books: its idle time since the last charge goes to the next job. */
  private forget(agreementId: string): void {
    const h = this.held.get(agreementId);
    if (!h) return;
    this.held.delete(agreementId);
    if (h.idleSince === undefined) return;
    const idleUs = Math.max(0, this.now() - Math.max(h.idleSince, this.billedUntil));
    addTo(this.pending, 'idle', (idleUs / 3.6e9) * h.price.perHour, idleUs / 1e6);
  }

  /** Lets go of rentals idle past the timeout while the pool is above its minimum; golem-js hands out the longest-idle one first. */
  private async sweep(): Promise<void> {
    const pool = this.pool;
    if (!pool || this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      while (pool.getSize() > this.spec.minRentals && pool.getAvailableSize() > 0) {
        const rental = await pool.acquire(AbortSignal.timeout(5_000));
        const h = this.held.get(rental.agreement.id);
        if (!h || h.idleSince === undefined || this.now() - h.idleSince < this.spec.idleTimeoutUs) {
          await pool.release(rental);
          break;
        }
        this.forget(rental.agreement.id);
        this.stats.released++;
        await pool.destroy(rental, this.ctx.cfg.settleTimeoutSeconds * 1000);
      }
    } catch (err) {
      this.logger.warn({ workload: this.name, err: errorMessage(err) }, 'idle rentals not trimmed');
    } finally {
      this.sweeping = false;
    }
  }

  /** Runs one job on a rental of the pool, retried on another rental after a provider loss, up to maxAttempts. */
  async run(job: JobOut, write: (e: Ev) => void, signal: AbortSignal): Promise<void> {
    const { cfg, clock } = this.ctx;
    const now = () => clock.nowUs();
    const split = emptySplit();
    let attempt = 1;
    const outcome = (e: Ev) => {
      const { amount, gpuSeconds } = splitTotal(split);
      write({ ...e, amount, amountUsd: amount * cfg.glmUsd, currency: 'GLM', usdRate: cfg.glmUsd, billedGpuSeconds: gpuSeconds });
      for (const b of billedEvents(0, attempt, this.name, split, 'GLM', cfg.glmUsd)) write({ ...b.event, atUs: e.atUs });
    };
    const authFailed = (detail: string) => outcome({ type: 'FAILED', atUs: now(), attempt, errorClass: 'auth_failed', detail });
    let pool: ResourceRentalPool;
    try {
      pool = await this.started();
    } catch (err) {
      return ctxAuth(this.ctx, err) ? authFailed(errorMessage(err)) : outcome({ type: 'FAILED', atUs: now(), attempt, errorClass: 'no_offers', detail: `rental pool not created: ${errorMessage(err)}` });
    }
    for (;;) {
      if (this.ctx.unauthorized()) return authFailed('yagna refused the app key (401)');
      let rental: ResourceRental;
      try {
        // A busy pool queues its jobs (golem-js hands each released rental to the longest waiter): bounded by the queue timeout, not one negotiation's.
        rental = await pool.acquire(AbortSignal.any([signal, AbortSignal.timeout(cfg.poolQueueTimeoutSeconds * 1000)]));
      } catch (err) {
        if (ctxAuth(this.ctx, err)) return authFailed(errorMessage(err));
        if (signal.aborted) return outcome({ type: 'CANCELLED', atUs: now(), attempt });
        return outcome({ type: 'FAILED', atUs: now(), attempt, errorClass: 'no_offers', detail: `no rental of the pool free or signed within ${cfg.poolQueueTimeoutSeconds} s: ${errorMessage(err)}` });
      }
      const agreement = rental.agreement;
      const providerId = agreement.provider.id;
      const h = this.held.get(agreement.id) ?? { providerId, price: this.prices.get(providerId) ?? { start: 0, perHour: 0 }, idleSince: undefined };
      this.held.set(agreement.id, h);
      // This job pays the pool's capacity billed since the previous job; from here the rental is its own.
      this.chargeIdle(split);
      h.idleSince = undefined;
      const acquiredAt = now();
      const watch: AgreementWatch = { write, attempt };
      const terminated = new Promise<undefined>((resolve) => (watch.onTerminated = () => resolve(undefined)));
      this.ctx.watch(agreement.id, watch);
      write({ type: 'PROVIDER_ASSIGNED', atUs: acquiredAt, attempt, providerId, pricePerHour: h.price.perHour, currency: 'GLM', gpuClass: this.ctx.gpuClassOf(providerId) });
      let failure: { part: CostPart; kind: 'lost' | 'fatal' | 'cancelled'; reason: string } | undefined;
      try {
        const fresh = !rental.hasActivity();
        const exe = await Promise.race([rental.getExeUnit(AbortSignal.any([signal, AbortSignal.timeout(cfg.agreementTimeoutSeconds * 1000)])), terminated]);
        if (!exe) throw new Error('agreement terminated during deploy');
        if (fresh) write({ type: 'IMAGE_PULLED', atUs: now(), attempt, providerId, bytes: Number(job.imageBytes) });
        write({ type: 'STARTED', atUs: now(), attempt, providerId });
        const result = await Promise.race([exe.run(commandFor(cfg.command, job), { signalOrTimeout: signal }), terminated]);
        if (!result || result.result !== 'Ok') {
          // The failed batch and the termination event race each other; give the event a moment.
          await Promise.race([terminated, new Promise((r) => setTimeout(r, 1_500))]);
          failure = watch.terminated?.by === 'Provider' || !result ? { part: 'lost', kind: 'lost', reason: watch.terminated?.reason ?? 'agreement terminated' } : { part: 'useful', kind: 'fatal', reason: String(result.stderr || result.message || 'command failed') };
        }
      } catch (err) {
        if (signal.aborted) failure = { part: 'lost', kind: 'cancelled', reason: 'cancelled' };
        else if (ctxAuth(this.ctx, err)) failure = { part: 'lost', kind: 'fatal', reason: errorMessage(err) };
        else failure = { part: 'lost', kind: 'lost', reason: watch.terminated?.reason ?? `activity failed: ${errorMessage(err)}` };
      } finally {
        this.ctx.watch(agreement.id, undefined);
      }
      const busyUs = now() - acquiredAt;
      addTo(split, failure?.part ?? 'useful', (busyUs / 3.6e9) * h.price.perHour, busyUs / 1e6);
      if (!failure || failure.kind === 'fatal') {
        // The rental is fine (the job's own command failed, or it completed): back to the pool, idle from now.
        h.idleSince = now();
        void pool.release(rental).catch((err: unknown) => this.logger.warn({ err: errorMessage(err) }, 'rental not returned to the pool'));
        if (!failure) return outcome({ type: 'COMPLETED', atUs: now(), attempt, providerId, bytes: Number(job.outputBytes) });
        if (this.ctx.unauthorized() || /401/.test(failure.reason)) return authFailed(failure.reason);
        return outcome({ type: 'FAILED', atUs: now(), attempt, providerId, errorClass: 'job_failed', detail: failure.reason });
      }
      // An interrupted job or a lost provider: the agreement is ended (invoiced), and the pool refills its minimum.
      this.held.delete(agreement.id);
      void pool.destroy(rental, cfg.settleTimeoutSeconds * 1000).finally(() => this.refill(pool));
      if (failure.kind === 'cancelled') return outcome({ type: 'CANCELLED', atUs: now(), attempt });
      this.stats.lost++;
      write({ type: 'PROVIDER_LOST', atUs: now(), attempt, providerId, reason: failure.reason });
      if (attempt >= cfg.maxAttempts) return outcome({ type: 'FAILED', atUs: now(), attempt, errorClass: 'provider_lost', detail: `provider_lost on all ${cfg.maxAttempts} attempts (last: ${failure.reason})` });
      attempt++;
      write({ type: 'RETRYING', atUs: now(), attempt, providerId, reason: `provider_lost: ${failure.reason}` });
    }
  }

  /** After a loss: signs rentals back up to the minimum (golem-js does not by itself). */
  private refill(pool: ResourceRentalPool): void {
    if (this.stopped || pool.getSize() >= this.spec.minRentals) return;
    void this.warm(pool);
  }

  /** Ends every rental (terminated, invoices awaited) and stops trimming. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    const pool = await this.starting?.catch(() => undefined);
    await pool?.drainAndClear(this.ctx.cfg.settleTimeoutSeconds * 1000).catch((err: unknown) => this.logger.warn({ err: errorMessage(err) }, 'rental pool not drained'));
  }
}

const ctxAuth = (ctx: RentContext, err: unknown) => ctx.unauthorized() || httpStatusOf(err) === 401;
