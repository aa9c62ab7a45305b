// A scenario's bridge target (or `mirrorbench bridge …`'s flags) turned into a
// running bridge. Secrets come from the environment only, so they never sit in
// a scenario file, a flag, shell history or `ps`.
import type { GolemBridgeSpec, SaladBridgeSpec } from '../../scenarios/define.ts';
import { ConfigError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { RunPlan } from '../replay/plan.ts';
import { allocationFor, GOLEM_DEFAULTS } from '../targets/bridges/golem/options.ts';
import { startGolemBridge, type GolemBridgeOptions } from '../targets/bridges/golem/server.ts';
import { startSaladBridge, type SaladBridgeOptions } from '../targets/bridges/salad/server.ts';
import type { RunningTarget } from '../targets/common/sim-server.ts';

const secret = (env: NodeJS.ProcessEnv, name: string, how: string) => {
  const value = env[name];
  if (!value) throw new ConfigError(`set ${name} to ${how}; it is never read from a flag or a scenario, so it stays out of files and shell history`);
  return value;
};

export function golemOptionsFrom(spec: GolemBridgeSpec, env: NodeJS.ProcessEnv): GolemBridgeOptions {
  const image = spec.imageUrl ? { imageUrl: spec.imageUrl, imageHash: spec.imageHash } : spec.imageTag ? { imageTag: spec.imageTag } : {};
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    yagna: { url: spec.yagnaUrl ?? env.YAGNA_API_URL ?? 'http://127.0.0.1:7465', appKey: secret(env, 'YAGNA_APPKEY', 'a yagna app key (`yagna app-key create requestor`)') },
    payment: defined({ network: spec.network, driver: spec.driver, allowMainnet: spec.mainnet, budgetGlm: spec.budgetGlm, allocationHours: spec.allocationHours }),
    workload: defined({ ...image, runtime: spec.runtime, capabilities: spec.capabilities, minMemGib: spec.minMemGib, minStorageGib: spec.minStorageGib, command: spec.command }),
    pricing: defined({ maxStartPrice: spec.maxStartPrice, maxEnvPerHourPrice: spec.maxEnvPerHourPrice, maxCpuPerHourPrice: spec.maxCpuPerHourPrice }),
    ...defined({ maxAttempts: spec.maxAttempts, agreementTimeoutMs: spec.agreementTimeoutSeconds === undefined ? undefined : spec.agreementTimeoutSeconds * 1000, maxConcurrentRentals: spec.maxRentals, usdRate: spec.glmUsd }),
  };
}

/** The Golem settings with an allocation sized for the run's planned jobs where the scenario gives no budget or lifetime. */
export async function sizeAllocation(spec: GolemBridgeSpec, plan: () => Promise<RunPlan>, logger: Logger): Promise<GolemBridgeSpec> {
  if (spec.budgetGlm !== undefined && spec.allocationHours !== undefined) return spec;
  const p = await plan();
  const d = GOLEM_DEFAULTS;
  const sized = allocationFor(p, {
    pricing: { maxStartPrice: spec.maxStartPrice ?? d.pricing.maxStartPrice, maxEnvPerHourPrice: spec.maxEnvPerHourPrice ?? d.pricing.maxEnvPerHourPrice, maxCpuPerHourPrice: spec.maxCpuPerHourPrice ?? d.pricing.maxCpuPerHourPrice },
    maxAttempts: spec.maxAttempts ?? d.maxAttempts,
    agreementTimeoutMs: spec.agreementTimeoutSeconds !== undefined ? spec.agreementTimeoutSeconds * 1000 : d.agreementTimeoutMs,
  });
  const out = { ...spec, budgetGlm: spec.budgetGlm ?? sized.budgetGlm, allocationHours: spec.allocationHours ?? sized.allocationHours };
  logger.info({ jobs: p.jobs, gpuHours: Number(p.gpuHours.toFixed(2)), budgetGlm: out.budgetGlm, allocationHours: out.allocationHours }, 'Golem allocation sized for the run');
  return out;
}

export function saladOptionsFrom(s: SaladBridgeSpec, env: NodeJS.ProcessEnv): SaladBridgeOptions {
  return {
    api: { baseUrl: s.apiUrl, apiKey: secret(env, 'SALAD_API_KEY', 'a SaladCloud API key'), organization: s.organization, project: s.project, queue: s.queue, containerGroup: s.containerGroup },
    gpuClass: s.gpuClass,
    priority: s.priority,
    pollMs: s.pollMs,
  };
}

export function startScenarioBridge(bridge: { golem: GolemBridgeSpec } | { salad: SaladBridgeSpec }, env: NodeJS.ProcessEnv, logger: Logger): Promise<RunningTarget> {
  if ('golem' in bridge) return startGolemBridge({ ...golemOptionsFrom(bridge.golem, env), logger });
  return startSaladBridge({ ...saladOptionsFrom(bridge.salad, env), logger });
}
