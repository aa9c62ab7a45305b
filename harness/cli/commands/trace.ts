// `mirrorbench trace generate|import|inspect`.
import { Option, type Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { printable } from '../../common/printable.ts';
import { IMPORT_KINDS, importTrace, type ImportKind } from '../../trace/importers/index.ts';
import { formatTraceSummary, inspectTrace } from '../../trace/inspect.ts';
import { traceChecksum, writeJsonl } from '../../trace/readers/index.ts';
import { nonNegativeInteger } from '../parse.ts';
import { generateTrace } from '../../../workloads/generator.ts';

export function registerTraceCommands(program: Command): void {
  const trace = program.command('trace').description('make, import and inspect workload traces');

  trace
    .command('generate')
    .description('write a seeded synthetic trace (diurnal load, bursts, skewed tenants, mixed profiles) as canonical JSONL')
    .requiredOption('--out <file>', 'output .jsonl file')
    .option('--jobs <n>', 'number of jobs', nonNegativeInteger, 3000)
    .option('--span <seconds>', 'trace span in seconds', nonNegativeInteger, 2 * 24 * 3600)
    .option('--seed <n>', 'random seed', nonNegativeInteger, 42)
    .action(async (o: { out: string; jobs: number; span: number; seed: number }) => {
      const n = await writeJsonl(o.out, generateTrace({ jobs: o.jobs, spanSeconds: o.span, seed: o.seed }));
      process.stdout.write(`wrote ${n} jobs to ${o.out} (sha256 ${await traceChecksum(o.out)})\n`);
    });

  trace
    .command('import')
    .description(`map a public trace into canonical JSONL (${IMPORT_KINDS.join(', ')}; mappings in workloads/TRACE_FORMAT.md)`)
    .addOption(new Option('--from <kind>', 'source format').choices(IMPORT_KINDS).makeOptionMandatory())
    .requiredOption('--out <file>', 'output .jsonl file')
    .argument('<file>', 'the public trace file')
    .option('--customer <name>', 'tenant name where the trace has none')
    .option('--service <name>', 'azure-llm: the service the file holds (code, conv, …), when its name does not say or to override it')
    .action(async (file: string, o: { from: ImportKind; out: string; customer?: string; service?: string }) => {
      let source: string | undefined;
      const jobs = importTrace(o.from, file, { customer: o.customer, service: o.service });
      const n = await writeJsonl(o.out, (async function* () {
        for await (const job of jobs) {
          source ??= job.labels.service ? `${job.labels.source} (service ${job.labels.service}, from the ${job.labels.service_from})` : job.labels.source;
          yield job;
        }
      })());
      process.stdout.write(`imported ${n} jobs from ${printable(file)} to ${printable(o.out)}${source ? ` as ${printable(source)}` : ''}\n`);
    });

  trace
    .command('inspect')
    .description('summarize a canonical trace: span, arrival rate, mix by task type, profile and tenant, work-time quantiles')
    .argument('<file>', 'a .jsonl, .csv or .arrow trace')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const summary = await inspectTrace(file);
      process.stdout.write(o.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatTraceSummary(summary)}\n`);
    });
}
