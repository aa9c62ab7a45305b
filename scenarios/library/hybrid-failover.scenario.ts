// What a hybrid offer would give: the network first, the baseline after ten
// minutes; and cheapest-first under a fifteen-minute deadline. Both are
// evaluated on the mirrored outcomes, next to each pure backend.
import { defineScenario } from '../define.ts';
import { DAY_OF_TRAFFIC, SIMULATED, STRATIFIED_TENTH, TEN_MINUTES } from '../presets.ts';

export default defineScenario({
  name: 'hybrid-failover',
  description: 'The nightly sample, with failover and cheapest-first routing evaluated in the report.',
  trace: DAY_OF_TRAFFIC,
  speed: TEN_MINUTES,
  sample: STRATIFIED_TENTH,
  targets: SIMULATED(),
  routing: [
    { policy: 'failover', timeoutSeconds: 600 },
    { policy: 'cheapest-first', deadlineSeconds: 900 },
  ],
});
