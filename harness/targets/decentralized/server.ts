// The decentralized-network simulator as a gRPC ComputeTarget server.
import { applyFaults, type SimFaults } from '../common/faults.ts';
import { describeParams, resolveParams } from '../common/params.ts';
import { serveSim, type RunningTarget, type SimOptions } from '../common/sim-server.ts';
import type { Workload } from '../common/workloads.ts';
import { DecentralizedModel } from './model.ts';
import { DECENTRALIZED_PARAMS } from './params.ts';

export function decentralizedModel(
  seed: number,
  overrides: Record<string, unknown> = {},
  faults: SimFaults = {},
  priceSeries: readonly { afterSeconds: number; usdRate: number }[] = [],
  workloads: readonly Workload[] = [],
): DecentralizedModel {
  const values = applyFaults(resolveParams('decentralized', DECENTRALIZED_PARAMS, overrides), faults);
  const series = [...priceSeries].sort((a, b) => a.afterSeconds - b.afterSeconds);
  const parameters = describeParams(DECENTRALIZED_PARAMS, values);
  if (series.length) parameters.glm_usd_series = `${series.length} points given as input (${series[0]!.usdRate}…${series[series.length - 1]!.usdRate} USD/GLM); replaces the random walk`;
  return new DecentralizedModel(values, seed, parameters, faults.outages ?? [], faults.priceShocks ?? [], series, workloads);
}

export function startDecentralizedSim(opts: SimOptions): Promise<RunningTarget> {
  return serveSim(decentralizedModel(opts.seed, opts.params, opts.faults, opts.priceSeries, opts.workloads), opts);
}
