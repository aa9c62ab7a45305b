// `scenario check`: everything about a scenario that can be known without
// running it — its fields, its simulator parameters and faults, its trace file,
// its threshold expressions.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, MirrorbenchError } from '../common/errors.ts';
import { baselineModel } from '../targets/baseline/server.ts';
import { decentralizedModel } from '../targets/decentralized/server.ts';
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
  const problems: string[] = [];
  for (const [i, t] of scenario.targets.entries()) {
    if (!t.sim) continue;
    try {
      // Building the model validates parameter names and values and the faults for this kind.
      if (t.sim === 'baseline') baselineModel(0, t.params, t.faults);
      else decentralizedModel(0, t.params, t.faults);
    } catch (err) {
      problems.push(`targets.${i} (${t.name}): ${errorMessage(err)}`);
    }
  }
  if ('file' in scenario.trace) {
    const p = resolve(scenario.trace.file);
    await access(p).catch(() => problems.push(`trace.file: ${p} does not exist`));
  }
  for (const [i, expr] of scenario.thresholds.entries()) {
    try {
      parseThreshold(expr);
    } catch (err) {
      problems.push(`thresholds.${i}: ${errorMessage(err)}`);
    }
  }
  return { file, scenario, problems };
}
