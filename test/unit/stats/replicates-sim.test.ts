// Replicates by seeded simulation, small (npm run bench -- replicates runs it
// at 400 sets): each replicate has its own population effect (sd τ on the log
// scale), the single run's verdict follows its own draw, the combined verdict
// (random effects, HKSJ) follows the population's.
import { describe, expect, it } from 'vitest';
import { measureReplicates } from '../../helpers/replicate-sim.ts';
import { MODERATE } from '../../helpers/verdict-sim.ts';

const SETS = 50;

describe('replicates combined, by simulation', () => {
  it('A/A with a between-replicate sd τ = 0.15: one run calls a difference in many sets, the combined verdict in few (k = 3, n = 300)', () => {
    const m = measureReplicates({ k: 3, n: 300, tau: 0.15, sets: SETS, resamples: 200, seed: 17, sim: { model: MODERATE } });
    // The run's own draw is a real difference for that run: its cost line (tight within a run) calls it most of the time.
    expect(m.metrics['cost per job']!.singleCalled).toBeGreaterThan(0.3);
    expect(m.familySingle).toBeGreaterThan(0.4);
    for (const [metric, f] of Object.entries(m.metrics)) expect(f.combinedSignificant, metric).toBeLessThanOrEqual(0.12);
    expect(m.familyCombined).toBeLessThanOrEqual(0.12);
    expect(m.familyCombined).toBeLessThan(m.familySingle / 3);
  });

  it('covers a planted ×1.2 latency / ×0.8 cost of the population with τ = 0.1 in most sets, where one run\'s interval covers its own draw, not the population\'s', () => {
    const m = measureReplicates({ k: 3, n: 300, tau: 0.1, sets: SETS, resamples: 200, seed: 23, sim: { model: MODERATE, latency: 1.2, cost: 0.8 } });
    for (const metric of ['p50 latency', 'p90 latency', 'cost per job']) {
      const f = m.metrics[metric]!;
      expect(f.tested, metric).toBe(SETS);
      expect(f.combinedCovered, metric).toBeGreaterThanOrEqual(0.86);
    }
    expect(m.metrics['cost per job']!.singleCovered).toBeLessThan(0.75);
  });
});
