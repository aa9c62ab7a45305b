// The nightly campaign: 10 % of a day, stratified so every profile × task type
// keeps its share, replayed in ten minutes onto both backends.
import { defineScenario } from '../define.ts';
import { DAY_OF_TRAFFIC, SIMULATED, STANDARD_GATES, STRATIFIED_TENTH, TEN_MINUTES } from '../presets.ts';

export default defineScenario({
  name: 'nightly-mirror',
  description: 'Nightly 10 % stratified mirror of a day of traffic.',
  trace: DAY_OF_TRAFFIC,
  speed: TEN_MINUTES,
  sample: STRATIFIED_TENTH,
  targets: SIMULATED(),
  thresholds: STANDARD_GATES,
});
