// `mirrorbench report --run ID`: (re)builds a run's report from the store.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { reportRun } from '../../run/report.ts';
import { openStore } from '../../store/open.ts';
import { formatComparisonTable } from '../../../reports/table.ts';
import { buildReplicateReport, formatReplicateTable } from '../../../reports/replicates.ts';
import { replicateRuns, runExists } from '../../store/runs.ts';
import { EXIT, addStoreOptions, loggerFor, storeOptionsFrom, type StoreFlags } from '../context.ts';

export function registerReportCommands(program: Command): void {
  addStoreOptions(
    program
      .command('report')
      .description('build the HTML and JSON report of a stored run; exits 3 when a threshold fails, 4 when the run is inconclusive')
      .requiredOption('--run <id>', 'run id')
      .option('--threshold <expr...>', 'gates such as "p99_ratio < 1.5" "success_rate > 0.98"')
      .option('--reports-dir <dir>', 'where reports are written', 'reports/out'),
  ).action(async (flags: StoreFlags & { run: string; threshold?: string[]; reportsDir: string }) => {
    loggerFor({});
    const store = openStore(storeOptionsFrom(flags));
    try {
      // A replicate set's id names no run of its own: its page combines the runs <set>.r1 … (reports/replicates.ts).
      if (!(await runExists(store, flags.run)) && (await replicateRuns(store, flags.run)).length) {
        const set = await buildReplicateReport(store, flags.run, { outDir: resolve(flags.reportsDir) });
        process.stdout.write(`${formatReplicateTable(set.summary)}\nreport: ${set.htmlPath}\nsummary: ${set.summaryPath}\n`);
        process.exitCode = set.summary.replicates.every((r) => r.valid) ? EXIT.ok : EXIT.inconclusive;
        return;
      }
      const { report, thresholds: gates } = await reportRun(store, flags.run, { reportsDir: flags.reportsDir, thresholds: flags.threshold ?? [] });
      process.stdout.write(`${formatComparisonTable(report.summary)}\nreport: ${report.htmlPath}\nsummary: ${report.summaryPath}\n`);
      for (const r of gates.results) process.stdout.write(`${r.passed ? 'pass' : 'FAIL'}: ${r.expression} (${r.detail})\n`);
      process.exitCode = !report.summary.validity.valid ? EXIT.inconclusive : gates.passed ? EXIT.ok : EXIT.thresholdFailed;
    } finally {
      await store.close();
    }
  });
}
