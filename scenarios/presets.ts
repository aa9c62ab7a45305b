// Pieces scenarios spread into their definitions: the usual trace, the usual
// targets, the usual sampling. Each is a plain object, so a scenario can
// override any field after spreading it.
import type { ScenarioInput } from './define.ts';
import { SIMULATED_PAIR } from './define.ts';

/** A seeded day of mixed traffic (all five profiles and task types), about 20,000 jobs. */
export const DAY_OF_TRAFFIC = { generate: { jobs: 20_000, spanSeconds: 24 * 3600 } } as const satisfies ScenarioInput['trace'];

/** A day replayed in ten minutes. */
export const TEN_MINUTES = { fitSeconds: 600 } as const satisfies ScenarioInput['speed'];

/** 10 % of jobs, exactly 10 % of every profile × task type. */
export const STRATIFIED_TENTH = { fraction: 0.1, stratified: true } as const satisfies ScenarioInput['sample'];

/** Both simulators, as targets a scenario can extend (params, faults). */
export const SIMULATED = () => SIMULATED_PAIR.map((t) => ({ ...t })) as NonNullable<ScenarioInput['targets']>;

/** One task type's jobs of a day, replayed as one five-minute batch against both simulators. */
export const dayAsBatch = (taskType: NonNullable<NonNullable<ScenarioInput['sample']>['taskTypes']>[number]) =>
  ({ trace: DAY_OF_TRAFFIC, sample: { fraction: 1, taskTypes: [taskType] }, speed: { fitSeconds: 300 }, targets: SIMULATED() }) satisfies Partial<ScenarioInput>;

/** Gates most campaigns use. */
export const STANDARD_GATES = ['success_rate > 0.95', 'p99_ratio < 3'];
