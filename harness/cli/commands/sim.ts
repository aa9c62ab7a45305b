// `mirrorbench sim baseline|decentralized --port N`: a simulator as a
// standalone gRPC server, for replays from other processes or machines.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { startSimulator } from '../../targets/index.ts';
import { loadScenario } from '../../../scenarios/load.ts';
import { addStoreOptions, loggerFor, storeOptionsFrom, type StoreFlags } from '../context.ts';
import { runSweep } from '../../run/sweep.ts';

function parseParam(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`--param: expected name=value, found "${value}"`);
  const raw = value.slice(eq + 1);
  const num = Number(raw);
  return { ...previous, [value.slice(0, eq)]: raw !== '' && Number.isFinite(num) ? num : raw };
}

function numberList(v: string): number[] {
  const out = v.split(',').map((x) => Number(x.trim()));
  if (!out.length || out.some((n) => !Number.isFinite(n) || n < 0)) throw new UsageError(`--values: expected comma-separated non-negative numbers, found "${v}"`);
  return out;
}

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
      .option('--points <n>', 'values when spreading over the sweep range', '4')
      .option('--speed <factor>', 'replay speed factor (overrides the scenario)')
      .option('--reports-dir <dir>', 'where reports are written', 'reports/out'),
  ).action(async (flags: StoreFlags & { scenario: string; target: string; param: string; values?: number[]; points: string; speed?: string; reportsDir: string }) => {
    const logger = loggerFor({});
    const points = Number(flags.points);
    if (!Number.isInteger(points) || points < 1) throw new UsageError(`--points: expected a positive integer, found "${flags.points}"`);
    const { htmlPath, jsonPath, result } = await runSweep({
      scenario: await loadScenario(flags.scenario),
      target: flags.target,
      parameter: flags.param,
      values: flags.values,
      points,
      logger,
      store: storeOptionsFrom(flags),
      dataDir: flags.dataDir,
      reportsDir: flags.reportsDir,
      speed: flags.speed ? Number(flags.speed) : undefined,
    });
    for (const p of result.points) process.stdout.write(`${flags.param}=${p.value}: ${p.comparisons.map((c) => `${c.metric} ${c.verdict}`).join(', ')}  (run ${p.runId})\n`);
    process.stdout.write(result.verdictChanges.length ? `the verdict moves with ${flags.param} for: ${result.verdictChanges.join(', ')}\n` : `the verdict is the same at every value\n`);
    process.stdout.write(`sweep: ${htmlPath}\n${jsonPath}\n`);
  });
  for (const kind of ['baseline', 'decentralized'] as const) {
    sim
      .command(kind)
      .description(`the ${kind === 'baseline' ? 'baseline-cluster (managed consumer-GPU cloud)' : 'decentralized-network (permissionless marketplace)'} simulator`)
      .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '0')
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .option('--seed <n>', 'random seed', '42')
      .option('--param <name=value>', 'override a simulator parameter (repeatable)', parseParam)
      .action(async (flags: { port: string; host: string; seed: string; param?: Record<string, unknown> }) => {
        const logger = loggerFor({});
        const port = Number(flags.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0-65535, found "${flags.port}"`);
        const running = await startSimulator(kind, { port, host: flags.host, seed: Number(flags.seed), params: flags.param ?? {}, logger });
        process.stdout.write(`${kind} simulator listening on ${running.address}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.stop();
      });
  }
}
