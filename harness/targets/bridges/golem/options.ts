// What the Golem bridge rents and how it pays: the demand (runtime, image,
// resources), the price limits, the allocation and the payment network. The
// defaults are the documented ones; testnet unless mainnet is asked for.
import { DEFAULTS } from '../../../common/defaults.ts';
import { ConfigError } from '../../../common/errors.ts';

export interface GolemBridgeConfig {
  /** yagna's REST API and an app key (`yagna app-key create requestor`). */
  yagna: { url: string; appKey: string };
  payment: {
    driver: string;
    /** `holesky` (default), other testnets, or `polygon`/`mainnet` with `allowMainnet`. */
    network: string;
    /** Spending real GLM must be asked for explicitly. */
    allowMainnet: boolean;
    /** Allocation size in GLM for the whole run. */
    budgetGlm: number;
    /** Allocation lifetime; it must outlast the run plus settlement. */
    allocationHours: number;
  };
  workload: {
    /** `imageTag` (resolved through the Golem registry) or `imageUrl` + `imageHash` (SHA3-224), which needs no registry. */
    imageTag?: string;
    imageUrl?: string;
    imageHash?: string;
    /** `vm-nvidia` is the GPU runtime; its offers carry `!exp:gpu`. */
    runtime: string;
    capabilities: string[];
    minMemGib: number;
    minStorageGib: number;
    minCpuThreads: number;
    /**
     * The command run for each job, with {work_seconds}, {job_id}, {task_type},
     * {input_bytes}, {output_bytes} filled in. The default only holds the
     * rental for the recorded work time; a campaign that runs the real
     * workload gives its image's command here.
     */
    command: string;
  };
  /** Linear price limits in GLM, as golem-js filters offers with them. */
  pricing: { maxStartPrice: number; maxEnvPerHourPrice: number; maxCpuPerHourPrice: number };
  /** Attempts per job, each on a provider this job has not lost yet. */
  maxAttempts: number;
  /** How long one attempt may wait for an agreement. */
  agreementTimeoutMs: number;
  /** How long a finished rental may wait for its invoice before the job's stream ends without SETTLED. */
  settleTimeoutMs: number;
  /** Rentals open at once; further jobs wait (QUEUED) for a slot. */
  maxConcurrentRentals: number;
  /** GLM→USD rate for the price ticks (no price feed is reached from here; set it to the rate of the run's day). */
  usdRate: number;
  /** Retry policy of the gateway in front of yagna. */
  gateway: { retries: number; maxRetryAfterSec: number; baseDelayMs: number };
}

const TESTNETS = new Set(['holesky', 'sepolia', 'goerli', 'mumbai', 'amoy', 'rinkeby']);

const d = DEFAULTS.bridges.golem;
export const GOLEM_DEFAULTS: Omit<GolemBridgeConfig, 'yagna'> = {
  payment: { driver: d.paymentDriver, network: d.paymentNetwork, allowMainnet: false, budgetGlm: d.budgetGlm, allocationHours: d.allocationHours },
  workload: {
    imageTag: d.imageTag,
    runtime: d.runtime,
    capabilities: [...d.capabilities],
    minMemGib: d.minMemGib,
    minStorageGib: d.minStorageGib,
    minCpuThreads: d.minCpuThreads,
    command: d.command,
  },
  pricing: { maxStartPrice: d.maxStartPrice, maxEnvPerHourPrice: d.maxEnvPerHourPrice, maxCpuPerHourPrice: d.maxCpuPerHourPrice },
  maxAttempts: d.maxAttempts,
  agreementTimeoutMs: d.agreementTimeoutMs,
  settleTimeoutMs: d.settleTimeoutMs,
  maxConcurrentRentals: d.maxConcurrentRentals,
  usdRate: d.usdRate,
  gateway: { retries: d.gatewayRetries, maxRetryAfterSec: d.gatewayMaxRetryAfterSec, baseDelayMs: d.gatewayBaseDelayMs },
};

export type GolemBridgeInput = { yagna: GolemBridgeConfig['yagna'] } & {
  [K in Exclude<keyof GolemBridgeConfig, 'yagna'>]?: GolemBridgeConfig[K] extends object ? Partial<GolemBridgeConfig[K]> : GolemBridgeConfig[K];
};

export function resolveGolemConfig(input: GolemBridgeInput): GolemBridgeConfig {
  const base = GOLEM_DEFAULTS;
  const workload = { ...base.workload, ...input.workload };
  // An explicit URL+hash replaces the default tag, so no registry lookup happens.
  if (input.workload?.imageUrl && !input.workload.imageTag) delete workload.imageTag;
  const cfg: GolemBridgeConfig = {
    yagna: input.yagna,
    payment: { ...base.payment, ...input.payment },
    workload,
    pricing: { ...base.pricing, ...input.pricing },
    maxAttempts: input.maxAttempts ?? base.maxAttempts,
    agreementTimeoutMs: input.agreementTimeoutMs ?? base.agreementTimeoutMs,
    settleTimeoutMs: input.settleTimeoutMs ?? base.settleTimeoutMs,
    maxConcurrentRentals: input.maxConcurrentRentals ?? base.maxConcurrentRentals,
    usdRate: input.usdRate ?? base.usdRate,
    gateway: { ...base.gateway, ...input.gateway },
  };
  if (!cfg.yagna.appKey) throw new ConfigError('golem bridge: no yagna app key (set YAGNA_APPKEY; create one with `yagna app-key create requestor`)');
  if (!/^https?:\/\//.test(cfg.yagna.url)) throw new ConfigError(`golem bridge: yagna URL must be http(s)://host:port, found "${cfg.yagna.url}"`);
  if (!TESTNETS.has(cfg.payment.network) && !cfg.payment.allowMainnet)
    throw new ConfigError(`golem bridge: payment network "${cfg.payment.network}" spends real GLM; pass --mainnet (allowMainnet) to confirm, or use a testnet (${[...TESTNETS].join(', ')})`);
  if (!(cfg.payment.budgetGlm > 0)) throw new ConfigError(`golem bridge: budget must be > 0 GLM, found ${cfg.payment.budgetGlm}`);
  if (!(cfg.payment.allocationHours > 0)) throw new ConfigError(`golem bridge: allocation lifetime must be > 0 h, found ${cfg.payment.allocationHours}`);
  if (!workload.imageTag && !(workload.imageUrl && workload.imageHash)) throw new ConfigError('golem bridge: give an image tag, or an image URL with its SHA3-224 hash');
  if (!Number.isInteger(cfg.maxAttempts) || cfg.maxAttempts < 1) throw new ConfigError(`golem bridge: maxAttempts must be a positive integer, found ${cfg.maxAttempts}`);
  if (!(cfg.usdRate > 0)) throw new ConfigError(`golem bridge: GLM/USD rate must be > 0, found ${cfg.usdRate}`);
  return cfg;
}

/**
 * An allocation sized and timed for a run when the scenario gives none: every
 * planned job at the price limits (start fee plus its GPU hours and a quarter
 * hour of deploy), a quarter more for retries on another provider; it lasts
 * the arrival span, the longest job, every attempt's wait for an agreement,
 * and an hour for the last invoices. Over-reserving only holds funds; running
 * short fails jobs, so it errs high.
 */
export function allocationFor(
  plan: { jobs: number; gpuHours: number; maxWorkSeconds: number; spanSeconds: number },
  limits: { pricing: GolemBridgeConfig['pricing']; maxAttempts: number; agreementTimeoutMs: number },
): { budgetGlm: number; allocationHours: number } {
  const perHour = limits.pricing.maxEnvPerHourPrice + limits.pricing.maxCpuPerHourPrice;
  const glm = (plan.jobs * (limits.pricing.maxStartPrice + perHour * 0.25) + plan.gpuHours * perHour) * 1.25;
  const hours = (plan.spanSeconds + plan.maxWorkSeconds) / 3600 + (limits.maxAttempts * limits.agreementTimeoutMs) / 3.6e6 + 1;
  return { budgetGlm: Math.max(0.1, Math.ceil(glm * 10) / 10), allocationHours: Math.ceil(hours * 10) / 10 };
}

/** The job's command line, from the template. */
export function commandFor(template: string, job: { jobId: string; taskType: string; workSeconds: number; inputBytes: number | string; outputBytes: number | string }): string {
  const values: Record<string, string> = {
    work_seconds: String(Math.max(0, Math.round(job.workSeconds * 1000) / 1000)),
    job_id: job.jobId.replace(/[^A-Za-z0-9._-]/g, '_'),
    task_type: job.taskType.replace(/[^A-Za-z0-9._-]/g, '_'),
    input_bytes: String(job.inputBytes),
    output_bytes: String(job.outputBytes),
  };
  return template.replace(/\{([a-z_]+)\}/g, (m, k: string) => values[k] ?? m);
}
