// A parameter sweep: the scenario replayed once per value of one simulator
// parameter (same trace, same seed), each run stored and reported as usual,
// plus one page showing how the comparison moves with the value.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULTS } from '../common/defaults.ts';
import { ConfigError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { StoreOptions } from '../store/open.ts';
import { SIM_PARAMS } from '../targets/index.ts';
import type { Scenario } from '../../scenarios/define.ts';
import { renderSvg } from '../../reports/charts.ts';
import { renderSweepHtml, sweepChart, sweepResult, type SweepPoint, type SweepResult } from '../../reports/sweep.ts';
import { runScenario } from './run-scenario.ts';

export interface SweepOptions {
  scenario: Scenario;
  target: string;
  parameter: string;
  /** Values to run; by default `points` values spread over the parameter's sweep range. */
  values?: number[];
  points?: number;
  logger: Logger;
  store?: StoreOptions;
  dataDir?: string;
  reportsDir?: string;
  speed?: number;
}

/** `points` values evenly spread over [lo, hi], rounded to 4 significant digits. */
export function spread(lo: number, hi: number, points: number): number[] {
  if (points <= 1) return [lo];
  return Array.from({ length: points }, (_, i) => Number((lo + ((hi - lo) * i) / (points - 1)).toPrecision(4)));
}

export async function runSweep(opts: SweepOptions): Promise<{ htmlPath: string; jsonPath: string; result: SweepResult }> {
  const t = opts.scenario.targets.find((x) => x.name === opts.target);
  if (!t) throw new ConfigError(`sweep: scenario "${opts.scenario.name}" has no target "${opts.target}" (it has ${opts.scenario.targets.map((x) => x.name).join(', ')})`);
  if (!t.sim) throw new ConfigError(`sweep: target "${opts.target}" is not a simulator; only simulator parameters can be swept`);
  const table = SIM_PARAMS[t.sim];
  const param = table[opts.parameter];
  if (!param) throw new ConfigError(`sweep: the ${t.sim} simulator has no parameter "${opts.parameter}"; known: ${Object.keys(table).join(', ')}`);
  const values = opts.values?.length ? opts.values : param.sweep ? spread(param.sweep[0], param.sweep[1], opts.points ?? 4) : undefined;
  if (!values) throw new ConfigError(`sweep: "${opts.parameter}" has no sweep range; give --values`);
  const points: SweepPoint[] = [];
  for (const value of values) {
    opts.logger.info({ target: opts.target, parameter: opts.parameter, value }, 'sweep point');
    const scenario: Scenario = { ...opts.scenario, targets: opts.scenario.targets.map((x) => (x.name === opts.target ? { ...x, params: { ...x.params, [opts.parameter]: value } } : x)) };
    const r = await runScenario({ scenario, logger: opts.logger, store: opts.store, dataDir: opts.dataDir, reportsDir: opts.reportsDir, speed: opts.speed, progress: false });
    points.push({ value, runId: r.run.runId, summary: r.report.summary });
  }
  const result = sweepResult({ scenario: opts.scenario.name, target: opts.target, parameter: opts.parameter, unit: param.unit, basis: param.basis }, points);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const dir = join(resolve(opts.reportsDir ?? DEFAULTS.reportsDir), `sweep-${opts.scenario.name}-${opts.target}-${opts.parameter}-${stamp}`);
  await mkdir(dir, { recursive: true });
  const htmlPath = join(dir, 'index.html');
  const jsonPath = join(dir, 'sweep.json');
  await writeFile(htmlPath, renderSweepHtml(result, await renderSvg(sweepChart(result))));
  await writeFile(jsonPath, JSON.stringify(result, null, 2) + '\n');
  return { htmlPath, jsonPath, result };
}
