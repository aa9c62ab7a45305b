// The simulated backends, by kind.
import { startBaselineSim, type SimOptions } from './baseline/server.ts';
import type { RunningTarget } from './common/sim-server.ts';
import { startDecentralizedSim } from './decentralized/server.ts';

export type { SimOptions } from './baseline/server.ts';
export type { RunningTarget } from './common/sim-server.ts';
export type { SimFaults } from './common/faults.ts';
export type SimKind = 'baseline' | 'decentralized';

export function startSimulator(kind: SimKind, opts: SimOptions): Promise<RunningTarget> {
  return kind === 'baseline' ? startBaselineSim(opts) : startDecentralizedSim(opts);
}

import { BASELINE_PARAMS } from './baseline/params.ts';
import type { ParamTable } from './common/params.ts';
import { DECENTRALIZED_PARAMS } from './decentralized/params.ts';

/** Each simulator's parameter table: defaults, sweep ranges, units and sources. */
export const SIM_PARAMS: Record<SimKind, ParamTable> = { baseline: BASELINE_PARAMS, decentralized: DECENTRALIZED_PARAMS };
