// `mirrorbench k6 export SCENARIO` and `mirrorbench k6 import FILE.json`.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { printable } from '../../common/printable.ts';
import { exportScenarioToK6, importK6Run } from '../../run/k6.ts';
import { loadScenario } from '../../../scenarios/load.ts';
import { positiveNumber } from '../parse.ts';
import { addStoreOptions, loggerFor, storeOptionsFrom, type StoreFlags } from '../context.ts';

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
    .option('--speed <factor>', 'speed factor (default: the scenario\'s)', positiveNumber)
    .option('--data-dir <dir>', 'where generated traces live', '.mirrorbench')
    .action(async (file: string, flags: { out: string; target: Record<string, string>; speed?: number; dataDir: string }) => {
      const r = await exportScenarioToK6({ scenario: await loadScenario(file), addresses: flags.target, speed: flags.speed, dataDir: flags.dataDir, outDir: flags.out, logger: loggerFor({ quiet: true }) });
      process.stdout.write(`${r.scriptPath} (${r.jobs} jobs at speed ×${Number(r.speed.toFixed(2))})\nrun: k6 run ${r.scriptPath} --out json=k6.json && mirrorbench k6 import k6.json\n`);
    });

  addStoreOptions(
    k6
      .command('import')
      .description('store the job outcomes of k6 JSON output (from an exported script) as a run')
      .argument('<file>', 'k6 --out json=FILE output')
      .option('--run-id <id>', 'run id (default: k6-<scenario>-<time>)'),
  ).action(async (file: string, flags: StoreFlags & { runId?: string }) => {
    const { runId, results } = await importK6Run(file, { store: storeOptionsFrom(flags), runId: flags.runId });
    process.stdout.write(`run ${runId}: ${results} job results from ${printable(file)}; report with: mirrorbench report --run ${runId}\n`);
  });
}
