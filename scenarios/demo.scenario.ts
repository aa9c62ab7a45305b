// The demo: a seeded two-day trace of mixed tenants and task types, mirrored
// onto both simulated backends and compressed into about a minute.
import { defineScenario, SIMULATED_PAIR } from './define.ts';

export default defineScenario({
  name: 'demo',
  description: 'A seeded sample trace (mixed profiles and task types) mirrored onto both simulators.',
  seed: 42,
  trace: { generate: { jobs: 3000, spanSeconds: 2 * 24 * 3600 } },
  speed: { fitSeconds: 60 },
  targets: [...SIMULATED_PAIR],
  thresholds: [],
});
