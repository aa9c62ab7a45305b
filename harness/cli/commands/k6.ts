// `mirrorbench k6 export SCENARIO` and `mirrorbench k6 import FILE.json`.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { exportK6 } from '../../interop/k6-export.ts';
import { importK6File } from '../../interop/k6-import.ts';
import { printable } from '../../common/printable.ts';
import { selectJobs } from '../../replay/select.ts';
import { openStore } from '../../store/open.ts';
import { loadScenario } from '../../../scenarios/load.ts';
import { addStoreOptions, loggerFor, storeOptionsFrom, type StoreFlags } from '../context.ts';
import { resolveTrace } from '../resolve-trace.ts';
import { newRunId } from '../run-scenario.ts';

function targetPair(v: string, prev: Record<string, string> = {}): Record<string, string> {
  const m = /^([a-z][a-z0-9_-]*)=([^\s:]+:\d+)$/.exec(v);
  if (!m) throw new UsageError(`--target ${v}: expected name=host:port`);
  return { ...prev, [m[1]!]: m[2]! };
}

export function registerK6Commands(program: Command): void {
  const k6 = program.command('k6').description('interoperate with k6: export a scenario as a k6 script, import k6 JSON output as a run');
  k6.command('export')
    .description('write a k6 script (TypeScript) that drives the ComputeTarget servers with the scenario\'s arrival schedule')
    .argument('<scenario>', 'a *.scenario.ts or .yaml file')
    .requiredOption('--out <dir>', 'output directory (script.ts, jobs.json, compute.proto)')
    .option('--target <name=host:port...>', 'address of each target (needed for simulated targets; running ones come from the scenario)', (v: string, p: Record<string, string>) => targetPair(v, p), {})
    .option('--speed <factor>', 'speed factor (default: the scenario\'s)')
    .option('--data-dir <dir>', 'where generated traces live', '.mirrorbench')
    .action(async (file: string, flags: { out: string; target: Record<string, string>; speed?: string; dataDir: string }) => {
      const logger = loggerFor({ quiet: true });
      const scenario = await loadScenario(file);
      const targets: Record<string, string> = {};
      for (const t of scenario.targets) {
        const address = flags.target[t.name] ?? t.address;
        if (!address)
          throw new UsageError(
            t.bridge
              ? `target "${t.name}" is a bridge started in-process: give --target ${t.name}=host:port of a running \`mirrorbench bridge ${'golem' in t.bridge ? 'golem' : 'salad'}\``
              : `target "${t.name}" is simulated in-process: give --target ${t.name}=host:port of a running \`mirrorbench sim\``,
          );
        targets[t.name] = address;
      }
      const trace = await resolveTrace(scenario, { dataDir: resolve(flags.dataDir), logger });
      const speed = flags.speed ? Number(flags.speed) : typeof scenario.speed === 'number' ? scenario.speed : Math.max(1, trace.spanSeconds / scenario.speed.fitSeconds);
      if (!(speed > 0)) throw new UsageError(`--speed ${flags.speed}: expected a positive number`);
      const jobs = selectJobs(trace.jobs(), { offsetSeconds: scenario.window.offsetSeconds, durationSeconds: scenario.window.durationSeconds, sampleFraction: scenario.sample.fraction, sampleSeed: scenario.seed, stratified: scenario.sample.stratified, taskTypes: scenario.sample.taskTypes, profiles: scenario.sample.profiles });
      const r = await exportK6({ scenario: scenario.name, targets, speed, jobs, outDir: resolve(flags.out) });
      process.stdout.write(`${r.scriptPath} (${r.jobs} jobs at speed ×${Number(speed.toFixed(2))})\nrun: k6 run ${r.scriptPath} --out json=k6.json && mirrorbench k6 import k6.json\n`);
    });

  addStoreOptions(
    k6
      .command('import')
      .description('store the job outcomes of k6 JSON output (from an exported script) as a run')
      .argument('<file>', 'k6 --out json=FILE output')
      .option('--run-id <id>', 'run id (default: k6-<scenario>-<time>)'),
  ).action(async (file: string, flags: StoreFlags & { runId?: string }) => {
    const store = openStore(storeOptionsFrom(flags));
    let imported: { runId: string; results: number };
    try {
      await store.init();
      imported = await importK6File(file, store, { runId: (first) => flags.runId ?? newRunId(`k6-${first.tags.scenario_name ?? 'import'}`), importedAtUs: Date.now() * 1000 });
    } finally {
      await store.close();
    }
    process.stdout.write(`run ${imported.runId}: ${imported.results} job results from ${printable(file)}; report with: mirrorbench report --run ${imported.runId}\n`);
  });
}
