// GLM loses 40 % against USD half-way through the day: how much of the cost advantage survives?
import { defineScenario } from '../define.ts';
import { DAY_OF_TRAFFIC, SIMULATED, STRATIFIED_TENTH, TEN_MINUTES } from '../presets.ts';

export default defineScenario({
  name: 'price-shock',
  description: 'The nightly sample with GLM −40 % against USD mid-run.',
  trace: DAY_OF_TRAFFIC,
  speed: TEN_MINUTES,
  sample: STRATIFIED_TENTH,
  targets: SIMULATED().map((t) => (t.name === 'decentralized' ? { ...t, faults: { priceShocks: [{ afterSeconds: 12 * 3600, factor: 0.6 }] } } : t)),
});
