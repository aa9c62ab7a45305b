// The baseline simulator as a gRPC ComputeTarget server.
import { systemClock, type Clock } from '../../common/clock.ts';
import { silentLogger, type Logger } from '../../common/logger.ts';
import { describeParams, resolveParams } from '../common/params.ts';
import { serveModel, type RunningTarget } from '../common/sim-server.ts';
import { BaselineModel } from './model.ts';
import { BASELINE_PARAMS } from './params.ts';

export interface SimOptions {
  seed: number;
  port?: number;
  host?: string;
  params?: Record<string, unknown>;
  clock?: Clock;
  logger?: Logger;
}

export function baselineModel(seed: number, overrides: Record<string, unknown> = {}): BaselineModel {
  const values = resolveParams('baseline', BASELINE_PARAMS, overrides);
  return new BaselineModel(values, seed, describeParams(BASELINE_PARAMS, values));
}

export function startBaselineSim(opts: SimOptions): Promise<RunningTarget> {
  return serveModel(baselineModel(opts.seed, opts.params), {
    host: opts.host,
    port: opts.port,
    seed: opts.seed,
    clock: opts.clock ?? systemClock(),
    logger: opts.logger ?? silentLogger(),
  });
}
