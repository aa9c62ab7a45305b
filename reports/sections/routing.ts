// The scenario's hybrid routing policies, evaluated on the mirrored outcomes
// next to each pure backend (reports/routing.ts).
import type { PairRow } from '../queries.ts';
import { summarizePolicies } from '../routing.ts';
import { loadPairRows, pairsOf } from './paired.ts';
import { section } from './section.ts';

const outcome = (r: PairRow) => ({ ok: r.status === 'completed', latencyS: r.total_us / 1e6, costUsd: r.cost_usd });

export const routingSection = section({
  fills: ['routing'],
  load: (q, input) => (input.config.routing.length ? loadPairRows(q, input) : Promise.resolve([])),
  build(rows: PairRow[], input) {
    const policies = input.config.routing;
    if (!input.candidate || !policies.length) return { routing: [] };
    return { routing: summarizePolicies(pairsOf(rows, input.baseline, input.candidate).map((p) => ({ base: outcome(p.a), net: outcome(p.b) })), policies) };
  },
});
