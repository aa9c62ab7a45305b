import { describe, expect, it } from 'vitest';
import { assumptionsSection } from '../../../../reports/sections/assumptions.ts';
import { parseRunConfig } from '../../../../reports/sections/run-config.ts';
import { warningsOf } from '../../../../reports/sections/warnings.ts';
import type { ReportSummary } from '../../../../reports/summary-types.ts';
import { sectionInput, target } from '../../../helpers/section-input.ts';

const CONFIG = JSON.stringify({
  skippedLines: 2,
  targets: [{ name: 'net', info: { parameters: { providers: '40 [A] no count published', price: '0.5 [S] docs' } } }],
});

describe('assumptions section', () => {
  it('lists the parameters marked [A], not those with a source', () => {
    expect(assumptionsSection.build(undefined, sectionInput({}, CONFIG)).assumptions).toEqual([{ target: 'net', parameter: 'providers', value: '40 [A] no count published' }]);
  });
});

describe('warnings', () => {
  const summary = (over: Partial<Omit<ReportSummary, 'warnings'>>): Omit<ReportSummary, 'warnings'> =>
    ({ run: { status: 'completed' }, targets: [target('baseline')], assumptions: [], ...over }) as Omit<ReportSummary, 'warnings'>;

  it('warns of late arrivals, few samples, withheld jobs, skipped lines, an unfinished run and assumptions, blocking first', () => {
    const w = warningsOf(
      summary({
        run: { status: 'interrupted' } as ReportSummary['run'],
        targets: [target('baseline', { lateness: { p50Ms: 1, p99Ms: 80, maxMs: 90 }, completed: 3 }), target('net', { withheld: 25, jobs: 75 })],
        assumptions: [{ target: 'net', parameter: 'providers', value: '40 [A]' }],
      }),
      parseRunConfig(CONFIG),
    );
    expect(w).toEqual([
      { severity: 'blocking', code: 'run-incomplete', message: 'The run is interrupted: it did not replay the whole trace.' },
      { severity: 'caution', code: 'harness-lateness', message: 'Harness lateness p99 on baseline is 80.0 ms, over the 50 ms bound: arrivals were not replayed on time.' },
      { severity: 'caution', code: 'few-samples', message: 'Only 3 completed jobs on baseline: fewer than 30, percentiles are not trustworthy.' },
      { severity: 'caution', code: 'skipped-lines', message: '2 malformed trace lines were skipped (policy "skip"): those jobs were not replayed.' },
      { severity: 'note', code: 'withheld', message: '25 jobs (25.0%) were withheld from net by the data policy: its figures and the paired comparisons cover the other jobs only.' },
      { severity: 'note', code: 'assumptions', message: '1 simulator parameters are assumptions ([A]); see "Assumptions" and test them with sweeps.' },
    ]);
  });

  it('makes harness lateness blocking beyond a second: arrivals that late change what the targets saw', () => {
    const w = warningsOf(summary({ targets: [target('baseline', { lateness: { p50Ms: 1, p99Ms: 582_000, maxMs: 600_000 } })] }), parseRunConfig('{}'));
    expect(w.map((x) => [x.severity, x.code])).toEqual([['blocking', 'harness-lateness']]);
  });

  it('has nothing to say about a clean run', () => {
    expect(warningsOf(summary({}), parseRunConfig('{}'))).toEqual([]);
  });
});
