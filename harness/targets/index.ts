// The simulated backends, by kind.
import { errorMessage } from '../common/errors.ts';
import { baselineModel, startBaselineSim } from './baseline/server.ts';
import type { RunningTarget, SimOptions } from './common/sim-server.ts';
import type { SimFaults } from './common/faults.ts';
import { decentralizedModel, startDecentralizedSim } from './decentralized/server.ts';

export type { RunningTarget, SimOptions } from './common/sim-server.ts';
export type { SimFaults } from './common/faults.ts';
export type SimKind = 'baseline' | 'decentralized';

export function startSimulator(kind: SimKind, opts: SimOptions): Promise<RunningTarget> {
  return kind === 'baseline' ? startBaselineSim(opts) : startDecentralizedSim(opts);
}

import { BASELINE_PARAMS } from './baseline/params.ts';
import { paramProblems, type ParamTable } from './common/params.ts';
import { DECENTRALIZED_PARAMS } from './decentralized/params.ts';

/** Each simulator's parameter table: defaults, sweep ranges, units and sources. */
export const SIM_PARAMS: Record<SimKind, ParamTable> = { baseline: BASELINE_PARAMS, decentralized: DECENTRALIZED_PARAMS };

/**
 * What is wrong with a simulated target's configuration, each with the field
 * as written (`params.gpuz`), without starting it: a scenario is checked
 * when it is loaded, not when its replay reaches the simulator.
 */
export function simConfigProblems(kind: SimKind, params: Record<string, unknown>, faults: SimFaults | undefined): { path: string[]; message: string }[] {
  const problems = paramProblems(SIM_PARAMS[kind], params).map((p) => ({ path: ['params', p.name], message: `${kind} simulator: ${p.message}` }));
  if (problems.length) return problems;
  try {
    // Building the model checks what the parameters alone cannot: the faults this kind supports.
    if (kind === 'baseline') baselineModel(0, params, faults);
    else decentralizedModel(0, params, faults);
  } catch (err) {
    return [{ path: faults ? ['faults'] : [], message: errorMessage(err) }];
  }
  return [];
}
