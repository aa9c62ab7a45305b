// The real thing: a stratified sample of a day of traffic mirrored in real
// time onto a SaladCloud container group (the baseline) and the Golem network
// (testnet unless `mainnet: true`). The bridges start in-process; keys come
// from SALAD_API_KEY and YAGNA_APPKEY. Edit the organization, project, queue,
// container group, image and command to yours before running; README "Real
// backends" says what it costs and what to compare with the simulators after.
import { defineScenario } from '../define.ts';
import { DAY_OF_TRAFFIC } from '../presets.ts';

export default defineScenario({
  name: 'real-backends',
  description: 'A 2% stratified sample of a day, mirrored in real time onto SaladCloud and the Golem network.',
  trace: DAY_OF_TRAFFIC,
  speed: 1,
  sample: { fraction: 0.02, stratified: true },
  // Only public jobs leave for a network anyone can join.
  dataPolicy: { permissionlessMaxSensitivity: 'public' },
  targets: [
    { name: 'baseline', bridge: { salad: { organization: 'acme-corp', project: 'mirror', queue: 'mirror-jobs', containerGroup: 'mirror-worker', gpuClass: 'rtx4090', priority: 'high' } } },
    {
      name: 'golem',
      bridge: {
        golem: {
          network: 'holesky',
          // No budgetGlm/allocationHours: the allocation is sized from the sampled jobs at these price limits.
          imageTag: 'acme/mirror-worker:latest',
          command: 'python3 /app/run.py --job {job_id} --task {task_type} --seconds {work_seconds}',
          maxStartPrice: 0.5,
          maxEnvPerHourPrice: 2,
          glmUsd: 0.25,
        },
      },
    },
  ],
  thresholds: ['golem.success_rate > 0.9'],
});
