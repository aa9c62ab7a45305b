// `mirrorbench bridge salad|golem …`: a real backend behind the ComputeTarget
// contract, for scenarios to reach at host:port like any target.
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../../common/errors.ts';
import type { RunningTarget } from '../../targets/common/sim-server.ts';
import type { GolemBridgeSpec, SaladBridgeSpec } from '../../../scenarios/define.ts';
import { GOLEM_DEFAULTS } from '../../targets/bridges/golem/options.ts';
import { startGolemBridge } from '../../targets/bridges/golem/server.ts';
import { startSaladBridge } from '../../targets/bridges/salad/server.ts';
import { golemOptionsFrom, saladOptionsFrom } from '../../run/bridge-target.ts';
import { loggerFor } from '../context.ts';
import { nonNegativeNumber, port, positiveNumber } from '../parse.ts';


async function serveUntilSignal(running: RunningTarget): Promise<void> {
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
}

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
    .option('--poll-ms <n>', 'job and instance polling interval', positiveNumber, 2000)
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', port, 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (flags: SaladBridgeSpec & { port: number; host: string }) => {
      const { port: p, host, ...spec } = flags;
      const running = await startSaladBridge({ ...saladOptionsFrom(spec, process.env), host, port: p, logger: loggerFor({}) });
      process.stdout.write(`SaladCloud bridge on ${running.address} (queue ${flags.queue}); use { name: salad, address: "${running.address}" } in a scenario\n`);
      await serveUntilSignal(running);
    });

  const g = GOLEM_DEFAULTS;
  bridge
    .command('golem')
    .description('the Golem network through golem-js and a yagna requestor node (app key from YAGNA_APPKEY); testnet unless --mainnet')
    .option('--yagna-url <url>', 'yagna REST API', process.env.YAGNA_API_URL ?? 'http://127.0.0.1:7465')
    .option('--network <name>', 'payment network (holesky, sepolia, … or polygon with --mainnet)', g.payment.network)
    .option('--driver <name>', 'payment driver', g.payment.driver)
    .option('--mainnet', 'confirm spending real GLM on a mainnet payment network', false)
    .option('--budget <glm>', 'allocation for the whole run, in GLM', positiveNumber, g.payment.budgetGlm)
    .option('--allocation-hours <h>', 'allocation lifetime (run + settlement)', positiveNumber, g.payment.allocationHours)
    .option('--image-tag <tag>', 'workload image from the Golem registry', g.workload.imageTag)
    .option('--image-url <url>', 'workload image URL (with --image-hash; no registry lookup)')
    .option('--image-hash <sha3>', 'SHA3-224 of the image at --image-url')
    .option('--runtime <name>', 'exe-unit runtime', g.workload.runtime)
    .option('--capability <cap...>', 'runtime capabilities the offer must have', g.workload.capabilities)
    .option('--min-mem-gib <n>', 'minimum memory', nonNegativeNumber, g.workload.minMemGib)
    .option('--min-storage-gib <n>', 'minimum storage', nonNegativeNumber, g.workload.minStorageGib)
    .option('--command <template>', 'command per job ({work_seconds} {job_id} {task_type} {input_bytes} {output_bytes})', g.workload.command)
    .option('--max-start-price <glm>', 'price limit: per agreement start', nonNegativeNumber, g.pricing.maxStartPrice)
    .option('--max-env-per-hour <glm>', 'price limit: per hour of activity', nonNegativeNumber, g.pricing.maxEnvPerHourPrice)
    .option('--max-cpu-per-hour <glm>', 'price limit: per CPU hour', nonNegativeNumber, g.pricing.maxCpuPerHourPrice)
    .option('--max-attempts <n>', 'attempts per job, each on a provider the job has not lost', positiveNumber, g.maxAttempts)
    .option('--agreement-timeout-s <s>', 'wait for an agreement per attempt', positiveNumber, g.agreementTimeoutMs / 1000)
    .option('--max-rentals <n>', 'rentals open at once', positiveNumber, g.maxConcurrentRentals)
    .option('--glm-usd <rate>', 'USD per GLM for the price ticks (the rate of the run day)', positiveNumber, g.usdRate)
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', port, 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(
      async (flags: {
        yagnaUrl: string; network: string; driver: string; mainnet: boolean; budget: number; allocationHours: number; imageTag: string; imageUrl?: string; imageHash?: string;
        runtime: string; capability: string[]; minMemGib: number; minStorageGib: number; command: string; maxStartPrice: number; maxEnvPerHour: number; maxCpuPerHour: number;
        maxAttempts: number; agreementTimeoutS: number; maxRentals: number; glmUsd: number; port: number; host: string;
      }) => {
        const logger = loggerFor({});
        if (Boolean(flags.imageUrl) !== Boolean(flags.imageHash)) throw new UsageError('--image-url and --image-hash go together');
        const spec: GolemBridgeSpec = {
          yagnaUrl: flags.yagnaUrl,
          network: flags.network,
          driver: flags.driver,
          mainnet: flags.mainnet,
          budgetGlm: flags.budget,
          allocationHours: flags.allocationHours,
          ...(flags.imageUrl ? { imageUrl: flags.imageUrl, imageHash: flags.imageHash } : { imageTag: flags.imageTag }),
          runtime: flags.runtime,
          capabilities: flags.capability,
          minMemGib: flags.minMemGib,
          minStorageGib: flags.minStorageGib,
          command: flags.command,
          maxStartPrice: flags.maxStartPrice,
          maxEnvPerHourPrice: flags.maxEnvPerHour,
          maxCpuPerHourPrice: flags.maxCpuPerHour,
          maxAttempts: flags.maxAttempts,
          agreementTimeoutSeconds: flags.agreementTimeoutS,
          maxRentals: flags.maxRentals,
          glmUsd: flags.glmUsd,
        };
        const running = await startGolemBridge({ ...golemOptionsFrom(spec, process.env), host: flags.host, port: flags.port, logger });
        process.stdout.write(`Golem bridge on ${running.address} (${flags.driver}-${flags.network}, allocation ${flags.budget} GLM); use { name: golem, address: "${running.address}" } in a scenario\n`);
        await serveUntilSignal(running);
      },
    );
}
