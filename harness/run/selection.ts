// What a scenario asks of its trace: which jobs (window, sample, filters,
// shard) and how fast. The replay and the k6 export read the same answer.
import type { Selection } from '../replay/select.ts';
import type { Scenario } from '../../scenarios/define.ts';

export function selectionOf(scenario: Scenario, shard?: { index: number; count: number }): Selection {
  return {
    offsetSeconds: scenario.window.offsetSeconds,
    durationSeconds: scenario.window.durationSeconds,
    sampleFraction: scenario.sample.fraction,
    sampleSeed: scenario.seed,
    stratified: scenario.sample.stratified,
    shard,
    taskTypes: scenario.sample.taskTypes,
    profiles: scenario.sample.profiles,
  };
}

/** The scenario's speed factor; `{ fitSeconds }` fits the trace's span into that many wall-clock seconds (never slower than real time). */
export function speedOf(scenario: Scenario, spanSeconds: number): number {
  return typeof scenario.speed === 'number' ? scenario.speed : Math.max(1, spanSeconds / scenario.speed.fitSeconds);
}
