// A scenario handed to k6 and k6's output taken back as a run: the export
// replays the same selection at the same speed as `replay` would; the import
// stores one result per job and target so the report reads it like any run.
import { resolve } from 'node:path';
import { UsageError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { exportK6 } from '../interop/k6-export.ts';
import { importK6File } from '../interop/k6-import.ts';
import { selectJobs } from '../replay/select.ts';
import { openStore, type StoreOptions } from '../store/open.ts';
import type { Scenario } from '../../scenarios/define.ts';
import { resolveTrace } from './resolve-trace.ts';
import { newRunId } from './run-scenario.ts';
import { selectionOf, speedOf } from './selection.ts';

export interface K6ExportRequest {
  scenario: Scenario;
  /** host:port by target name, for targets the scenario does not give an address (simulated or bridged ones). */
  addresses: Record<string, string>;
  /** Overrides the scenario speed. */
  speed?: number;
  dataDir: string;
  outDir: string;
  logger: Logger;
}

export async function exportScenarioToK6(req: K6ExportRequest): Promise<{ scriptPath: string; jobs: number; speed: number }> {
  const { scenario } = req;
  const targets: Record<string, string> = {};
  for (const t of scenario.targets) {
    const address = req.addresses[t.name] ?? t.address;
    if (!address)
      throw new UsageError(
        t.bridge
          ? `target "${t.name}" is a bridge started in-process: give --target ${t.name}=host:port of a running \`mirrorbench bridge ${'golem' in t.bridge ? 'golem' : 'salad'}\``
          : `target "${t.name}" is simulated in-process: give --target ${t.name}=host:port of a running \`mirrorbench sim\``,
      );
    targets[t.name] = address;
  }
  const trace = await resolveTrace(scenario, { dataDir: resolve(req.dataDir), logger: req.logger });
  const speed = req.speed ?? speedOf(scenario, trace.spanSeconds);
  if (!(speed > 0)) throw new UsageError(`--speed ${req.speed}: expected a positive number`);
  const jobs = selectJobs(trace.jobs(), selectionOf(scenario));
  const r = await exportK6({ scenario: scenario.name, targets, speed, jobs, outDir: resolve(req.outDir) });
  return { scriptPath: r.scriptPath, jobs: r.jobs, speed };
}

/** Stores the job outcomes in a k6 JSON output file as a run; returns its id and the number of results. */
export async function importK6Run(file: string, opts: { store: StoreOptions; runId?: string; nowUs?: number }): Promise<{ runId: string; results: number }> {
  const store = openStore(opts.store);
  try {
    await store.init();
    return await importK6File(file, store, { runId: (first) => opts.runId ?? newRunId(`k6-${first.tags.scenario_name ?? 'import'}`), importedAtUs: opts.nowUs ?? Date.now() * 1000 });
  } finally {
    await store.close();
  }
}
