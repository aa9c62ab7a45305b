// `mirrorbench bridge salad …`: a real backend behind the ComputeTarget contract,
// for scenarios to reach at host:port like any target.
import type { Command } from 'commander';
import { Option } from 'commander';
import { ConfigError, UsageError } from '../../common/errors.ts';
import { startSaladBridge } from '../../targets/bridges/salad/server.ts';
import { loggerFor } from '../context.ts';

export function registerBridgeCommands(program: Command): void {
  const bridge = program.command('bridge').description('serve a real backend as a ComputeTarget gRPC server (the API key comes from the environment)');
  bridge
    .command('salad')
    .description('SaladCloud job queue as the baseline (key from SALAD_API_KEY)')
    .requiredOption('--organization <name>', 'SaladCloud organization')
    .requiredOption('--project <name>', 'project')
    .requiredOption('--queue <name>', 'job queue the container group serves')
    .requiredOption('--container-group <name>', 'container group (its instances are the providers)')
    .option('--gpu-class <name>', 'GPU class whose live price is billed', 'rtx4090')
    .addOption(new Option('--priority <level>', 'container group priority').choices(['high', 'medium', 'low', 'batch']).default('high'))
    .option('--api-url <url>', 'API base URL', 'https://api.salad.com/api/public')
    .option('--poll-ms <n>', 'job and instance polling interval', '2000')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (flags: { organization: string; project: string; queue: string; containerGroup: string; gpuClass: string; priority: 'high' | 'medium' | 'low' | 'batch'; apiUrl: string; pollMs: string; port: string; host: string }) => {
      const logger = loggerFor({});
      const apiKey = process.env.SALAD_API_KEY;
      if (!apiKey) throw new ConfigError('set SALAD_API_KEY to a SaladCloud API key (it is never read from a flag, so it stays out of shell history)');
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0-65535, found "${flags.port}"`);
      const running = await startSaladBridge({
        api: { baseUrl: flags.apiUrl, apiKey, organization: flags.organization, project: flags.project, queue: flags.queue, containerGroup: flags.containerGroup },
        gpuClass: flags.gpuClass,
        priority: flags.priority,
        pollMs: Number(flags.pollMs),
        host: flags.host,
        port,
        logger,
      });
      process.stdout.write(`SaladCloud bridge on ${running.address} (queue ${flags.queue}); use { name: salad, address: "${running.address}" } in a scenario\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.stop();
    });
}
