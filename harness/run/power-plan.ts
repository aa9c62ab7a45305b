// `mirrorbench plan`: how many jobs, how much wall-clock time and how much
// money a scenario's run needs to detect stated effects, from a pilot: an
// earlier stored run, or a short run of the scenario made now (which is
// stored like any run, so it can be reused with --pilot-run). The sizing is
// harness/stats/power.ts; this file reads the pilot and the scenario's trace.
import { resolve } from 'node:path';
import { DEFAULTS } from '../common/defaults.ts';
import { ConfigError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { seededRandom } from '../common/random.ts';
import { planRun, type RunPlan } from '../replay/plan.ts';
import { planFromPilot, type EffectsToDetect, type PowerPlan } from '../stats/power.ts';
import { openStore, type StoreOptions } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import type { Scenario } from '../../scenarios/define.ts';
import { storedPairs } from '../../reports/paired-jobs.ts';
import { resolveTrace } from './resolve-trace.ts';
import { runScenario } from './run-scenario.ts';
import { selectionOf, speedOf } from './selection.ts';

export interface PlanScenarioOptions {
  scenario: Scenario;
  logger: Logger;
  effects: EffectsToDetect;
  /** Probability of detecting each effect (default 0.8). */
  power?: number;
  /** An earlier stored run of the same targets to use as the pilot. */
  pilotRunId?: string;
  /** Otherwise: run the scenario on about this many jobs first. */
  pilotJobs?: number;
  /** Target names compared (default: the scenario's first two). */
  baseline?: string;
  candidate?: string;
  store?: StoreOptions;
  storeInstance?: Store;
  dataDir?: string;
  reportsDir?: string;
  signal?: AbortSignal;
}

export interface ScenarioPlan {
  scenario: string;
  baseline: string;
  candidate: string;
  pilot: { runId: string; source: 'stored run' | 'short run'; pairedJobs: number };
  plan: PowerPlan;
  /** What the scenario's selection holds. */
  available: RunPlan;
  speed: number;
  /** The planned run: trace seconds of arrivals it spans, wall-clock seconds at the scenario's speed (arrivals only; add the last jobs' run time). */
  traceSeconds: number | null;
  wallSeconds: number | null;
  gpuHours: number | null;
  /** Per target: mean cost per job in the pilot (at the scenario's prices) and the planned run's cost. */
  costs: { target: string; usdPerJob: number; usd: number | null }[];
}

export async function planScenario(opts: PlanScenarioOptions): Promise<ScenarioPlan> {
  const { scenario, logger } = opts;
  const baseline = opts.baseline ?? scenario.targets[0]?.name;
  const candidate = opts.candidate ?? scenario.targets[1]?.name;
  if (!baseline || !candidate || baseline === candidate) throw new ConfigError(`plan needs two targets to compare; scenario ${scenario.name} has ${scenario.targets.map((t) => t.name).join(', ')}`);
  for (const t of [baseline, candidate]) if (!scenario.targets.some((x) => x.name === t)) throw new ConfigError(`plan: target "${t}" is not in scenario ${scenario.name}`);
  const dataDir = resolve(opts.dataDir ?? DEFAULTS.dataDir);
  const trace = await resolveTrace(scenario, { dataDir, logger });
  const available = await planRun(trace.jobs(), selectionOf(scenario));
  const speed = speedOf(scenario, trace.spanSeconds);
  const rate = available.spanSeconds > 0 ? available.jobs / available.spanSeconds : NaN;

  const store = opts.storeInstance ?? openStore({ dataDir, ...opts.store });
  try {
    await store.init();
    let pilotRunId = opts.pilotRunId;
    let source: ScenarioPlan['pilot']['source'] = 'stored run';
    if (!pilotRunId) {
      const want = opts.pilotJobs ?? DEFAULTS.plan.pilotJobs;
      if (!(rate > 0)) throw new ConfigError(`plan: the scenario's selection has no arrival span to cut a pilot from (${available.jobs} jobs)`);
      const durationSeconds = Math.min(want / rate, available.spanSeconds + 1);
      // The pilot measures the spread; a sequential stop would cut it short at whatever it decided.
      const pilotScenario: Scenario = { ...scenario, window: { ...scenario.window, durationSeconds }, sequential: undefined };
      logger.info({ jobs: want, traceSeconds: Math.round(durationSeconds) }, 'plan: running a pilot');
      const pilot = await runScenario({ scenario: pilotScenario, logger, storeInstance: store, dataDir, reportsDir: opts.reportsDir, signal: opts.signal, progress: false, speed });
      pilotRunId = pilot.run.runId;
      source = 'short run';
    }
    const pairs = await storedPairs(store, pilotRunId, baseline, candidate);
    if (pairs.okA.length < 2) throw new ConfigError(`plan: run ${pilotRunId} has ${pairs.okA.length} jobs with an outcome on both ${baseline} and ${candidate}`);
    const confidence = scenario.report.confidence ?? DEFAULTS.report.confidence;
    const plan = planFromPilot(pairs, opts.effects, {
      confidence,
      power: opts.power ?? DEFAULTS.plan.power,
      resamples: scenario.report.bootstrapResamples ?? DEFAULTS.report.bootstrapResamples,
      margin: DEFAULTS.plan.margin,
      random: seededRandom(scenario.seed).fork('plan'),
    });
    const n = plan.jobs;
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    const traceSeconds = n !== null && rate > 0 ? n / rate : null;
    return {
      scenario: scenario.name,
      baseline,
      candidate,
      pilot: { runId: pilotRunId, source, pairedJobs: pairs.okA.length },
      plan,
      available,
      speed,
      traceSeconds,
      wallSeconds: traceSeconds !== null ? traceSeconds / speed : null,
      gpuHours: n !== null && available.jobs > 0 ? (available.gpuHours / available.jobs) * n : null,
      costs: [
        { target: baseline, usdPerJob: mean(pairs.costA), usd: n !== null ? mean(pairs.costA) * n : null },
        { target: candidate, usdPerJob: mean(pairs.costB), usd: n !== null ? mean(pairs.costB) * n : null },
      ],
    };
  } finally {
    if (!opts.storeInstance) await store.close();
  }
}
