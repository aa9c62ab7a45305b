// The marketplace per target: offers per job, price per hour, providers tried,
// and negotiation and settlement times from the job events (trace seconds).
import type { RunQueries, SpanRow } from '../queries.ts';
import { section } from './section.ts';

export interface MarketplaceData {
  rows: Awaited<ReturnType<RunQueries['marketplace']>>;
  negotiation: SpanRow[];
  settlement: SpanRow[];
}

export const marketplaceSection = section({
  fills: ['marketplace'],
  async load(q): Promise<MarketplaceData> {
    const negotiation = await q.negotiation();
    const settlement = await q.settlement();
    return { rows: await q.marketplace(), negotiation, settlement };
  },
  build(data: MarketplaceData, input) {
    const negotiation = new Map(data.negotiation.map((r) => [r.target, r]));
    const settle = new Map(data.settlement.map((r) => [r.target, r]));
    // Event spans are on the target's (compressed) clock: × speed gives trace seconds.
    const seconds = (us: number | undefined) => (us === undefined ? null : (us * input.speed) / 1e6);
    return {
      marketplace: data.rows.map((r) => ({
        target: r.target, offersMean: r.offers_mean, pricePerHourMean: r.price_per_hour_mean, providersTriedMean: r.providers_tried_mean,
        negotiationP50s: seconds(negotiation.get(r.target)?.p50_us),
        negotiationP90s: seconds(negotiation.get(r.target)?.p90_us),
        settlementP50s: seconds(settle.get(r.target)?.p50_us),
        settlementP90s: seconds(settle.get(r.target)?.p90_us),
      })),
    };
  },
});
