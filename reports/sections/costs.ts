// Exchange rates seen during the run, and each target's cost per job if its
// native currency's USD rate were a multiple of its run mean.
import type { RunQueries } from '../queries.ts';
import type { ReportSummary } from '../summary-types.ts';
import { section } from './section.ts';

const RATE_MULTIPLIERS = [0.6, 0.8, 1, 1.2, 1.4];

type Rows = Awaited<ReturnType<RunQueries['priceTicks']>>;

export const costsSection = section({
  fills: ['prices', 'costSensitivity'],
  load: (q) => q.priceTicks(),
  build(rows: Rows, input) {
    const prices = rows.map((r) => ({ target: r.target, currency: r.currency, minRate: r.min_rate, maxRate: r.max_rate, meanRate: r.mean_rate, ticks: r.ticks }));
    const costSensitivity: ReportSummary['costSensitivity'] = [];
    const base = input.targets.find((t) => t.name === input.baseline);
    for (const t of input.targets) {
      if (t.aaTwinOf !== undefined) continue;
      const rate = prices.find((p) => p.target === t.name && p.currency === t.costNative.currency);
      if (!rate || t.costNative.currency === 'USD' || t.jobs === 0) continue;
      for (const m of RATE_MULTIPLIERS) {
        const perJob = (t.costNative.total * rate.meanRate * m) / t.jobs;
        costSensitivity.push({ target: t.name, currency: rate.currency, multiplier: m, usdRate: rate.meanRate * m, costPerJobUsd: perJob, ratioToBaseline: base && base !== t && base.costUsd.perJob > 0 ? perJob / base.costUsd.perJob : null });
      }
    }
    return { prices, costSensitivity };
  },
});
