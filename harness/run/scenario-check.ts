// `scenario check`: everything about a scenario that can be known without
// running it — its fields, its simulator parameters and faults, its trace file,
// its threshold expressions.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, MirrorbenchError, ScenarioError } from '../common/errors.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/define.ts';
import { parseThreshold } from '../../reports/thresholds.ts';

export interface CheckResult {
  file: string;
  scenario?: Scenario;
  problems: string[];
}

export async function checkScenario(file: string): Promise<CheckResult> {
  let scenario: Scenario;
  try {
    scenario = await loadScenario(file);
  } catch (err) {
    return { file, problems: [err instanceof MirrorbenchError ? err.message : String(err)] };
  }
  // Fields, simulator parameters, faults and generator options were checked by loading.
  const problems = thresholdProblems(scenario).map((p) => `${p.path}: ${p.message}`);
  if ('file' in scenario.trace) {
    const p = resolve(scenario.trace.file);
    await access(p).catch(() => problems.push(`trace.file: ${p} does not exist`));
  }
  for (const [i, t] of scenario.targets.entries()) {
    for (const field of ['ca', 'cert', 'key'] as const) {
      const f = t.tls?.[field];
      if (f) await access(resolve(f)).catch(() => problems.push(`targets.${i}.tls.${field}: ${resolve(f)} does not exist`));
    }
  }
  return { file, scenario, problems };
}

/** Gate expressions that do not parse (reports/ owns their syntax, so the scenario schema cannot check them). */
export function thresholdProblems(scenario: Pick<Scenario, 'thresholds'>): { path: string; message: string }[] {
  return scenario.thresholds.flatMap((expr, i) => {
    try {
      parseThreshold(expr);
      return [];
    } catch (err) {
      return [{ path: `thresholds.${i}`, message: errorMessage(err) }];
    }
  });
}

/** Refuses a scenario whose gates cannot be evaluated, before anything runs (not after the replay). */
export function assertRunnable(scenario: Scenario): void {
  const problems = thresholdProblems(scenario);
  if (problems.length) throw new ScenarioError(`scenario "${scenario.name}"`, problems);
}
