// `mirrorbench replay --scenario FILE` and `mirrorbench demo`.
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { formatComparisonTable } from '../../../reports/table.ts';
import { loadScenario } from '../../../scenarios/load.ts';
import type { Scenario } from '../../../scenarios/define.ts';
import { progressView } from '../progress.ts';
import { isoInstant, nonNegativeNumber, positiveInteger, positiveNumber, shard } from '../parse.ts';
import { EXIT, addStoreOptions, storeOptionsFrom, withRunContext, type StoreFlags } from '../context.ts';
import { stoppedRunScenario } from '../../run/resume.ts';
import { runReplicated } from '../../run/replicates.ts';
import { runScenario } from '../../run/run-scenario.ts';
import { formatReplicateTable } from '../../../reports/replicates.ts';

const DEMO_SCENARIO = fileURLToPath(new URL('../../../scenarios/demo.scenario.ts', import.meta.url));

interface RunFlags extends StoreFlags {
  speed?: number;
  maxInFlight?: number;
  badLines?: 'fail' | 'skip';
  shard?: { index: number; count: number };
  runId?: string;
  startAt?: number;
  startLateMax?: number;
  reportsDir?: string;
  progress?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

async function execute(scenario: Scenario, flags: RunFlags, resumeRunId?: string): Promise<number> {
  if (flags.badLines && 'file' in scenario.trace) scenario.trace.badLines = flags.badLines;
  // A resumed replicate is one run of its set (its stored configuration keeps the link).
  if (scenario.replicates && !resumeRunId) return executeReplicated(scenario, flags);
  const result = await withRunContext(flags, (ctx) =>
    runScenario({
      ...ctx,
      scenario,
      speed: flags.speed,
      maxInFlight: flags.maxInFlight,
      progress: flags.progress,
      progressView: (planned) => progressView(ctx.logger, planned),
      resumeRunId,
      shard: flags.shard,
      runId: flags.runId,
      startAtMs: flags.startAt,
      startLateMaxMs: flags.startLateMax,
    }),
  );
  if (!result.report) {
    // One worker of n: its part is done, but the run's report and gates are the whole run's, built once every worker is stored
    // (a Kubernetes Job must not restart a worker that finished because another has not yet).
    const w = result.run.workerRow;
    process.stdout.write(`run ${result.run.runId}: worker ${w?.shard_index}/${w?.shard_count} ${result.run.status}, ${result.run.released} jobs sent to ${result.run.targets.length} targets\n`);
    if (result.run.status === 'interrupted') return EXIT.interrupted;
    const done = result.status.present.length - result.status.notCompleted.length;
    process.stdout.write(`worker ${w?.shard_index}/${w?.shard_count}: ${w?.jobs_sent} jobs sent; the run is ${result.status.status} (${done} of ${result.status.shards} workers completed). ` +
      `When all are: mirrorbench report --run ${result.run.runId}\n`);
    return EXIT.ok;
  }
  process.stdout.write(`\n${formatComparisonTable(result.report.summary)}\n`);
  process.stdout.write(`run ${result.run.runId}: ${result.run.status}, ${result.run.released} jobs sent to ${result.run.targets.length} targets\n`);
  process.stdout.write(`report: ${result.report.htmlPath}\nsummary: ${result.report.summaryPath}\n`);
  if (result.run.status === 'interrupted') return EXIT.interrupted;
  if (!result.report.summary.validity.valid) return EXIT.inconclusive;
  return result.thresholds.passed ? EXIT.ok : EXIT.thresholdFailed;
}

async function executeReplicated(scenario: Scenario, flags: RunFlags): Promise<number> {
  const result = await withRunContext(flags, (ctx) =>
    runReplicated({
      ...ctx, scenario, speed: flags.speed, maxInFlight: flags.maxInFlight, progress: flags.progress,
      progressView: (planned) => progressView(ctx.logger, planned), shard: flags.shard, runId: flags.runId,
    }),
  );
  for (const r of result.runs) process.stdout.write(`run ${r.run.runId}: ${r.run.status}${r.report.summary.validity.valid ? '' : ' (INCONCLUSIVE)'}, ${r.run.released} jobs sent; report: ${r.report.htmlPath}\n`);
  process.stdout.write(`\n${formatReplicateTable(result.report.summary)}\n`);
  process.stdout.write(`replicates ${result.set}: report: ${result.report.htmlPath}\nsummary: ${result.report.summaryPath}\n`);
  if (result.interrupted) return EXIT.interrupted;
  if (!result.valid) return EXIT.inconclusive;
  return result.thresholdsPassed ? EXIT.ok : EXIT.thresholdFailed;
}

function runOptions(cmd: Command): Command {
  return addStoreOptions(cmd)
    .option('--speed <factor>', 'replay speed factor (overrides the scenario)', positiveNumber)
    .option('--max-in-flight <n>', 'jobs in flight per target (overrides the scenario\'s maxInFlightPerTarget); beyond it that target\'s jobs wait in its own harness queue', positiveInteger)
    .option('--reports-dir <dir>', 'where reports are written', 'reports/out')
    .addOption(new Option('--bad-lines <policy>', 'malformed trace lines: fail (stop, naming file, line and field) or skip (count them and go on)').choices(['fail', 'skip']))
    .option('--shard <i/n>', 'send only worker i of n\'s share of the jobs (0-based; by a hash of job_id, no overlap)', shard)
    .option('--run-id <id>', 'run id (the same on every shard worker of one run)', (v: string) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(v)) throw new UsageError(`--run-id ${v}: letters, digits and _ . : - only (it names a report folder)`);
      return v;
    })
    .option('--start-at <iso>', 'common start of a sharded run\'s workers (ISO 8601 with zone): each waits for it and maps the trace\'s first selected job to it', isoInstant)
    .option('--start-late-max <ms>', 'a worker ready later than this after --start-at refuses to start (exit 5); default 50', nonNegativeNumber)
    .option('--no-progress', 'no progress bar')
    .option('-v, --verbose', 'debug logging')
    .option('-q, --quiet', 'warnings and errors only');
}

export function registerReplayCommands(program: Command): void {
  runOptions(
    program
      .command('demo')
      .description('generate a sample trace, mirror it onto both simulators (about a minute), store it in chDB and write the report')
      .addOption(new Option('--jobs <n>', 'jobs in the sample trace').argParser(positiveNumber))
      .addOption(new Option('--seconds <n>', 'wall-clock length to aim for').argParser(positiveNumber)),
  ).action(async (flags: RunFlags & { jobs?: number; seconds?: number }) => {
    const scenario = await loadScenario(DEMO_SCENARIO);
    if (flags.jobs && 'generate' in scenario.trace) scenario.trace.generate = { ...scenario.trace.generate, jobs: Math.round(flags.jobs) };
    if (flags.seconds) scenario.speed = { fitSeconds: flags.seconds };
    process.exitCode = await execute(scenario, flags);
  });

  runOptions(
    program
      .command('replay')
      .description('replay a scenario: its trace, at its speed, onto its targets; store every event; write the report')
      .option('--scenario <file>', 'a *.scenario.ts or .yaml file')
      .option('--resume <run-id>', 'continue a stopped run: jobs with an outcome are not sent again, the rest are'),
  ).action(async (flags: RunFlags & { scenario?: string; resume?: string }) => {
    if (!flags.scenario && !flags.resume) throw new UsageError('replay: give --scenario FILE, or --resume RUN_ID to continue a stopped run');
    if (flags.scenario && flags.resume) throw new UsageError('replay: --resume continues the run with its own stored scenario; leave out --scenario');
    if (flags.resume) {
      process.exitCode = await execute(await stoppedRunScenario(storeOptionsFrom(flags), flags.resume, flags.shard), flags, flags.resume);
      return;
    }
    process.exitCode = await execute(await loadScenario(flags.scenario!), flags);
  });
}
