// Only public jobs may go to the permissionless network; internal and
// confidential ones are withheld from it and reported as such.
import { defineScenario } from '../define.ts';
import { DAY_OF_TRAFFIC, SIMULATED, STRATIFIED_TENTH, TEN_MINUTES } from '../presets.ts';

export default defineScenario({
  name: 'sensitive-data',
  description: 'The nightly sample under a public-only data policy for permissionless targets.',
  trace: DAY_OF_TRAFFIC,
  speed: TEN_MINUTES,
  sample: STRATIFIED_TENTH,
  dataPolicy: { permissionlessMaxSensitivity: 'public' },
  targets: SIMULATED(),
});
