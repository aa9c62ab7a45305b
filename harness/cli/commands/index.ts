// One module per subcommand family; each exports its register function.
import type { Command } from 'commander';
import { registerDbCommands, registerExportCommands } from './db.ts';
import { registerBridgeCommands } from './bridge.ts';
import { registerCampaignCommands } from './campaign.ts';
import { registerK6Commands } from './k6.ts';
import { registerPlanCommands } from './plan.ts';
import { registerScenarioCommands } from './scenario.ts';
import { registerReplayCommands } from './replay.ts';
import { registerReportCommands } from './report.ts';
import { registerSimCommands } from './sim.ts';
import { registerTraceCommands } from './trace.ts';

export function registerCommands(program: Command): void {
  registerReplayCommands(program);
  registerReportCommands(program);
  registerPlanCommands(program);
  registerSimCommands(program);
  registerTraceCommands(program);
  registerDbCommands(program);
  registerExportCommands(program);
  registerScenarioCommands(program);
  registerCampaignCommands(program);
  registerK6Commands(program);
  registerBridgeCommands(program);
}
