// The body quantiles' spread where the congestion's memory reaches past the
// flat-top window (harness/stats/paired-compare.ts bodySpread, parametricRatio;
// harness/stats/block-bootstrap.ts armaLongRunVariance): the ARMA(1,1) long-run
// variance, the closed-form block-bootstrap variance it is set against, and the
// gate that keeps moderate dependence as it was. Seeded, under a second. The
// error rates over thousands of runs are in the README ("Verdict error rates").
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../harness/common/random.ts';
import { armaLongRunVariance, circularAutocovariances, circularBlockCounts, circularBlockVariance } from '../../../harness/stats/block-bootstrap.ts';
import { parametricRatio } from '../../../harness/stats/paired-compare.ts';
import { normal } from '../../helpers/paired-runs.ts';

/** The per-job log ratio of the verdict simulations (test/helpers/paired-runs.ts): two AR(1) congestions of sd 0.3, per-job noise of sd 0.25 on each target. */
function logRatios(n: number, phi: number, seed: number): Float64Array {
  const r = seededRandom(seed);
  const innov = Math.sqrt(1 - phi * phi) * 0.3;
  let ca = normal(r) * 0.3;
  let cb = normal(r) * 0.3;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ca = phi * ca + innov * normal(r);
    cb = phi * cb + innov * normal(r);
    x[i] = cb - ca + 0.25 * (normal(r) - normal(r));
  }
  return x;
}

/** True design effect of that series: (0.305 + 2 · 0.18 φ/(1 − φ)) / 0.305, the congestion difference's variance 0.18 and the noise's 0.125. */
const trueDesignEffect = (phi: number) => (0.305 + (2 * 0.18 * phi) / (1 - phi)) / 0.305;
const median = (a: number[]) => [...a].sort((u, v) => u - v)[Math.floor(a.length / 2)]!;

describe('ARMA(1,1) long-run variance and the body spread’s gate', () => {
  it('gives a circular-block bootstrap’s variance of the mean in closed form', () => {
    const x = logRatios(200, 0.8, 77);
    const r = seededRandom(3);
    const counts = new Int32Array(200);
    let s1 = 0;
    let s2 = 0;
    const m = 20_000;
    for (let k = 0; k < m; k++) {
      circularBlockCounts(200, 10, r, counts);
      let mu = 0;
      for (let i = 0; i < 200; i++) mu += counts[i]! * x[i]!;
      mu /= 200;
      s1 += mu;
      s2 += mu * mu;
    }
    // Measured with these seeds: 0.77397 (20,000 resamples) against 0.77391.
    expect(((s2 / m - (s1 / m) ** 2) * 200) / circularBlockVariance(circularAutocovariances(x, 10), 10)).toBeCloseTo(1, 2);
  });

  it('recovers most of the design effect a persistent run’s lag window misses (n = 300)', () => {
    for (const [phi, lo, hi] of [[0.8, 4.5, 7], [0.95, 16, 30]] as const) {
      const deff: number[] = [];
      for (let s = 0; s < 200; s++) {
        const x = logRatios(300, phi, 500 + s);
        const fit = armaLongRunVariance(x);
        expect(fit.persistent).toBe(true);
        deff.push(fit.longRunVariance / ((circularAutocovariances(x, 1)[0]! * 300) / 299));
      }
      // Measured with these seeds: medians 5.55 (truth 5.72) and 20.1 (truth 23.4; the flat-top over Politis–White's window: under 10 in half the runs).
      expect(median(deff), `φ = ${phi}, truth ${trueDesignEffect(phi).toFixed(1)}`).toBeGreaterThan(lo);
      expect(median(deff)).toBeLessThan(hi);
    }
  });

  it('takes a short independent series as uncorrelated (no ρ̂ run to 1 on noise)', () => {
    let persistent = 0;
    for (let s = 0; s < 200; s++) {
      const r = seededRandom(900 + s);
      const x = Float64Array.from({ length: 50 }, () => normal(r));
      const fit = armaLongRunVariance(x);
      if (fit.persistent) persistent++;
      else expect(fit.longRunVariance).toBeCloseTo((circularAutocovariances(x, 1)[0]! * 50) / 49, 12);
    }
    // Measured with these seeds: none of 200 (the gate's one-sided 2 standard errors: about 2 % expected).
    expect(persistent).toBeLessThanOrEqual(8);
  });

  it('brings the model in where the memory reaches past the window, and seldom at moderate dependence', () => {
    let moderate = 0;
    let persistent = 0;
    for (let s = 0; s < 200; s++) {
      if (!Number.isNaN(parametricRatio(logRatios(300, 0.8, 500 + s), 14))) moderate++;
      const p = parametricRatio(logRatios(300, 0.95, 500 + s), 14);
      if (!Number.isNaN(p)) {
        persistent++;
        expect(p).toBeGreaterThan(1);
      }
    }
    // Measured with these seeds, blocks of 14 (the φ = 0.8 runs' median block at n = 300): 27 and 191 of 200.
    expect(moderate).toBeLessThanOrEqual(40);
    expect(persistent).toBeGreaterThanOrEqual(180);
  });
});
