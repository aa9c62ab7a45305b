// The baseline simulator as a gRPC ComputeTarget server.
import { ConfigError } from '../../common/errors.ts';
import { applyFaults, type SimFaults } from '../common/faults.ts';
import { describeParams, resolveParams } from '../common/params.ts';
import { serveSim, type RunningTarget, type SimOptions } from '../common/sim-server.ts';
import type { Workload } from '../common/workloads.ts';
import { BaselineModel } from './model.ts';
import { BASELINE_PARAMS } from './params.ts';

export function baselineModel(seed: number, overrides: Record<string, unknown> = {}, faults: SimFaults = {}, workloads: readonly Workload[] = []): BaselineModel {
  if (faults.outages?.length) throw new ConfigError('baseline simulator: outage windows are a decentralized-network fault (providers unreachable); use churnMultiplier or stopAnsweringAfterSeconds on the baseline');
  if (faults.priceShocks?.length) throw new ConfigError('baseline simulator: price shocks move a native currency against USD; the baseline bills in USD');
  const values = applyFaults(resolveParams('baseline', BASELINE_PARAMS, overrides), faults);
  return new BaselineModel(values, seed, describeParams(BASELINE_PARAMS, values), workloads);
}

export function startBaselineSim(opts: SimOptions): Promise<RunningTarget> {
  return serveSim(baselineModel(opts.seed, opts.params, opts.faults, opts.workloads), opts);
}
