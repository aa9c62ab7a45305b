// `mirrorbench report --run ID`: (re)builds a run's report from the store.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openStore } from '../../store/open.ts';
import { buildReport } from '../../../reports/build.ts';
import { formatComparisonTable } from '../../../reports/table.ts';
import { evaluateThresholds } from '../../../reports/thresholds.ts';
import { addStoreOptions, loggerFor, storeOptionsFrom, type StoreFlags } from '../context.ts';

export function registerReportCommands(program: Command): void {
  addStoreOptions(
    program
      .command('report')
      .description('build the HTML and JSON report of a stored run; exits 3 when a threshold fails')
      .requiredOption('--run <id>', 'run id')
      .option('--threshold <expr...>', 'gates such as "p99_ratio < 1.5" "success_rate > 0.98"')
      .option('--reports-dir <dir>', 'where reports are written', 'reports/out'),
  ).action(async (flags: StoreFlags & { run: string; threshold?: string[]; reportsDir: string }) => {
    loggerFor({});
    const store = openStore(storeOptionsFrom(flags));
    try {
      const report = await buildReport(store, flags.run, { outDir: resolve(flags.reportsDir) });
      process.stdout.write(`${formatComparisonTable(report.summary)}\nreport: ${report.htmlPath}\nsummary: ${report.summaryPath}\n`);
      const gates = evaluateThresholds(report.summary, flags.threshold ?? []);
      for (const r of gates.results) process.stdout.write(`${r.passed ? 'pass' : 'FAIL'}: ${r.expression} (${r.detail})\n`);
      process.exitCode = gates.passed ? 0 : 3;
    } finally {
      await store.close();
    }
  });
}
