// Render-farm jobs: long, large images, where cold starts and image pulls weigh most.
import { defineScenario } from '../define.ts';
import { DAY_OF_TRAFFIC, SIMULATED } from '../presets.ts';

export default defineScenario({
  name: 'render-batch',
  description: 'Rendering jobs of a day, as one batch.',
  trace: DAY_OF_TRAFFIC,
  sample: { fraction: 1, taskTypes: ['rendering'] },
  speed: { fitSeconds: 300 },
  targets: SIMULATED(),
  thresholds: ['success_rate > 0.9'],
});
