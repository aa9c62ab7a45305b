// A scenario with `replicates: k`: the same trace run k times, one run after
// another, as runs `<set>.r1` … `<set>.rk` (each stored and reported as any
// run, its configuration naming its set), then the set's combined report
// (reports/replicates.ts). In-process simulators get new seeds per replicate
// (another provider population); bridges and addresses are simply run again.
import { resolve } from 'node:path';
import { DEFAULTS } from '../common/defaults.ts';
import { ConfigError } from '../common/errors.ts';
import { openStore } from '../store/open.ts';
import { NOISE_FLOOR_SEED_OFFSET, REPLICATE_SEED_STRIDE, type Scenario } from '../../scenarios/define.ts';
import { buildReplicateReport, type BuildReplicateReportResult } from '../../reports/replicates.ts';
import type { ReportSummary } from '../../reports/summary.ts';
import type { ThresholdResult } from '../../reports/summary-types.ts';
import { newRunId, runScenario, type RunScenarioOptions, type RunScenarioResult } from './run-scenario.ts';

/**
 * Replicate `index` (1-based) of a scenario: every in-process simulator's seed,
 * and the noise-floor twin's, moved by (index − 1) × REPLICATE_SEED_STRIDE and
 * written out, so the stored scenario says which seeds the replicate ran (a
 * resume reruns them). The trace's seed is the scenario's and stays: the same
 * jobs in every replicate.
 */
export function replicateScenario(scenario: Scenario, index: number): Scenario {
  const shift = (index - 1) * REPLICATE_SEED_STRIDE;
  const targets = scenario.targets.map((t, i) => (t.sim ? { ...t, seed: (t.seed ?? scenario.seed + i) + shift } : t));
  const nf = scenario.noiseFloor;
  let noiseFloor = nf;
  if (nf) {
    const i = scenario.targets.findIndex((t) => t.name === nf.target);
    const t = scenario.targets[i];
    if (t?.sim) noiseFloor = { ...nf, seed: (nf.seed ?? (t.seed ?? scenario.seed + i) + NOISE_FLOOR_SEED_OFFSET) + shift };
  }
  return { ...scenario, targets, ...(noiseFloor ? { noiseFloor } : {}) };
}

/**
 * The set's gates: each expression passes when it passed in every replicate
 * (the set passes its gates as `thresholdsPassed` says); the detail names the
 * replicates where it failed, and the value is replicate 1's.
 */
export function setThresholdResults(runs: readonly Pick<RunScenarioResult, 'run' | 'thresholds'>[]): ThresholdResult[] {
  const expressions = [...new Set(runs.flatMap((r) => r.thresholds.results.map((t) => t.expression)))];
  return expressions.map((expression) => {
    const each = runs.map((r) => ({ runId: r.run.runId, result: r.thresholds.results.find((t) => t.expression === expression) }));
    const failed = each.filter((e) => !e.result?.passed);
    return {
      expression,
      passed: failed.length === 0,
      value: each[0]?.result?.value ?? null,
      detail: failed.length
        ? `failed in ${failed.length} of ${each.length} replicates: ${failed.map((e) => `${e.runId}: ${e.result?.detail ?? 'not evaluated'}`).join('; ')}`
        : `passed in all ${each.length} replicates`,
    };
  });
}

export interface ReplicatedResult {
  set: string;
  runs: RunScenarioResult[];
  report: BuildReplicateReportResult;
  /** Every replicate was valid (else the set is INCONCLUSIVE as a whole, though valid replicates are combined). */
  valid: boolean;
  interrupted: boolean;
  thresholdsPassed: boolean;
  /** Per gate expression across the replicates (setThresholdResults). */
  thresholdResults: ThresholdResult[];
}

export async function runReplicated(opts: RunScenarioOptions): Promise<ReplicatedResult> {
  const k = opts.scenario.replicates;
  if (!k) throw new ConfigError(`scenario ${opts.scenario.name} asks for no replicates`);
  if (opts.resumeRunId || (opts.shard && opts.shard.count > 1)) throw new ConfigError('replicates run whole: resume one replicate by its own run id (<set>.rN), and shard a replicate by running it alone');
  const set = opts.runId ?? newRunId(opts.scenario.name);
  const store = opts.storeInstance ?? openStore({ dataDir: resolve(opts.dataDir ?? DEFAULTS.dataDir), ...opts.store });
  const runs: RunScenarioResult[] = [];
  try {
    for (let index = 1; index <= k; index++) {
      if (opts.signal?.aborted) break;
      opts.logger.info({ set, replicate: `${index}/${k}` }, 'replicate');
      // No shard (refused above unless it is 0/1, the whole trace): so the replicate is reported (a worker of n > 1 is not).
      const r = await runScenario({ ...opts, shard: undefined, scenario: replicateScenario(opts.scenario, index), runId: `${set}.r${index}`, replicate: { set, index, count: k }, storeInstance: store });
      runs.push(r);
      if (r.run.status === 'interrupted') break;
    }
    const known = new Map<string, ReportSummary>(runs.map((r) => [r.run.runId, r.report.summary]));
    const report = await buildReplicateReport(store, set, { outDir: resolve(opts.reportsDir ?? DEFAULTS.reportsDir), known });
    return {
      set, runs, report,
      valid: runs.length === k && runs.every((r) => r.report.summary.validity.valid),
      interrupted: runs.some((r) => r.run.status === 'interrupted'),
      thresholdsPassed: runs.every((r) => r.thresholds.passed),
      thresholdResults: setThresholdResults(runs),
    };
  } finally {
    if (!opts.storeInstance) await store.close();
  }
}
