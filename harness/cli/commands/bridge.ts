// `mirrorbench bridge salad|golem …`: a real backend behind the ComputeTarget
// contract, for scenarios to reach at host:port like any target.
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../../common/errors.ts';
import type { RunningTarget } from '../../targets/common/sim-server.ts';
import { SaladBridgeSchema } from '../../../scenarios/define.ts';
import { GolemSettingsSchema, resolveGolemConfig } from '../../targets/bridges/golem/options.ts';
import { startGolemBridge } from '../../targets/bridges/golem/server.ts';
import { startSaladBridge } from '../../targets/bridges/salad/server.ts';
import { golemOptionsFrom, saladOptionsFrom } from '../../run/bridge-target.ts';
import { loggerFor } from '../context.ts';
import { port } from '../parse.ts';
import { addSchemaOptions, schemaValuesFrom } from '../schema-options.ts';


async function serveUntilSignal(running: RunningTarget): Promise<void> {
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
}

export function registerBridgeCommands(program: Command): void {
  const bridge = program.command('bridge').description('serve a real backend as a ComputeTarget gRPC server (the API key comes from the environment)');
  addSchemaOptions(bridge.command('salad').description('SaladCloud job queue as the baseline (key from SALAD_API_KEY)'), SaladBridgeSchema)
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', port, 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (flags: Record<string, unknown> & { port: number; host: string }) => {
      const spec = SaladBridgeSchema.parse(schemaValuesFrom(SaladBridgeSchema, flags));
      const running = await startSaladBridge({ ...saladOptionsFrom(spec, process.env), host: flags.host, port: flags.port, logger: loggerFor({}) });
      process.stdout.write(`SaladCloud bridge on ${running.address} (queue ${spec.queue}); use { name: salad, address: "${running.address}" } in a scenario\n`);
      await serveUntilSignal(running);
    });

  addSchemaOptions(
    bridge.command('golem').description('the Golem network through golem-js and a yagna requestor node (app key from YAGNA_APPKEY); testnet unless --mainnet'),
    GolemSettingsSchema,
  )
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', port, 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (flags: Record<string, unknown> & { port: number; host: string }) => {
      const options = golemOptionsFrom(schemaValuesFrom(GolemSettingsSchema, flags), process.env);
      const running = await startGolemBridge({ ...options, host: flags.host, port: flags.port, logger: loggerFor({}) });
      const cfg = resolveGolemConfig(options);
      process.stdout.write(`Golem bridge on ${running.address} (${cfg.driver}-${cfg.network}, allocation ${cfg.budgetGlm} GLM); use { name: golem, address: "${running.address}" } in a scenario\n`);
      await serveUntilSignal(running);
    });
}
