// The image-generation studios' jobs of a day, compressed into five minutes.
import { defineScenario } from '../define.ts';
import { DAY_OF_TRAFFIC, SIMULATED } from '../presets.ts';

export default defineScenario({
  name: 'image-generation-batch',
  description: 'Image generation of a day, as one batch.',
  trace: DAY_OF_TRAFFIC,
  sample: { fraction: 1, taskTypes: ['image_generation'] },
  speed: { fitSeconds: 300 },
  targets: SIMULATED(),
  thresholds: ['success_rate > 0.95'],
});
