// A scenario's bridge target (or `mirrorbench bridge …`'s flags) turned into a
// running bridge. Secrets come from the environment only, so they never sit in
// a scenario file, a flag, shell history or `ps`.
import type { GolemBridgeSpec, SaladBridgeSpec } from '../../scenarios/define.ts';
import { ConfigError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
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
