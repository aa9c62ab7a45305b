// `mirrorbench campaign start campaigns.yaml`: run scenarios on cron schedules.
import type { Command } from 'commander';
import { CampaignRunner } from '../../campaign/runner.ts';
import { loadCampaigns } from '../../campaign/config.ts';
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
        const outcomes = [];
        for (const c of campaigns) outcomes.push(await runner.tick(c));
        process.stdout.write(`campaigns index: ${await runner.writeIndex()}\n`);
        for (const o of outcomes) process.stdout.write(`${o.campaign}: ${o.runId || '(no run)'} ${o.status}${o.ok ? '' : ' — failed (gate, regression or run)'}\n`);
        // Only this invocation's runs decide the exit code, not older rows in the table.
        process.exitCode = outcomes.every((o) => o.ok) ? 0 : 3;
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
