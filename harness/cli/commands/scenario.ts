// `mirrorbench scenario check FILE...`: validate scenarios without running them.
import type { Command } from 'commander';
import { checkScenario } from '../../run/scenario-check.ts';

export function registerScenarioCommands(program: Command): void {
  const scenario = program.command('scenario').description('work with scenario files');
  scenario
    .command('check')
    .description('validate scenarios without running them: fields (with their paths), simulator parameters and faults, trace file, thresholds')
    .argument('<files...>', '*.scenario.ts or .yaml files')
    .action(async (files: string[]) => {
      let bad = 0;
      for (const f of files) {
        const r = await checkScenario(f);
        if (r.problems.length) {
          bad++;
          process.stdout.write(`${f}: INVALID\n${r.problems.map((p) => `  ${p}`).join('\n')}\n`);
        } else {
          const s = r.scenario!;
          const trace = 'file' in s.trace ? s.trace.file : `generated (${JSON.stringify(s.trace.generate)})`;
          process.stdout.write(`${f}: ok — "${s.name}", ${s.targets.length} targets (${s.targets.map((t) => t.name).join(', ')}), trace ${trace}\n`);
        }
      }
      process.exitCode = bad ? 2 : 0;
    });
}
