// `mirrorbench sim baseline|decentralized --port N`: a simulator as a
// standalone gRPC server, for replays from other processes or machines.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { startSimulator } from '../../targets/index.ts';
import { loggerFor } from '../context.ts';

function parseParam(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`--param: expected name=value, found "${value}"`);
  const raw = value.slice(eq + 1);
  const num = Number(raw);
  return { ...previous, [value.slice(0, eq)]: raw !== '' && Number.isFinite(num) ? num : raw };
}

export function registerSimCommands(program: Command): void {
  const sim = program.command('sim').description('run a simulated backend as a gRPC ComputeTarget server on loopback');
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
