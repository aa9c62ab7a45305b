// Failed jobs per target and error class, most frequent first.
import type { RunQueries } from '../queries.ts';
import { section } from './section.ts';

type Rows = Awaited<ReturnType<RunQueries['errorClasses']>>;

export const errorClassesSection = section({
  fills: ['errorClasses'],
  load: (q) => q.errorClasses(),
  build: (rows: Rows) => ({ errorClasses: rows.map((r) => ({ target: r.target, errorClass: r.error_class, count: r.count })) }),
});
