// The simulator parameters a conclusion rests on that are assumptions ([A]),
// from each target's description stored with the run.
import type { ReportSummary } from '../summary-types.ts';
import { section } from './section.ts';

export const assumptionsSection = section({
  fills: ['assumptions'],
  load: () => Promise.resolve(undefined),
  build(_data: undefined, input) {
    const assumptions: ReportSummary['assumptions'] = [];
    for (const t of input.config.targets) for (const [k, v] of Object.entries(t.parameters)) if (v.includes('[A]')) assumptions.push({ target: t.name, parameter: k, value: v });
    return { assumptions };
  },
});
