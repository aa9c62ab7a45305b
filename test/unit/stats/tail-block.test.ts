// The p99 line's block length from its own influence series (jobs beyond the
// quantile, harness/stats/paired-compare.ts TAIL_QUANTILE), not from the
// per-job log ratios: seeded, seconds. The error rates it gives over thousands
// of runs are in the README ("Verdict error rates"), from `npm run bench -- stats`.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import { comparePaired, type PairedJobs } from '../../../harness/stats/paired-compare.ts';
import { CensoredQuantiles } from '../../../harness/stats/quantile.ts';
import { RARE_FAILURES, simulatePaired } from '../../helpers/verdict-sim.ts';

const N = 2_000;
/** Runs for the true spread (estimates alone, ~3 ms each) and for the mean interval width (one bootstrap of 300, ~70 ms each). */
const TRUTH_RUNS = 800;
const WIDTH_RUNS = 80;
/**
 * Measured with these seeds: 1.02 (standard error of the width's mean 0.02; the true sd 0.080 ± 2.5 %);
 * the log ratios' block with the second bootstrap's stretch gave 1.14, the influence series' block with that
 * stretch 1.06.
 */
const RATIO_MIN = 0.9;
const RATIO_MAX = 1.1;
const lineOf = (jobs: PairedJobs, seed: number, quantiles: number[], resamples: number) =>
  comparePaired(jobs, { confidence: 0.95, resamples, random: seededRandom(seed).fork('boot'), margin: 0, only: ['latency'], quantiles });

describe('p99 line: block length from the jobs beyond the quantile', () => {
  it('takes short blocks where the tail is independent from job to job, while p50 keeps the congestion’s', () => {
    const tail: number[] = [];
    for (let k = 0; k < 5; k++) {
      const jobs = simulatePaired(N, seededRandom(900 + k).fork('run'), { model: RARE_FAILURES });
      const [p50, p99] = lineOf(jobs, 900 + k, [0.5, 0.99], 50);
      // The old rule gave every quantile the log ratios' block (about 33 jobs here: congestion φ = 0.8).
      expect(p50!.blockLength).toBeGreaterThanOrEqual(15);
      expect(p99!.verdict).not.toBe('insufficient data');
      expect(p99!.blockLength).toBeLessThan(p50!.blockLength!);
      tail.push(p99!.blockLength!);
    }
    // Politis–White on a sparse indicator is noisy (over 400 bench runs: 2–3 jobs in 86 %, up to 13).
    expect(tail.sort((a, b) => a - b)[2]).toBeLessThanOrEqual(3);
  });

  it('takes long blocks where the slowest jobs come together (a backlog)', () => {
    const jobs = simulatePaired(N, seededRandom(77).fork('run'), { model: RARE_FAILURES });
    // Four backlogs of 25 jobs on the candidate, each job 3× slower: they hold most of its slowest 1 %.
    for (const start of [200, 700, 1_200, 1_700]) for (let i = start; i < start + 25; i++) jobs.latB[i]! *= 3;
    const [p99] = lineOf(jobs, 77, [0.99], 50);
    expect(p99!.blockLength).toBeGreaterThanOrEqual(15);
  });

  // The p99 log ratio's true spread across runs (estimates alone: cheap) against the interval's half-width ÷ 1.96.
  // Before (blocks from the log ratios, 33 jobs): 1.15× over 500 bench runs, the A/A line rejecting 2.1 % instead of 5 %.
  it('gives an A/A interval near the true spread at n = 2,000 with rare failures (not 1.15× it)', () => {
    const logRatio = (jobs: PairedJobs) => {
      const a = new CensoredQuantiles(jobs.latA, jobs.okA, [0.99]).evaluate()[0]!;
      const b = new CensoredQuantiles(jobs.latB, jobs.okB, [0.99]).evaluate()[0]!;
      return Math.log(b / a);
    };
    const truth: number[] = [];
    for (let k = 0; k < TRUTH_RUNS; k++) truth.push(logRatio(simulatePaired(N, seededRandom(5_000 + k).fork('run'), { model: RARE_FAILURES })));
    const mean = truth.reduce((s, x) => s + x, 0) / truth.length;
    const sd = Math.sqrt(truth.reduce((s, x) => s + (x - mean) ** 2, 0) / (truth.length - 1));
    let half = 0;
    for (let k = 0; k < WIDTH_RUNS; k++) {
      const [p99] = lineOf(simulatePaired(N, seededRandom(7_000 + k).fork('run'), { model: RARE_FAILURES }), 7_000 + k, [0.99], 300);
      half += Math.log(p99!.interval[1] / p99!.interval[0]) / 2 / 1.959964;
    }
    const ratio = half / WIDTH_RUNS / sd;
    expect(ratio).toBeGreaterThan(RATIO_MIN);
    expect(ratio).toBeLessThan(RATIO_MAX);
  });
});
