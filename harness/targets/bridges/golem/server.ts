// The decentralized-network bridge: a ComputeTarget gRPC server that rents a
// Golem provider through golem-js for each job (rent-job.ts). This module owns
// the connection: the gateway to yagna, one allocation sized and timed for the
// run, golem-js's market and payment events routed to the job whose agreement
// they concern (debit notes accepted → DEBIT_NOTE, invoices accepted →
// SETTLED, terminations → provider losses), providers seen on the market as
// the provider stream, and a shutdown that ends every rental and releases the
// allocation. The harness does not change.
import { setMaxListeners } from 'node:events';
import { GolemNetwork, type Allocation, type ResourceRental } from '@golem-sdk/golem-js';
import { config as rxjsConfig } from 'rxjs';
import { systemClock, type Clock } from '../../../common/clock.ts';
import { errorMessage, TargetError } from '../../../common/errors.ts';
import { silentLogger, type Logger } from '../../../common/logger.ts';
import { Semaphore } from '../../../common/semaphore.ts';
import type { JobOut } from '../../../proto/types.ts';
import { startTargetServer } from '../../common/server.ts';
import type { RunningTarget } from '../../common/sim-server.ts';
import { cancelHandler, openRun, ProviderBroadcast } from '../common.ts';
import { startYagnaGateway, type GatewayStats } from './gateway.ts';
import { resolveGolemConfig, type GolemSettingsInput } from './options.ts';
import { httpStatusOf, rentJob, type AgreementWatch, type Ev } from './rent-job.ts';
import { billedEvents, splitTotal } from '../../common/billing.ts';
import { WarmRentalPool } from './rental-pool.ts';
import { describeDeployments, resolveWorkloads, workloadOf, WorkloadSchema, type ResolvedWorkload, type Workload } from '../../common/workloads.ts';
import { type TargetHandlers } from '../../../proto/run-many-server.ts';

/** How the bridge serves each job: the scenario's workloads, else one pool for every job when poolMaxRentals is set, else a rental per job (undefined). */
export function bridgeDeployments(workloads: readonly Workload[] | undefined, cfg: { poolMaxRentals?: number; poolMinRentals: number; poolIdleTimeoutSeconds: number }): ResolvedWorkload[] | undefined {
  if (workloads?.length) return resolveWorkloads(workloads);
  if (cfg.poolMaxRentals === undefined) return undefined;
  const all = WorkloadSchema.parse({ name: 'all', network: { mode: 'pool', minRentals: cfg.poolMinRentals, maxRentals: Math.max(cfg.poolMaxRentals, cfg.poolMinRentals), idleTimeoutSeconds: cfg.poolIdleTimeoutSeconds } });
  return resolveWorkloads([all]);
}

export { httpStatusOf } from './rent-job.ts';

/** The bridge's settings (options.ts) and what only a running process has: the app key, where to listen, clock and logger. */
export interface GolemBridgeOptions extends GolemSettingsInput {
  appKey: string;
  /**
   * The scenario's workloads: when it declares any, each is served as on the
   * decentralized simulator (resolveWorkloads, defaults for the rest): a warm
   * rental pool per pooled workload, a rental per job otherwise.
   */
  workloads?: readonly Workload[];
  /**
   * Jobs the run will send (as a simulator's runJobs): the run ends with the
   * last outcome, and the pools' capacity held since their last charge is
   * charged to that job. Unset: not charged.
   */
  runJobs?: number;
  host?: string;
  port?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface RunningGolemBridge extends RunningTarget {
  gateway: GatewayStats;
}

const GPU_MODEL = 'golem.!exp.gap-35.v1.inf.gpu.model';

export async function startGolemBridge(opts: GolemBridgeOptions): Promise<RunningGolemBridge> {
  const { host, port, clock: givenClock, logger: givenLogger, workloads, runJobs, ...settings } = opts;
  const cfg = resolveGolemConfig(settings);
  const clock = givenClock ?? systemClock();
  const logger = givenLogger ?? silentLogger();
  const gateway = await startYagnaGateway({ target: cfg.yagnaUrl, retries: cfg.gatewayRetries, maxRetryAfterSec: cfg.gatewayMaxRetryAfterSec, baseDelayMs: cfg.gatewayBaseDelayMs, logger });
  // golem-js reports a failed background call through rxjs; never let it end the process.
  const previousUnhandled = rxjsConfig.onUnhandledError;
  rxjsConfig.onUnhandledError = (err: unknown) => logger.warn({ err: errorMessage(err) }, 'golem-js background error');

  const glm = new GolemNetwork({
    api: { key: cfg.appKey, url: gateway.url },
    payment: { driver: cfg.driver, network: cfg.network },
  });
  // Every concurrent oneOf() listens on golem-js's own abort signal; allow one per rental slot
  // (it is private in the typings, so reached only if present).
  const own = (glm as unknown as { abortController?: AbortController }).abortController;
  if (own) setMaxListeners(cfg.maxRentals + 50, own.signal);
  let allocation: Allocation | undefined;
  try {
    await glm.connect();
    allocation = await glm.payment.createAllocation({ budget: cfg.budgetGlm, expirationSec: Math.round(cfg.allocationHours * 3600) });
  } catch (err) {
    await glm.disconnect().catch(() => undefined);
    await gateway.stop();
    rxjsConfig.onUnhandledError = previousUnhandled;
    const status = httpStatusOf(err);
    throw new TargetError('TARGET_UNAVAILABLE', 'golem', `cannot start on yagna at ${cfg.yagnaUrl}${status === 401 ? ' (401: app key expired or invalid)' : ''}: ${errorMessage(err)}`, { cause: err });
  }

  const agreements = new Map<string, AgreementWatch>();
  const running = new Map<string, () => void>();
  const rentals = new Set<ResourceRental>();
  const providers = new ProviderBroadcast();
  const seenProviders = new Map<string, string>();
  const slots = new Semaphore(cfg.maxRentals);
  const authAborts = new Set<AbortController>();
  let unauthorized = false;

  // A pool's demand stays published until golem-js's disconnect unpublishes it, without waiting: the bridge waits for it.
  let publishedDemands = 0;
  let allUnpublished: (() => void) | undefined;
  glm.market.events.on('demandSubscriptionStarted', () => publishedDemands++);
  glm.market.events.on('demandSubscriptionStopped', () => {
    if (--publishedDemands <= 0) allUnpublished?.();
  });
  glm.market.events.on('offerProposalReceived', ({ offerProposal }) => {
    const id = offerProposal.provider.id;
    if (seenProviders.has(id)) return;
    const gpu = String((offerProposal.properties as Record<string, unknown>)[GPU_MODEL] ?? cfg.runtime);
    seenProviders.set(id, gpu);
    providers.publish({ providerId: id, online: true, gpuClass: gpu, region: 'golem', reason: 'offer', atUs: clock.nowUs() });
  });
  glm.market.events.on('agreementTerminated', ({ agreement, reason, terminatedBy }) => {
    const w = agreements.get(agreement.id);
    if (w && !w.terminated) {
      w.terminated = { reason: reason || 'no reason given', by: terminatedBy };
      w.onTerminated?.();
    }
    if (terminatedBy === 'Provider' && seenProviders.has(agreement.provider.id)) {
      providers.publish({ providerId: agreement.provider.id, online: false, gpuClass: seenProviders.get(agreement.provider.id) ?? '', region: 'golem', reason: `agreement terminated by provider: ${reason}`, atUs: clock.nowUs() });
      // Its next offer starts a new session on the provider stream.
      seenProviders.delete(agreement.provider.id);
    }
  });
  const glmEvent = (type: 'DEBIT_NOTE' | 'SETTLED', agreementId: string, providerId: string, amountText: string) => {
    const w = agreements.get(agreementId);
    const amount = Number(amountText);
    w?.write({ type, atUs: clock.nowUs(), attempt: w.attempt, providerId, amount, currency: 'GLM', usdRate: cfg.glmUsd, amountUsd: amount * cfg.glmUsd });
    if (w && type === 'SETTLED') {
      w.settled = true;
      w.onSettled?.();
    }
  };
  glm.payment.events.on('debitNoteAccepted', ({ debitNote }) => glmEvent('DEBIT_NOTE', debitNote.agreementId, debitNote.provider.id, debitNote.totalAmountDue));
  glm.payment.events.on('invoiceAccepted', ({ invoice }) => glmEvent('SETTLED', invoice.agreementId, invoice.provider.id, invoice.amount));
  // A refused key will not start working again: end every waiting attempt now.
  gateway.onStatus = (status) => {
    if (status !== 401 || unauthorized) return;
    unauthorized = true;
    logger.error('yagna refused the app key (401); jobs fail as auth_failed');
    for (const ac of authAborts) ac.abort(new Error('yagna refused the app key (401)'));
  };

  const finalize = async (rental: ResourceRental) => {
    rentals.add(rental);
    try {
      await rental.stopAndFinalize(cfg.settleTimeoutSeconds * 1000);
    } catch (err) {
      logger.warn({ err: errorMessage(err) }, 'rental not finalized in time (no invoice yet)');
    } finally {
      rentals.delete(rental);
    }
  };
  const ctx = {
    glm,
    cfg,
    clock,
    allocation: allocation!,
    watch: (id: string, w: AgreementWatch | undefined) => (w ? agreements.set(id, w) : agreements.delete(id)),
    gpuClassOf: (id: string) => seenProviders.get(id) ?? '',
    finalize,
    unauthorized: () => unauthorized,
  };

  const deployments = bridgeDeployments(workloads, cfg);
  const pools = new Map<string, WarmRentalPool>();
  /** The job's warm pool, or undefined when it gets a rental of its own (per-job workload, or a multi-GPU job). */
  const poolFor = (job: JobOut): WarmRentalPool | undefined => {
    const w = deployments && workloadOf(deployments, job);
    if (!w || w.network.mode !== 'pool' || Math.max(1, job.gpuCount) > 1) return undefined;
    let pool = pools.get(w.name);
    if (!pool) pools.set(w.name, (pool = new WarmRentalPool(ctx, w.name, w.network, logger.child({ workload: w.name }))));
    return pool;
  };

  let outcomes = 0;
  /**
   * Writes a job's event; on the run's last outcome, adds every pool's
   * capacity since its last charge (the run ends here) to it, as BILLED per
   * workload — and, for a job whose cost is its invoices, as a SETTLED the
   * pools' final invoices will cover.
   */
  const writeWithTail = (write: (e: Ev) => void, pooled: boolean) => (e: Ev) => {
    const outcome = e.type === 'COMPLETED' || e.type === 'FAILED' || e.type === 'CANCELLED';
    if (!outcome || runJobs === undefined || ++outcomes !== runJobs) return write(e);
    const tail = [...pools].map(([name, p]) => [name, p.chargeNow()] as const);
    const total = tail.reduce((t, [, s]) => ({ amount: t.amount + splitTotal(s).amount, gpuSeconds: t.gpuSeconds + splitTotal(s).gpuSeconds }), { amount: 0, gpuSeconds: 0 });
    write({ ...e, amount: Number(e.amount ?? 0) + total.amount, amountUsd: Number(e.amountUsd ?? 0) + total.amount * cfg.glmUsd, billedGpuSeconds: Number(e.billedGpuSeconds ?? 0) + total.gpuSeconds });
    for (const [name, s] of tail) for (const b of billedEvents(0, e.attempt ?? 1, name, s, 'GLM', cfg.glmUsd)) write({ ...b.event, atUs: e.atUs });
    if (!pooled && total.amount > 0) write({ type: 'SETTLED', atUs: e.atUs, attempt: e.attempt, amount: total.amount, amountUsd: total.amount * cfg.glmUsd, currency: 'GLM', usdRate: cfg.glmUsd });
  };

  const handlers: TargetHandlers = {
    Describe: (_call, cb) =>
      cb(null, {
        name: 'golem',
        kind: 'DECENTRALIZED',
        gpuClasses: [{ gpuClass: cfg.runtime, pricePerGpuHour: cfg.maxEnvPerHourPrice, priority: 'market', capacity: 0 }],
        priceModel: `linear GLM per agreement: start ≤ ${cfg.maxStartPrice}, per hour ≤ ${cfg.maxEnvPerHourPrice} (+ CPU-hour ≤ ${cfg.maxCpuPerHourPrice}); settled from accepted invoices`,
        currency: 'GLM',
        parameters: {
          source: 'Golem network through golem-js and a yagna requestor node',
          payment_network: `${cfg.driver}-${cfg.network}`,
          allocation_glm: String(cfg.budgetGlm),
          image: cfg.imageTag ?? `${cfg.imageUrl}#${cfg.imageHash}`,
          runtime: `${cfg.runtime} [${cfg.capabilities.join(',')}]`,
          command: cfg.command,
          max_attempts: String(cfg.maxAttempts),
          glm_usd: `${cfg.glmUsd} USD/GLM [A] given to the bridge`,
          ...(deployments ? describeDeployments(deployments, 'network', () => `≤ ${cfg.maxEnvPerHourPrice} GLM/h (offers' linear prices)`) : {}),
        },
        version: 'golem-bridge-1',
        seed: 0,
      }),
    Run: (call) => {
      const ac = new AbortController();
      const run = openRun(call, running, () => ac.abort(new Error('cancelled')));
      if (!run) return;
      const { req } = run;
      // A pooled job waits for a rental of its pool (golem-js queues it); the pool's maximum bounds its agreements.
      const pool = poolFor(req.job);
      const write = writeWithTail(run.write, pool !== undefined);
      // golem-js adds an abort listener per step (negotiation, deploy, each exec poll) to the job's signal.
      setMaxListeners(200, ac.signal);
      authAborts.add(ac);
      call.on('cancelled', () => ac.abort(new Error('stream cancelled')));
      void (async () => {
        write({ type: 'QUEUED', atUs: clock.nowUs(), attempt: 1 });
        if (pool) return pool.run(req.job, write, ac.signal);
        if (!(await slots.acquire(ac.signal))) return write({ type: 'CANCELLED', atUs: clock.nowUs(), attempt: 1 });
        try {
          await rentJob(ctx, req.job, write, ac.signal);
        } finally {
          slots.release();
        }
      })()
        .catch((err: unknown) => {
          logger.error({ err: errorMessage(err), jobId: req.jobId }, 'golem bridge job failed unexpectedly');
          write({ type: 'FAILED', atUs: clock.nowUs(), attempt: 1, errorClass: 'bridge_error', detail: errorMessage(err) });
        })
        .finally(() => {
          authAborts.delete(ac);
          run.close();
        });
    },
    WatchProviders: (call) => providers.add(call, [...seenProviders].map(([id, gpu]) => ({ providerId: id, online: true, gpuClass: gpu, region: 'golem', reason: 'offer', atUs: clock.nowUs() }))),
    WatchPrices: (call) => {
      call.write({ currency: 'GLM', usdRate: cfg.glmUsd, atUs: clock.nowUs() });
    },
    Cancel: cancelHandler(running),
  };

  const server = await startTargetServer(handlers, { host, port });
  return {
    name: 'golem',
    kind: 'decentralized',
    address: server.address,
    port: server.port,
    gateway: gateway.stats,
    stop: async () => {
      // Stop taking jobs, end the open rentals (terminate, wait for invoices), release the allocation.
      // Cancelled jobs finalize their own rentals before their streams end; wait for those streams.
      for (const cancel of running.values()) cancel();
      const deadline = Date.now() + cfg.settleTimeoutSeconds * 1000;
      while (running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await Promise.all([...rentals].map((r) => finalize(r)));
      await Promise.all([...pools.values()].map((p) => p.stop()));
      await server.stop();
      if (allocation) await glm.payment.releaseAllocation(allocation).catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'allocation not released'));
      await glm.disconnect().catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'golem-js disconnect failed'));
      if (publishedDemands > 0) {
        await new Promise<void>((resolve) => {
          allUnpublished = resolve;
          setTimeout(resolve, 10_000).unref();
        });
      }
      await gateway.stop();
      rxjsConfig.onUnhandledError = previousUnhandled;
    },
  };
}
