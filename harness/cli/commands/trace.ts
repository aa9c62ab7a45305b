// `mirrorbench trace generate|import|inspect`.
import type { Command } from 'commander';
import { UsageError } from '../../common/errors.ts';
import { importTrace } from '../../trace/importers/index.ts';
import { formatTraceSummary, inspectTrace } from '../../trace/inspect.ts';
import { traceChecksum, writeJsonl } from '../../trace/readers/index.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const IMPORT_KINDS = ['azure-llm', 'alibaba-genai', 'alibaba-gpu'] as const;
type ImportKind = (typeof IMPORT_KINDS)[number];

function integer(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name}: expected a non-negative integer, found "${v}"`);
    return n;
  };
}

export function registerTraceCommands(program: Command): void {
  const trace = program.command('trace').description('make, import and inspect workload traces');

  trace
    .command('generate')
    .description('write a seeded synthetic trace (diurnal load, bursts, skewed tenants, mixed profiles) as canonical JSONL')
    .requiredOption('--out <file>', 'output .jsonl file')
    .option('--jobs <n>', 'number of jobs', integer('--jobs'), 3000)
    .option('--span <seconds>', 'trace span in seconds', integer('--span'), 2 * 24 * 3600)
    .option('--seed <n>', 'random seed', integer('--seed'), 42)
    .action(async (o: { out: string; jobs: number; span: number; seed: number }) => {
      const n = await writeJsonl(o.out, generateTrace({ jobs: o.jobs, spanSeconds: o.span, seed: o.seed }));
      process.stdout.write(`wrote ${n} jobs to ${o.out} (sha256 ${await traceChecksum(o.out)})\n`);
    });

  trace
    .command('import')
    .description(`map a public trace into canonical JSONL (${IMPORT_KINDS.join(', ')}; mappings in workloads/TRACE_FORMAT.md)`)
    .requiredOption('--from <kind>', `source format: ${IMPORT_KINDS.join(' | ')}`)
    .requiredOption('--out <file>', 'output .jsonl file')
    .argument('<file>', 'the public trace file')
    .option('--customer <name>', 'tenant name where the trace has none')
    .action(async (file: string, o: { from: string; out: string; customer?: string }) => {
      if (!(IMPORT_KINDS as readonly string[]).includes(o.from)) {
        throw new UsageError(`--from: expected one of ${IMPORT_KINDS.join(', ')}, found "${o.from}"`);
      }
      const n = await writeJsonl(o.out, importTrace(o.from as ImportKind, file, { customer: o.customer }));
      process.stdout.write(`imported ${n} jobs from ${file} to ${o.out}\n`);
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
