// Render-farm jobs: long, large images, where cold starts and image pulls weigh most.
import { defineScenario } from '../define.ts';
import { dayAsBatch } from '../presets.ts';

export default defineScenario({
  name: 'render-batch',
  description: 'Rendering jobs of a day, as one batch.',
  ...dayAsBatch('rendering'),
  thresholds: ['success_rate > 0.9'],
});
