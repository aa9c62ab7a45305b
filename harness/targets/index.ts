// The simulated backends, by kind.
import { startBaselineSim, type SimOptions } from './baseline/server.ts';
import type { RunningTarget } from './common/sim-server.ts';
import { startDecentralizedSim } from './decentralized/server.ts';

export type { SimOptions } from './baseline/server.ts';
export type { RunningTarget } from './common/sim-server.ts';
export type SimKind = 'baseline' | 'decentralized';

export function startSimulator(kind: SimKind, opts: SimOptions): Promise<RunningTarget> {
  return kind === 'baseline' ? startBaselineSim(opts) : startDecentralizedSim(opts);
}
