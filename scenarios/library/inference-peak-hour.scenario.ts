// The busiest hour of LLM inference (the generator's diurnal peak is mid-afternoon), in real time.
import { defineScenario } from '../define.ts';
import { DAY_OF_TRAFFIC, SIMULATED } from '../presets.ts';

export default defineScenario({
  name: 'inference-peak-hour',
  description: 'LLM inference during the daily peak hour, replayed at trace speed.',
  trace: DAY_OF_TRAFFIC,
  window: { offsetSeconds: 14 * 3600, durationSeconds: 3600 },
  sample: { fraction: 1, taskTypes: ['llm_inference'] },
  speed: 1,
  targets: SIMULATED(),
  thresholds: ['p99_ratio < 2', 'success_rate > 0.98'],
});
