// A scenario's bridge target (or `mirrorbench bridge …`'s flags) turned into a
// running bridge. Secrets come from the environment only, so they never sit in
// a scenario file, a flag, shell history or `ps`.
import type { SaladBridgeSpec } from '../../scenarios/define.ts';
import { ConfigError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { RunPlan } from '../replay/plan.ts';
import { allocationFor, golemSettings, type GolemSettingsInput } from '../targets/bridges/golem/options.ts';
import { bridgeDeployments, startGolemBridge, type GolemBridgeOptions } from '../targets/bridges/golem/server.ts';
import { startSaladBridge, type SaladBridgeOptions } from '../targets/bridges/salad/server.ts';
import type { RunningTarget } from '../targets/common/sim-server.ts';
import type { Workload } from '../targets/common/workloads.ts';

const secret = (env: NodeJS.ProcessEnv, name: string, how: string) => {
  const value = env[name];
  if (!value) throw new ConfigError(`set ${name} to ${how}; it is never read from a flag or a scenario, so it stays out of files and shell history`);
  return value;
};

export function golemOptionsFrom(spec: GolemSettingsInput, env: NodeJS.ProcessEnv): GolemBridgeOptions {
  return { ...spec, yagnaUrl: spec.yagnaUrl ?? env.YAGNA_API_URL, appKey: secret(env, 'YAGNA_APPKEY', 'a yagna app key (`yagna app-key create requestor`)') };
}

/** The Golem settings with an allocation sized for the run's planned jobs where the scenario gives no budget or lifetime. */
export async function sizeAllocation(spec: GolemSettingsInput, plan: () => Promise<RunPlan>, logger: Logger, workloads?: readonly Workload[]): Promise<GolemSettingsInput> {
  if (spec.budgetGlm !== undefined && spec.allocationHours !== undefined) return spec;
  const p = await plan();
  const settings = golemSettings(spec);
  // Warm pools hold their minimum for the whole run (a pool is only deployed if its workload has jobs: this errs high).
  const held = (bridgeDeployments(workloads, settings) ?? []).filter((w) => w.network.mode === 'pool').reduce((n, w) => n + w.network.minRentals, 0);
  const sized = allocationFor(p, settings, held);
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

/** `run`: the scenario's workloads (the Golem bridge serves them as the decentralized simulator does) and the jobs it will send (runJobs). */
export function startScenarioBridge(
  bridge: { golem: GolemSettingsInput } | { salad: SaladBridgeSpec },
  env: NodeJS.ProcessEnv,
  logger: Logger,
  run: { workloads?: readonly Workload[]; runJobs?: number } = {},
): Promise<RunningTarget> {
  if ('golem' in bridge) return startGolemBridge({ ...golemOptionsFrom(bridge.golem, env), workloads: run.workloads, runJobs: run.runJobs, logger });
  return startSaladBridge({ ...saladOptionsFrom(bridge.salad, env), logger });
}
