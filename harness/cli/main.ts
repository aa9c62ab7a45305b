// The `mirrorbench` command: parses arguments and hands each subcommand to
// its module in commands/. Wiring only; no logic lives here.
import { Command, CommanderError } from 'commander';
import { MirrorbenchError } from '../common/errors.ts';
import { redactCredentials } from '../common/redact.ts';
import { registerCommands } from './commands/index.ts';
import { EXIT } from './context.ts';

export function buildProgram(): Command {
  const program = new Command('mirrorbench')
    .description('Mirror recorded GPU workloads onto a baseline cluster and a decentralized network, and compare them.')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Help and --version end with 0; an unknown command or a bad option value is bad input, like any other (exit 2).
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT.badInput;
    if (err instanceof MirrorbenchError) {
      process.stderr.write(`mirrorbench: ${err.code}: ${redactCredentials(err.message)}\n`);
      if (err.code === 'START_LATE') return EXIT.startLate;
      return err.code === 'THRESHOLD_FAILED' ? EXIT.thresholdFailed : err.code === 'INTERRUPTED' ? EXIT.interrupted : EXIT.badInput;
    }
    process.stderr.write(`mirrorbench: unexpected error: ${redactCredentials(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    return 1;
  }
}
