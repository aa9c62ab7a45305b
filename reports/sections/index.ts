// Every section of the report, in the order summary.json lists their fields.
// A new section: a module beside this one exporting `section({...})`, added
// to this list, its fields added to ReportSummary (reports/summary-types.ts).
import { activitySection } from './activity.ts';
import { assumptionsSection } from './assumptions.ts';
import { breakdownSection } from './breakdown.ts';
import { byTaskTypeSection } from './by-task-type.ts';
import { cdfSection } from './cdf.ts';
import { churnSection } from './churn.ts';
import { comparisonsSection } from './comparisons.ts';
import { costsSection } from './costs.ts';
import { decisionSection } from './decision.ts';
import { errorClassesSection } from './error-classes.ts';
import { harnessQueueSection } from './harness-queue.ts';
import { latencyShiftSection } from './latency-shift.ts';
import { llmSection } from './llm.ts';
import { marketplaceSection } from './marketplace.ts';
import { moneySection } from './money.ts';
import { routingSection } from './routing.ts';
import { sequentialStopSection } from './sequential-stop.ts';
import { survivalSection } from './survival.ts';
import { timelineSection } from './timeline.ts';

export const SECTIONS = [
  byTaskTypeSection,
  breakdownSection,
  decisionSection,
  comparisonsSection,
  errorClassesSection,
  churnSection,
  marketplaceSection,
  costsSection,
  moneySection,
  assumptionsSection,
  cdfSection,
  activitySection,
  harnessQueueSection,
  latencyShiftSection,
  llmSection,
  routingSection,
  survivalSection,
  timelineSection,
  sequentialStopSection,
] as const;
