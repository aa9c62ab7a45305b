// What the Golem bridge rents and how it pays: the demand (runtime, image,
// resources), the price limits, the allocation and the payment network.
// Defined once, here, as one schema: a scenario's `bridge: { golem }` is this
// schema, `mirrorbench bridge golem` has one flag per field (--kebab-case of
// its name, the description as help), and the defaults are the documented
// ones. Testnet unless mainnet is asked for.
import { z } from 'zod';
import { ConfigError } from '../../../common/errors.ts';

export const TESTNETS = ['holesky', 'sepolia', 'goerli', 'mumbai', 'amoy', 'rinkeby'] as const;

/** The yagna REST API when neither the settings nor YAGNA_API_URL give one. */
export const YAGNA_DEFAULT_URL = 'http://127.0.0.1:7465';
/** The image when the settings give neither a tag nor a URL: a public image that exists in the registry; a real campaign gives its workload image. */
export const DEFAULT_IMAGE_TAG = 'golem/alpine:latest';
/**
 * The allocation when nothing sizes it (a standing `bridge golem` server, which
 * knows no run): ~10 GPU-hours at the 0.5 GLM/h median price with room for
 * start fees, for a day-long campaign run plus invoice settlement. A scenario
 * that gives no budget has it sized from its jobs (allocationFor).
 */
export const UNSIZED_ALLOCATION = { budgetGlm: 5, allocationHours: 24 } as const;

export const GolemSettingsSchema = z
  .object({
    yagnaUrl: z.url().optional().describe(`yagna REST API (default: YAGNA_API_URL, else ${YAGNA_DEFAULT_URL})`),
    network: z.string().min(1).default('holesky').describe(`payment network: a testnet (${TESTNETS.join(', ')}), or polygon with mainnet`),
    driver: z.string().min(1).default('erc20').describe('payment driver'),
    mainnet: z.boolean().default(false).describe('confirm spending real GLM on a mainnet payment network'),
    budgetGlm: z.number().positive().optional().describe(`allocation for the whole run, GLM (default: sized from the run's jobs; ${UNSIZED_ALLOCATION.budgetGlm} for a standing bridge)`),
    allocationHours: z.number().positive().optional().describe(`allocation lifetime, run plus settlement, hours (default: sized from the run; ${UNSIZED_ALLOCATION.allocationHours} for a standing bridge)`),
    imageTag: z.string().min(1).optional().describe(`workload image from the Golem registry (default ${DEFAULT_IMAGE_TAG} unless imageUrl is given)`),
    imageUrl: z.url().optional().describe('workload image URL, with imageHash; no registry lookup'),
    imageHash: z.string().regex(/^[0-9a-f]{56}$/, 'SHA3-224 as 56 hex digits').optional().describe('SHA3-224 of the image at imageUrl'),
    runtime: z.string().min(1).default('vm-nvidia').describe('exe-unit runtime; vm-nvidia offers carry !exp:gpu'),
    capabilities: z.array(z.string()).default(['!exp:gpu']).describe('runtime capabilities the offer must have'),
    minMemGib: z.number().nonnegative().default(8).describe('minimum memory, GiB'),
    minStorageGib: z.number().nonnegative().default(20).describe('minimum storage, GiB'),
    minCpuThreads: z.number().int().nonnegative().default(1).describe('minimum CPU threads'),
    command: z
      .string()
      .min(1)
      .default('sleep {work_seconds}')
      .describe('command per job ({work_seconds} {job_id} {task_type} {input_bytes} {output_bytes} filled in); the default only holds the rental for the recorded work time'),
    // Linear price limits in GLM, as golem-js filters offers with them; at the cap Golem's docs use in their GPU examples.
    maxStartPrice: z.number().nonnegative().default(0.5).describe('price limit per agreement start, GLM'),
    maxEnvPerHourPrice: z.number().nonnegative().default(2).describe('price limit per hour of activity, GLM'),
    maxCpuPerHourPrice: z.number().nonnegative().default(0).describe('price limit per CPU hour, GLM'),
    maxAttempts: z.number().int().positive().default(3).describe("attempts per job, each on a provider the job has not lost (the decentralized simulator's max_attempts)"),
    agreementTimeoutSeconds: z.number().positive().default(600).describe('wait for an agreement per attempt, s; then the attempt fails as no_offers/negotiation_failed'),
    settleTimeoutSeconds: z.number().positive().default(300).describe("wait for a finished rental's invoice, s, before the job's stream ends without SETTLED"),
    maxRentals: z.number().int().positive().default(20).describe('rentals open at once (each a demand on the market and a yagna activity); further jobs wait'),
    // A standing bridge's warm pool; in a scenario, its declared workloads say how each is served (as on the simulator).
    poolMaxRentals: z.number().int().positive().optional().describe('serve every job from a warm rental pool (golem-js ResourceRentalPool) of at most this many rentals, instead of a rental per job'),
    poolMinRentals: z.number().int().nonnegative().default(0).describe('rentals the warm pool keeps signed and deployed, idle or not (with poolMaxRentals)'),
    poolIdleTimeoutSeconds: z.number().nonnegative().default(600).describe('a pooled rental idle this long is let go while the pool is above its minimum, s (0: never)'),
    poolQueueTimeoutSeconds: z.number().positive().default(3600).describe('wait of a pooled job for a free or newly signed rental of its pool, s; then it fails as no_offers (jobs queue behind busy rentals)'),
    glmUsd: z.number().positive().default(0.25).describe("USD per GLM for the price ticks: the rate of the run's day (no price feed is reached from here)"),
    gatewayRetries: z.number().int().nonnegative().default(5).describe('resends of one yagna request by the gateway'),
    gatewayMaxRetryAfterSec: z.number().nonnegative().default(30).describe('cap on a Retry-After from yagna, s (a stalled job is worse than a second 429)'),
    gatewayBaseDelayMs: z.number().positive().default(250).describe('first backoff after a 5xx or refused connection, ms; doubles per try'),
  })
  .strict()
  .refine((g) => !g.imageUrl === !g.imageHash, { message: 'imageUrl and imageHash go together', path: ['imageHash'] });

/** The settings as written (a scenario's `bridge.golem`, the CLI's flags). */
export type GolemSettingsInput = z.input<typeof GolemSettingsSchema>;
/** The settings with every default filled in. */
export type GolemSettings = z.output<typeof GolemSettingsSchema>;

/** What the bridge runs with: the settings, resolved, and yagna's URL and app key (`yagna app-key create requestor`). */
export type GolemBridgeConfig = GolemSettings & { yagnaUrl: string; appKey: string; budgetGlm: number; allocationHours: number };

const settingsError = (e: z.ZodError) => new ConfigError(`golem bridge: ${e.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`).join('; ')}`);

/** The settings with their defaults; throws ConfigError naming each field that does not fit. */
export function golemSettings(input: GolemSettingsInput): GolemSettings {
  const r = GolemSettingsSchema.safeParse(input);
  if (!r.success) throw settingsError(r.error);
  return r.data;
}

/** Settings resolved for a bridge about to start: yagna reached, allocation given or the unsized one, an image, and mainnet refused unless confirmed. */
export function resolveGolemConfig(input: GolemSettingsInput & { appKey: string }): GolemBridgeConfig {
  const { appKey, ...rest } = input;
  const s = golemSettings(rest);
  const cfg: GolemBridgeConfig = {
    ...s,
    yagnaUrl: s.yagnaUrl ?? YAGNA_DEFAULT_URL,
    appKey,
    budgetGlm: s.budgetGlm ?? UNSIZED_ALLOCATION.budgetGlm,
    allocationHours: s.allocationHours ?? UNSIZED_ALLOCATION.allocationHours,
    // An explicit URL+hash replaces the default tag, so no registry lookup happens.
    imageTag: s.imageTag ?? (s.imageUrl ? undefined : DEFAULT_IMAGE_TAG),
  };
  if (!cfg.appKey) throw new ConfigError('golem bridge: no yagna app key (set YAGNA_APPKEY; create one with `yagna app-key create requestor`)');
  if (!/^https?:\/\//.test(cfg.yagnaUrl)) throw new ConfigError(`golem bridge: yagna URL must be http(s)://host:port, found "${cfg.yagnaUrl}"`);
  if (!(TESTNETS as readonly string[]).includes(cfg.network) && !cfg.mainnet)
    throw new ConfigError(`golem bridge: payment network "${cfg.network}" spends real GLM; pass --mainnet (mainnet: true) to confirm, or use a testnet (${TESTNETS.join(', ')})`);
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
  limits: Pick<GolemSettings, 'maxStartPrice' | 'maxEnvPerHourPrice' | 'maxCpuPerHourPrice' | 'maxAttempts' | 'agreementTimeoutSeconds'>,
  /** Rentals warm pools keep at their minimum: held (and paid) for the whole allocation, idle or not. */
  heldRentals = 0,
): { budgetGlm: number; allocationHours: number } {
  const perHour = limits.maxEnvPerHourPrice + limits.maxCpuPerHourPrice;
  const hours = (plan.spanSeconds + plan.maxWorkSeconds) / 3600 + (limits.maxAttempts * limits.agreementTimeoutSeconds) / 3600 + 1;
  const glm = (plan.jobs * (limits.maxStartPrice + perHour * 0.25) + plan.gpuHours * perHour + heldRentals * (limits.maxStartPrice + perHour * hours)) * 1.25;
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
