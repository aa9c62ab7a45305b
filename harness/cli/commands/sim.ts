// `mirrorbench sim baseline|decentralized --port N`: a simulator as a
// standalone gRPC server, for replays from other processes or machines.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { startSimulator } from '../../targets/index.ts';
import { loadScenario } from '../../../scenarios/load.ts';
import { addStoreOptions, loggerFor, storeOptionsFrom, type StoreFlags } from '../context.ts';
import { nameValue, nonNegativeInteger, nonNegativeNumber, numberList, port, positiveInteger, positiveNumber } from '../parse.ts';
import { DEFAULTS } from '../../common/defaults.ts';
import { runSweep } from '../../run/sweep.ts';

export function registerSimCommands(program: Command): void {
  const sim = program.command('sim').description('run a simulated backend as a gRPC ComputeTarget server on loopback, or sweep one of its parameters');
  addStoreOptions(
    sim
      .command('sweep')
      .description("replay a scenario once per value of one simulator parameter and show how the comparison moves")
      .requiredOption('--scenario <file>', 'a *.scenario.ts or .yaml file')
      .requiredOption('--target <name>', 'the simulated target whose parameter varies')
      .requiredOption('--param <name>', 'parameter name (see harness/targets/<kind>/params.ts)')
      .option('--values <list>', 'comma-separated values (default: spread over the parameter\'s sweep range)', numberList)
      .option('--points <n>', 'values when spreading over the sweep range', positiveInteger, 4)
      .option('--speed <factor>', 'replay speed factor (overrides the scenario)', positiveNumber)
      .option('--reports-dir <dir>', 'where reports are written', 'reports/out'),
  ).action(async (flags: StoreFlags & { scenario: string; target: string; param: string; values?: number[]; points: number; speed?: number; reportsDir: string }) => {
    const logger = loggerFor({});
    const { htmlPath, jsonPath, result } = await runSweep({
      scenario: await loadScenario(flags.scenario),
      target: flags.target,
      parameter: flags.param,
      values: flags.values,
      points: flags.points,
      logger,
      store: storeOptionsFrom(flags),
      dataDir: flags.dataDir,
      reportsDir: flags.reportsDir,
      speed: flags.speed,
    });
    for (const p of result.points) process.stdout.write(`${flags.param}=${p.value}: ${p.comparisons.map((c) => `${c.metric} ${c.verdict}`).join(', ')}  (run ${p.runId})\n`);
    process.stdout.write(result.verdictChanges.length ? `the verdict moves with ${flags.param} for: ${result.verdictChanges.join(', ')}\n` : `the verdict is the same at every value\n`);
    process.stdout.write(`sweep: ${htmlPath}\n${jsonPath}\n`);
  });
  for (const kind of ['baseline', 'decentralized'] as const) {
    sim
      .command(kind)
      .description(`the ${kind === 'baseline' ? 'baseline-cluster (managed consumer-GPU cloud)' : 'decentralized-network (permissionless marketplace)'} simulator`)
      .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', port, 0)
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .option('--seed <n>', 'random seed', nonNegativeInteger, 42)
      .option('--param <name=value>', 'override a simulator parameter (repeatable)', nameValue)
      .option('--reorder-window <ms>', `hold each job this long before planning it, so jobs are planned in intended order whatever order they arrive in (shard workers; 0 = on arrival; default ${DEFAULTS.sim.reorderWindowMs})`, nonNegativeNumber)
      .action(async (flags: { port: number; host: string; seed: number; param?: Record<string, unknown>; reorderWindow?: number }) => {
        const logger = loggerFor({});
        const running = await startSimulator(kind, { port: flags.port, host: flags.host, seed: flags.seed, params: flags.param ?? {}, reorderWindowMs: flags.reorderWindow, logger });
        process.stdout.write(`${kind} simulator listening on ${running.address}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.stop();
      });
  }
}
