// The sections that reshape one aggregate query each: by task type, error
// classes, churn, marketplace, CDF, activity.
import { describe, expect, it } from 'vitest';
import { activitySection } from '../../../../reports/sections/activity.ts';
import { byTaskTypeSection } from '../../../../reports/sections/by-task-type.ts';
import { cdfSection } from '../../../../reports/sections/cdf.ts';
import { churnSection } from '../../../../reports/sections/churn.ts';
import { errorClassesSection } from '../../../../reports/sections/error-classes.ts';
import { marketplaceSection } from '../../../../reports/sections/marketplace.ts';
import { sectionInput } from '../../../helpers/section-input.ts';

describe('by task type section', () => {
  it('gives the success rate of each cell, zero for an empty one', () => {
    const rows = [
      { target: 'baseline', task_type: 'llm_inference', jobs: 40, completed: 30, p50: 1, p90: 2, p99: 3, cost_per_job_usd: 0.5, losses: 2 },
      { target: 'baseline', task_type: 'rendering', jobs: 0, completed: 0, p50: 0, p90: 0, p99: 0, cost_per_job_usd: 0, losses: 0 },
    ];
    expect(byTaskTypeSection.build(rows, sectionInput()).byTaskType).toEqual([
      { target: 'baseline', taskType: 'llm_inference', jobs: 40, successRate: 0.75, p50: 1, p90: 2, p99: 3, costPerJobUsd: 0.5, providerLosses: 2 },
      { target: 'baseline', taskType: 'rendering', jobs: 0, successRate: 0, p50: 0, p90: 0, p99: 0, costPerJobUsd: 0, providerLosses: 0 },
    ]);
  });
});

describe('error classes section', () => {
  it('renames the columns and keeps the query order', () => {
    expect(errorClassesSection.build([{ target: 'n', error_class: 'no_capacity', count: 4 }, { target: 'n', error_class: 'provider_lost', count: 1 }], sectionInput()).errorClasses).toEqual([
      { target: 'n', errorClass: 'no_capacity', count: 4 },
      { target: 'n', errorClass: 'provider_lost', count: 1 },
    ]);
  });
});

describe('churn section', () => {
  it('scales the provider stream span (target clock) by the speed to offline events per trace hour', () => {
    const rows = [{ target: 'n', providers: 10, online_events: 12, offline_events: 6, span_s: 36 }, { target: 'quiet', providers: 1, online_events: 1, offline_events: 0, span_s: 0 }];
    // 36 s at speed 100 = 1 trace hour.
    expect(churnSection.build(rows, sectionInput({ speed: 100 })).churn).toEqual([
      { target: 'n', providers: 10, onlineEvents: 12, offlineEvents: 6, offlinePerHour: 6 },
      { target: 'quiet', providers: 1, onlineEvents: 1, offlineEvents: 0, offlinePerHour: 0 },
    ]);
  });
});

describe('marketplace section', () => {
  it('joins negotiation and settlement spans per target in trace seconds, null where a target has none', () => {
    const m = marketplaceSection.build(
      {
        rows: [{ target: 'base', offers_mean: 0, price_per_hour_mean: 1, providers_tried_mean: 1 }, { target: 'net', offers_mean: 12, price_per_hour_mean: 0.3, providers_tried_mean: 1.5 }],
        negotiation: [{ target: 'net', p50_us: 20_000, p90_us: 50_000 }],
        settlement: [{ target: 'net', p50_us: 100_000, p90_us: 300_000 }],
      },
      sectionInput({ speed: 60 }),
    ).marketplace;
    expect(m[0]).toMatchObject({ target: 'base', negotiationP50s: null, settlementP90s: null });
    expect(m[1]).toMatchObject({ target: 'net', offersMean: 12 });
    expect(m[1]!.negotiationP50s).toBeCloseTo(1.2, 12);
    expect(m[1]!.negotiationP90s).toBeCloseTo(3, 12);
    expect(m[1]!.settlementP50s).toBeCloseTo(6, 12);
    expect(m[1]!.settlementP90s).toBeCloseTo(18, 12);
  });
});

describe('cdf section', () => {
  it('gives the quantiles in seconds', () => {
    expect(cdfSection.build([{ target: 'n', q: [1e6, 2.5e6] }], sectionInput()).cdf).toEqual([{ target: 'n', quantiles: [1, 2.5] }]);
  });
});

describe('activity section', () => {
  it('gives completions and jobs in flight per trace hour', () => {
    const a = activitySection.build({ overTime: [{ target: 'n', bucket: 0, completed: 3 }], inFlight: [{ target: 'n', bucket: 2, in_flight: 7 }] }, sectionInput());
    expect(a).toEqual({ overTime: [{ target: 'n', hour: 0, completed: 3 }], inFlight: [{ target: 'n', hour: 2, inFlight: 7 }] });
  });
});
