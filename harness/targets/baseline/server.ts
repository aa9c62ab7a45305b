// The baseline simulator as a gRPC ComputeTarget server.
import type { ServerCredentials } from '@grpc/grpc-js';
import { systemClock, type Clock } from '../../common/clock.ts';
import { silentLogger, type Logger } from '../../common/logger.ts';
import { ConfigError } from '../../common/errors.ts';
import { applyFaults, type SimFaults } from '../common/faults.ts';
import { describeParams, resolveParams } from '../common/params.ts';
import { serveModel, type RunningTarget } from '../common/sim-server.ts';
import type { Workload } from '../common/workloads.ts';
import { BaselineModel } from './model.ts';
import { BASELINE_PARAMS } from './params.ts';

export interface SimOptions {
  seed: number;
  port?: number;
  host?: string;
  params?: Record<string, unknown>;
  /** Fault injection a scenario asks for (see harness/targets/common/faults.ts). */
  faults?: SimFaults;
  /** Native-currency/USD rates given as input (decentralized simulator): seconds after the first job → rate. */
  priceSeries?: readonly { afterSeconds: number; usdRate: number }[];
  /** The scenario's workloads and how each is deployed (harness/targets/common/workloads.ts). */
  workloads?: readonly Workload[];
  clock?: Clock;
  logger?: Logger;
  /** TLS for the simulator's gRPC server (grpc.ServerCredentials.createSsl); plaintext by default. */
  credentials?: ServerCredentials;
}

export function baselineModel(seed: number, overrides: Record<string, unknown> = {}, faults: SimFaults = {}, workloads: readonly Workload[] = []): BaselineModel {
  if (faults.outages?.length) throw new ConfigError('baseline simulator: outage windows are a decentralized-network fault (providers unreachable); use churnMultiplier or stopAnsweringAfterSeconds on the baseline');
  if (faults.priceShocks?.length) throw new ConfigError('baseline simulator: price shocks move a native currency against USD; the baseline bills in USD');
  const values = applyFaults(resolveParams('baseline', BASELINE_PARAMS, overrides), faults);
  return new BaselineModel(values, seed, describeParams(BASELINE_PARAMS, values), workloads);
}

export function startBaselineSim(opts: SimOptions): Promise<RunningTarget> {
  return serveModel(baselineModel(opts.seed, opts.params, opts.faults, opts.workloads), {
    host: opts.host,
    port: opts.port,
    credentials: opts.credentials,
    seed: opts.seed,
    stopAnsweringAfterMs: opts.faults?.stopAnsweringAfterSeconds !== undefined ? opts.faults.stopAnsweringAfterSeconds * 1000 : undefined,
    clock: opts.clock ?? systemClock(),
    logger: opts.logger ?? silentLogger(),
  });
}
