// Flags derived from a configuration's one schema: every field of the Golem
// bridge's settings (and the Salad bridge's) is a flag of `mirrorbench bridge`,
// with the schema's default in its help, and the schema alone judges values.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerBridgeCommands } from '../../../harness/cli/commands/bridge.ts';
import { addSchemaOptions, schemaValuesFrom } from '../../../harness/cli/schema-options.ts';
import { GolemSettingsSchema } from '../../../harness/targets/bridges/golem/options.ts';
import { SaladBridgeSchema } from '../../../scenarios/define.ts';

const kebab = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function parsed(args: string[]): Record<string, unknown> {
  const cmd = addSchemaOptions(new Command().exitOverride(), GolemSettingsSchema);
  cmd.parse(['node', 'x', ...args]);
  return cmd.opts();
}

describe('flags derived from a schema', () => {
  it('gives `bridge golem` and `bridge salad` one flag per schema field, defaults in the help', () => {
    const program = new Command();
    registerBridgeCommands(program);
    const bridge = program.commands.find((c) => c.name() === 'bridge')!;
    for (const [name, schema] of [['golem', GolemSettingsSchema], ['salad', SaladBridgeSchema]] as const) {
      const cmd = bridge.commands.find((c) => c.name() === name)!;
      const flags = cmd.options.map((o) => o.long);
      for (const key of Object.keys(schema.shape)) expect(flags, key).toContain(kebab(key));
      expect(flags.filter((f) => f !== '--port' && f !== '--host')).toHaveLength(Object.keys(schema.shape).length);
    }
    const help = bridge.commands.find((c) => c.name() === 'golem')!.helpInformation();
    expect(help).toMatch(/--max-env-per-hour-price <n>\s+price limit per hour of activity, GLM\s+\(default: 2\)/);
    expect(help).toMatch(/--capabilities <value\.\.\.>[\s\S]*\(default: !exp:gpu\)/);
  });

  it('passes on only the flags given, typed, for the schema to fill in and check', () => {
    const values = schemaValuesFrom(GolemSettingsSchema, parsed(['--budget-glm', '2.5', '--mainnet', '--capabilities', 'a', 'b', '--network', 'polygon']));
    expect(values).toEqual({ budgetGlm: 2.5, mainnet: true, capabilities: ['a', 'b'], network: 'polygon' });
    expect(GolemSettingsSchema.parse(values)).toMatchObject({ budgetGlm: 2.5, maxRentals: 20, glmUsd: 0.25, command: 'sleep {work_seconds}' });
  });

  it('refuses what the schema refuses, naming the flag', () => {
    expect(() => schemaValuesFrom(GolemSettingsSchema, parsed(['--max-attempts', '0']))).toThrow(/--max-attempts: /);
    expect(() => schemaValuesFrom(GolemSettingsSchema, parsed(['--image-url', 'http://h/i.gvmi']))).toThrow(/--image-hash: imageUrl and imageHash go together/);
    expect(() => parsed(['--glm-usd', 'cheap'])).toThrow(/expected a number/);
  });
});
