// Providers leave three times as often: does the network still finish its jobs?
import { defineScenario } from '../define.ts';
import { DAY_OF_TRAFFIC, SIMULATED, STRATIFIED_TENTH, TEN_MINUTES } from '../presets.ts';

export default defineScenario({
  name: 'churn-stress',
  description: 'The nightly sample with 3× provider loss on the network.',
  trace: DAY_OF_TRAFFIC,
  speed: TEN_MINUTES,
  sample: STRATIFIED_TENTH,
  targets: SIMULATED().map((t) => (t.name === 'decentralized' ? { ...t, faults: { churnMultiplier: 3 } } : t)),
  thresholds: ['success_rate > 0.9'],
});
