// summary.json has a published JSON Schema (reports/summary.schema.json): the
// golden summary meets it, and the first-screen fields are checked strictly
// enough that a malformed one is caught.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarySchemaErrors } from '../../helpers/summary-schema.ts';

// The golden copy leaves out the wall-clock fields (test/helpers/golden.ts): churn is put back empty.
const golden = () => ({ churn: [], ...JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/golden/summary.golden.json'), 'utf8')) }) as Record<string, unknown> & {
  warnings: unknown[];
  decision: { rows: Record<string, unknown>[] };
  thresholds: { results: unknown[] };
};

describe('summary.json schema', () => {
  it('accepts the golden summary (bottom line, thresholds, warnings with severity, decision matrix)', () => {
    expect(summarySchemaErrors(golden())).toEqual([]);
  });

  it('rejects a summary without its bottom line, a warning without severity, an unknown decision and a threshold without its value', () => {
    const noLine = golden();
    delete noLine.bottomLine;
    expect(summarySchemaErrors(noLine).join('\n')).toMatch(/bottomLine/);
    const bareWarning = golden();
    bareWarning.warnings = ['48 simulator parameters are assumptions'];
    expect(summarySchemaErrors(bareWarning).join('\n')).toMatch(/warnings\.0/);
    const badSeverity = golden();
    badSeverity.warnings = [{ severity: 'urgent', code: 'x', message: 'm' }];
    expect(summarySchemaErrors(badSeverity)).not.toEqual([]);
    const badDecision = golden();
    badDecision.decision.rows[0]!.decision = 'maybe';
    expect(summarySchemaErrors(badDecision)).not.toEqual([]);
    const badGate = golden();
    badGate.thresholds.results = [{ expression: 'p99_ratio < 1.5', passed: true }];
    expect(summarySchemaErrors(badGate)).not.toEqual([]);
  });

  it('allows fields a newer section adds beside the known ones', () => {
    expect(summarySchemaErrors({ ...golden(), validity: { valid: true, reasons: [] } })).toEqual([]);
  });
});
