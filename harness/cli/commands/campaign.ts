// `mirrorbench campaign start campaigns.yaml`: run scenarios on cron schedules.
import type { Command } from 'commander';
import { CampaignRunner } from '../../campaign/runner.ts';
import { loadCampaigns } from '../../campaign/config.ts';
import { campaignRunsPassedSince } from '../../store/campaigns.ts';
import { openStore } from '../../store/open.ts';
import { addStoreOptions, loggerFor, storeOptionsFrom, type StoreFlags } from '../context.ts';

export function registerCampaignCommands(program: Command): void {
  const campaign = program.command('campaign').description('scheduled mirroring campaigns');
  addStoreOptions(
    campaign
      .command('start')
      .description('run each campaign\'s scenario on its cron schedule until stopped (Ctrl-C waits for runs in progress)')
      .argument('<file>', 'campaigns.yaml')
      .option('--once', 'run every campaign once now, then exit (exit 3 if a gate failed or a regression was found)')
      .option('--reports-dir <dir>', 'where reports and the campaigns index are written', 'reports/out'),
  ).action(async (file: string, flags: StoreFlags & { once?: boolean; reportsDir: string }) => {
    const logger = loggerFor({});
    const campaigns = await loadCampaigns(file);
    const store = openStore(storeOptionsFrom(flags));
    const runner = new CampaignRunner(campaigns, { store, dataDir: flags.dataDir, reportsDir: flags.reportsDir, logger });
    try {
      if (flags.once) {
        await store.init();
        for (const c of campaigns) await runner.tick(c);
        const passed = await campaignRunsPassedSince(store, Date.now() * 1000 - 86_400e6);
        process.stdout.write(`campaigns index: ${await runner.writeIndex()}\n`);
        process.exitCode = passed ? 0 : 3;
        return;
      }
      await runner.start();
      process.stdout.write(`campaigns running (${campaigns.map((c) => `${c.name}: ${c.cron}`).join('; ')}); index: ${runner.indexPath}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      logger.warn('stopping: waiting for runs in progress');
      await runner.stop();
    } finally {
      await store.close();
    }
  });
}
