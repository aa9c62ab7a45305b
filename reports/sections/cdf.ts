// Latency CDF points per target: 99 quantiles of completed jobs, in seconds.
import type { RunQueries } from '../queries.ts';
import { section } from './section.ts';

type Rows = Awaited<ReturnType<RunQueries['cdf']>>;

export const cdfSection = section({
  fills: ['cdf'],
  load: (q) => q.cdf(),
  build: (rows: Rows) => ({ cdf: rows.map((r) => ({ target: r.target, quantiles: r.q.map((x) => x / 1e6) })) }),
});
