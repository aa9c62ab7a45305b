// The decentralized-network simulator as a gRPC ComputeTarget server.
import { systemClock } from '../../common/clock.ts';
import { silentLogger } from '../../common/logger.ts';
import { describeParams, resolveParams } from '../common/params.ts';
import { serveModel, type RunningTarget } from '../common/sim-server.ts';
import type { SimOptions } from '../baseline/server.ts';
import { DecentralizedModel } from './model.ts';
import { DECENTRALIZED_PARAMS } from './params.ts';

export function decentralizedModel(seed: number, overrides: Record<string, unknown> = {}): DecentralizedModel {
  const values = resolveParams('decentralized', DECENTRALIZED_PARAMS, overrides);
  return new DecentralizedModel(values, seed, describeParams(DECENTRALIZED_PARAMS, values));
}

export function startDecentralizedSim(opts: SimOptions): Promise<RunningTarget> {
  return serveModel(decentralizedModel(opts.seed, opts.params), {
    host: opts.host,
    port: opts.port,
    seed: opts.seed,
    clock: opts.clock ?? systemClock(),
    logger: opts.logger ?? silentLogger(),
  });
}
