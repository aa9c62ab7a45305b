// One job on the Golem network: rent a provider through golem-js, run the
// job's command, and tell the harness what happened as JobEvents. A provider
// that terminates the agreement is a provider loss; the job is tried again on
// a provider it has not lost, up to maxAttempts. Every agreement the job
// opened is finalized (terminated, invoice accepted → SETTLED) before its
// stream ends, so the job's cost is what it was invoiced.
import type { Allocation, GolemNetwork, ResourceRental } from '@golem-sdk/golem-js';
import type { Clock } from '../../../common/clock.ts';
import type { JobEvent, JobOut } from '../../../proto/types.ts';
import { commandFor, type GolemBridgeConfig } from './options.ts';
import { errorMessage } from '../../../common/errors.ts';
import { markEvents, marksFromStdout } from '../stream-marks.ts';

export type Ev = Omit<JobEvent, 'jobId'>;

/** What the bridge learns about one agreement from golem-js's global event streams. */
export interface AgreementWatch {
  write: (e: Ev) => void;
  attempt: number;
  terminated?: { reason: string; by: 'Provider' | 'Requestor' };
  onTerminated?: () => void;
  /** Its invoice was accepted (SETTLED written). */
  settled?: boolean;
  onSettled?: () => void;
}

export interface RentContext {
  glm: GolemNetwork;
  cfg: GolemBridgeConfig;
  clock: Clock;
  allocation: Allocation;
  /** Registers an agreement so its debit notes, invoices and termination reach this job; `undefined` unregisters. */
  watch(agreementId: string, watch: AgreementWatch | undefined): void;
  gpuClassOf(providerId: string): string;
  /** Terminates the rental and waits (bounded) for its invoice to be accepted. */
  finalize(rental: ResourceRental): Promise<void>;
  /** True once yagna has refused the app key. */
  unauthorized(): boolean;
}

/** GPU memory as vm-nvidia providers publish it (GAP-35), single- or multi-device form. */
const GPU_MEM = ['golem.!exp.gap-35.v1.inf.gpu.memory.total.gib', 'golem.!exp.gap-35.v1.inf.gpu.d0.memory.total.gib'];

export function httpStatusOf(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const o = e as { status?: unknown; previous?: unknown; cause?: unknown };
    if (typeof o.status === 'number') return o.status;
    e = o.previous ?? o.cause;
  }
  return undefined;
}

type Order = Parameters<GolemNetwork['oneOf']>[0]['order'];
type Offer = Parameters<NonNullable<Order['market']['offerProposalFilter']>>[0];

/** An offer's linear price: GLM per agreement start and per hour (env + CPU). */
export const priceOf = (p: Offer) => ({ start: p.pricing.start, perHour: (p.pricing.envSec + p.pricing.cpuSec) * 3600 });

/** What the bridge asks the market for, one rental (oneOf) or a pool's (manyOf): the workload, the price limits, the allocation. */
export function orderFor(ctx: Pick<RentContext, 'cfg' | 'allocation'>, rentHours: number, offerProposalFilter: (p: Offer) => boolean): Order {
  const { cfg } = ctx;
  return {
    demand: {
      workload: {
        ...(cfg.imageUrl && cfg.imageHash ? { imageUrl: cfg.imageUrl, imageHash: cfg.imageHash } : { imageTag: cfg.imageTag! }),
        runtime: { name: cfg.runtime },
        capabilities: cfg.capabilities,
        minMemGib: cfg.minMemGib,
        minStorageGib: cfg.minStorageGib,
        minCpuThreads: cfg.minCpuThreads,
      },
    },
    market: {
      rentHours,
      pricing: { model: 'linear', maxStartPrice: cfg.maxStartPrice, maxEnvPerHourPrice: cfg.maxEnvPerHourPrice, maxCpuPerHourPrice: cfg.maxCpuPerHourPrice },
      offerProposalFilter,
    },
    payment: { allocation: ctx.allocation },
  };
}

/** How an attempt ended when it did not complete. */
type Failure =
  | { kind: 'lost'; reason: string } // the provider terminated the agreement: PROVIDER_LOST, then retry elsewhere
  | { kind: 'retry'; reason: string; errorClass: string } // this provider could not start it: retry elsewhere
  | { kind: 'fatal'; reason: string; errorClass: string }; // the job itself failed

/** Agreement length asked for: three times the recorded work plus ten minutes for deploy, in 0.1 h steps. */
export const rentHoursFor = (workSeconds: number) => Math.max(0.1, Math.ceil(((workSeconds * 3 + 600) / 3600) * 10) / 10);

export async function rentJob(ctx: RentContext, job: JobOut, write: (e: Ev) => void, signal: AbortSignal): Promise<void> {
  const { glm, cfg, clock } = ctx;
  const lost = new Set<string>();
  const settling: Promise<void>[] = [];
  const watched: { id: string; watch: AgreementWatch }[] = [];
  let billedSeconds = 0;
  let estimate = 0;
  let attempt = 1;
  const now = () => clock.nowUs();
  // The outcome carries the running estimate; SETTLED events from the invoices replace it in the stored cost.
  const outcome = (e: Ev) => write({ ...e, amount: estimate, amountUsd: estimate * cfg.glmUsd, currency: 'GLM', usdRate: cfg.glmUsd, billedGpuSeconds: billedSeconds * Math.max(1, job.gpuCount) });
  const authFailed = (detail: string) => outcome({ type: 'FAILED', atUs: now(), attempt, errorClass: 'auth_failed', detail });
  // The stream ends when each finalized agreement's invoice is accepted (SETTLED), or at the settle timeout from its finalize.
  const settleBy = new Map<string, number>();
  const settle = (rental: ResourceRental) => {
    settleBy.set(rental.agreement.id, Date.now() + cfg.settleTimeoutSeconds * 1000);
    settling.push(ctx.finalize(rental));
  };
  try {
    for (;;) {
      if (ctx.unauthorized()) return authFailed('yagna refused the app key (401)');
      const offered = new Set<string>();
      const prices = new Map<string, { start: number; perHour: number }>();
      const timeout = AbortSignal.timeout(cfg.agreementTimeoutSeconds * 1000);
      let rental: ResourceRental;
      try {
        rental = await glm.oneOf({
          order: orderFor(ctx, rentHoursFor(job.workSeconds), (p) => {
            const props = p.properties as Record<string, unknown>;
            const vram = GPU_MEM.map((k) => Number(props[k])).find((v) => Number.isFinite(v));
            if (lost.has(p.provider.id) || (vram !== undefined && vram < job.vramGb)) return false;
            offered.add(p.provider.id);
            prices.set(p.provider.id, priceOf(p));
            return true;
          }),
          signalOrTimeout: AbortSignal.any([signal, timeout]),
        });
      } catch (err) {
        const offers = offered.size;
        if (ctx.unauthorized() || httpStatusOf(err) === 401) return authFailed(errorMessage(err));
        if (signal.aborted) return outcome({ type: 'CANCELLED', atUs: now(), attempt });
        if (offers) write({ type: 'OFFER_RECEIVED', atUs: now(), attempt, offers });
        return outcome({
          type: 'FAILED',
          atUs: now(),
          attempt,
          errorClass: offers ? 'negotiation_failed' : 'no_offers',
          detail: timeout.aborted ? `no agreement within ${cfg.agreementTimeoutSeconds} s (${offers} acceptable offers)` : errorMessage(err),
        });
      }
      const agreement = rental.agreement;
      const provider = agreement.provider;
      const price = prices.get(provider.id);
      const watch: AgreementWatch = { write, attempt };
      const terminated = new Promise<undefined>((resolve) => (watch.onTerminated = () => resolve(undefined)));
      ctx.watch(agreement.id, watch);
      watched.push({ id: agreement.id, watch });
      // Offers counted once per provider: golem-js shows the filter both the initial offer and the provider's draft.
      write({ type: 'OFFER_RECEIVED', atUs: now(), attempt, offers: Math.max(1, offered.size) });
      write({ type: 'PROVIDER_ASSIGNED', atUs: now(), attempt, providerId: provider.id, pricePerHour: price?.perHour ?? 0, currency: 'GLM', gpuClass: ctx.gpuClassOf(provider.id) });
      let startedAt = 0;
      let streamed: string | ArrayBuffer | null | undefined;
      let failure: Failure | undefined;
      const lostOr = (other: Failure): Failure => (watch.terminated?.by === 'Provider' ? { kind: 'lost', reason: watch.terminated.reason } : other);
      try {
        const exe = await Promise.race([rental.getExeUnit(AbortSignal.any([signal, AbortSignal.timeout(cfg.agreementTimeoutSeconds * 1000)])), terminated]);
        if (!exe) throw new Error('agreement terminated during deploy');
        write({ type: 'IMAGE_PULLED', atUs: now(), attempt, providerId: provider.id, bytes: Number(job.imageBytes) });
        startedAt = now();
        write({ type: 'STARTED', atUs: startedAt, attempt, providerId: provider.id });
        const result = await Promise.race([exe.run(commandFor(cfg.command, job), { signalOrTimeout: signal }), terminated]);
        streamed = result?.stdout;
        if (!result || result.result !== 'Ok') {
          // The failed batch and the termination event race each other; give the event a moment.
          await Promise.race([terminated, new Promise((r) => setTimeout(r, 1_500))]);
          failure = lostOr({ kind: 'fatal', reason: String(result?.stderr || result?.message || 'command failed'), errorClass: 'job_failed' });
        }
      } catch (err) {
        if (signal.aborted || ctx.unauthorized() || httpStatusOf(err) === 401) {
          if (startedAt) billedSeconds += (now() - startedAt) / 1e6;
          settle(rental);
          return ctx.unauthorized() || httpStatusOf(err) === 401 ? authFailed(errorMessage(err)) : outcome({ type: 'CANCELLED', atUs: now(), attempt });
        }
        failure = lostOr({ kind: 'retry', reason: `activity failed: ${errorMessage(err)}`, errorClass: 'activity_create_failed' });
      }
      if (startedAt) billedSeconds += (now() - startedAt) / 1e6;
      estimate += (price?.start ?? 0) + ((startedAt ? now() - startedAt : 0) / 3.6e9) * (price?.perHour ?? 0);
      settle(rental);
      if (!failure) {
        // A streaming workload's marks on stdout: its first token and tokens, placed after STARTED (stream-marks.ts).
        const marks = marksFromStdout(streamed);
        for (const e of markEvents(marks, { startedUs: startedAt, attempt, providerId: provider.id })) write(e);
        return outcome({ type: 'COMPLETED', atUs: now(), attempt, providerId: provider.id, bytes: Number(job.outputBytes), tokens: marks.outputTokens ?? marks.progress.at(-1)?.n ?? 0 });
      }
      if (failure.kind === 'fatal') return outcome({ type: 'FAILED', atUs: now(), attempt, providerId: provider.id, errorClass: failure.errorClass, detail: failure.reason });
      const errorClass = failure.kind === 'lost' ? 'provider_lost' : failure.errorClass;
      if (failure.kind === 'lost') write({ type: 'PROVIDER_LOST', atUs: now(), attempt, providerId: provider.id, reason: failure.reason });
      lost.add(provider.id);
      if (attempt >= cfg.maxAttempts) return outcome({ type: 'FAILED', atUs: now(), attempt, errorClass, detail: `${errorClass} on all ${cfg.maxAttempts} attempts (last: ${failure.reason})` });
      attempt++;
      write({ type: 'RETRYING', atUs: now(), attempt, providerId: provider.id, reason: `${errorClass}: ${failure.reason}` });
    }
  } finally {
    // Invoices of every agreement this job opened settle on its stream before it ends.
    await Promise.all(settling);
    // The accepted-invoice event can come after the finalize resolved, or after it gave up under load: wait for the event itself.
    await Promise.all(
      watched
        .filter(({ id, watch }) => !watch.settled && settleBy.has(id))
        .map(({ id, watch }) => new Promise<void>((resolve) => {
          watch.onSettled = resolve;
          setTimeout(resolve, Math.max(0, settleBy.get(id)! - Date.now())).unref();
        })),
    );
    for (const { id } of watched) ctx.watch(id, undefined);
  }
}
