// The image-generation studios' jobs of a day, compressed into five minutes.
import { defineScenario } from '../define.ts';
import { dayAsBatch } from '../presets.ts';

export default defineScenario({
  name: 'image-generation-batch',
  description: 'Image generation of a day, as one batch.',
  ...dayAsBatch('image_generation'),
  thresholds: ['success_rate > 0.95'],
});
