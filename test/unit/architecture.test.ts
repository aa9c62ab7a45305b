import { describe, expect, it } from 'vitest';
import { cruise } from 'dependency-cruiser';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

describe('architecture', () => {
  it('has no import cycles and every stage imports only from earlier stages', async () => {
    const config = require('../../.dependency-cruiser.cjs');
    const result = await cruise(['harness', 'scenarios', 'workloads', 'reports'], {
      ...config.options,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
    });
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[]; totalCruised: number } };
    const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(violations).toEqual([]);
    // Guards against a config that silently cruises nothing.
    expect(output.summary.totalCruised).toBeGreaterThan(10);
  });
});
