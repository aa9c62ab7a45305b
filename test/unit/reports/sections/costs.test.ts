import { describe, expect, it } from 'vitest';
import { costsSection } from '../../../../reports/sections/costs.ts';
import { sectionInput, target } from '../../../helpers/section-input.ts';

describe('costs section', () => {
  it('lists the rates seen and the candidate cost per job as its currency moves ±40 % around the run mean', () => {
    const input = sectionInput({
      targets: [target('baseline'), target('decentralized', { jobs: 100, costNative: { total: 40, currency: 'GLM' } })],
    });
    const rows = [{ target: 'decentralized', currency: 'GLM', min_rate: 0.2, max_rate: 0.3, mean_rate: 0.25, ticks: 9 }];
    const { prices, costSensitivity } = costsSection.build(rows, input);
    expect(prices).toEqual([{ target: 'decentralized', currency: 'GLM', minRate: 0.2, maxRate: 0.3, meanRate: 0.25, ticks: 9 }]);
    expect(costSensitivity.map((c) => c.multiplier)).toEqual([0.6, 0.8, 1, 1.2, 1.4]);
    const atMean = costSensitivity[2]!;
    // 40 GLM × 0.25 USD / 100 jobs = 0.1 USD per job: the same as the baseline's.
    expect(atMean.costPerJobUsd).toBeCloseTo(0.1, 12);
    expect(atMean.ratioToBaseline).toBeCloseTo(1, 12);
    expect(costSensitivity[4]!.usdRate).toBeCloseTo(0.35, 12);
  });

  it('has no sensitivity for USD targets, targets without rates or without jobs', () => {
    const input = sectionInput({ targets: [target('baseline'), target('decentralized', { jobs: 0, costNative: { total: 0, currency: 'GLM' } })] });
    expect(costsSection.build([{ target: 'decentralized', currency: 'GLM', min_rate: 1, max_rate: 1, mean_rate: 1, ticks: 1 }], input).costSensitivity).toEqual([]);
    expect(costsSection.build([], sectionInput()).costSensitivity).toEqual([]);
  });
});
