// Regression detection between two runs of the same scenario. The same trace
// and seed give the same jobs, so each job pairs with itself across runs and
// the paired bootstrap of the report applies: per target, p99 latency, success
// rate and cost per useful GPU-hour of the later run against the earlier one,
// Holm-corrected across the tests.
import { hash32, seededRandom } from '../harness/common/random.ts';
import { meanOf, pairedBootstrapRatio, quantileOf } from '../harness/stats/bootstrap.ts';
import { holm, verdictOf, type Direction, type Verdict } from '../harness/stats/compare.ts';

export interface JobOutcome {
  job_id: string;
  target: string;
  status: string;
  total_us: number;
  cost_usd: number;
}

export interface RegressionCheck {
  target: string;
  metric: 'p99 latency' | 'success rate' | 'cost per useful GPU-hour';
  previous: number;
  current: number;
  ratio: number;
  ci: [number, number];
  pValue: number;
  pHolm: number;
  verdict: Verdict;
  pairs: number;
}

const MAX_PAIRS = 5_000;

export function detectRegressions(previous: readonly JobOutcome[], current: readonly JobOutcome[], opts: { resamples?: number; seed?: string } = {}): RegressionCheck[] {
  const key = (r: JobOutcome) => `${r.target}\u0000${r.job_id}`;
  // Withheld jobs never ran and unfinished ones have no outcome yet: neither is compared.
  const counted = (r: JobOutcome) => r.status !== 'withheld' && r.status !== 'unfinished';
  const before = new Map(previous.filter(counted).map((r) => [key(r), r]));
  const byTarget = new Map<string, { a: JobOutcome; b: JobOutcome }[]>();
  for (const b of current) {
    const a = before.get(key(b));
    if (!a || !counted(b)) continue;
    const list = byTarget.get(b.target) ?? [];
    list.push({ a, b });
    byTarget.set(b.target, list);
  }
  const raw: Omit<RegressionCheck, 'pHolm' | 'verdict'>[] = [];
  const directions: Direction[] = [];
  const boot = { resamples: opts.resamples ?? 1_000, confidence: 0.95 };
  for (const [target, all] of [...byTarget].sort()) {
    // A fixed hash-chosen subset keeps the cost bounded on large runs.
    const pairs = all.length > MAX_PAIRS ? all.filter((p) => hash32(p.a.job_id) % Math.ceil(all.length / MAX_PAIRS) === 0) : all;
    const done = pairs.filter((p) => p.a.status === 'completed' && p.b.status === 'completed');
    const add = (metric: RegressionCheck['metric'], direction: Direction, a: number[], b: number[], stat: (v: Float64Array) => number) => {
      if (a.length < 10) return;
      const r = pairedBootstrapRatio(a, b, stat, { ...boot, random: seededRandom(hash32(`${opts.seed ?? ''}/${target}/${metric}`)) });
      raw.push({ target, metric, previous: stat(Float64Array.from(a)), current: stat(Float64Array.from(b)), ratio: r.estimate, ci: [r.lo, r.hi], pValue: r.p, pairs: a.length });
      directions.push(direction);
    };
    add('p99 latency', 'lower-is-better', done.map((p) => p.a.total_us), done.map((p) => p.b.total_us), quantileOf(0.99));
    add('success rate', 'higher-is-better', pairs.map((p) => (p.a.status === 'completed' ? 1 : 0)), pairs.map((p) => (p.b.status === 'completed' ? 1 : 0)), meanOf);
    // Over jobs completed in both runs the useful GPU-hours are the same, so the ratio of cost per useful GPU-hour is the ratio of cost.
    add('cost per useful GPU-hour', 'lower-is-better', done.map((p) => p.a.cost_usd), done.map((p) => p.b.cost_usd), meanOf);
  }
  const adjusted = holm(raw.map((r) => r.pValue));
  return raw.map((r, i) => ({ ...r, pHolm: adjusted[i]!, verdict: verdictOf({ lo: r.ci[0], hi: r.ci[1] }, adjusted[i]!, directions[i]!) }));
}

/** The checks that got significantly worse. */
export function regressionsOf(checks: readonly RegressionCheck[]): RegressionCheck[] {
  return checks.filter((c) => c.verdict === 'worse');
}
