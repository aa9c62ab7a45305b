// Comparing a summary.json with a committed golden copy: the fields that
// depend on the wall clock are removed first; numbers are compared to a
// relative 1e-9, because ClickHouse sums floats in an order that depends on how
// rows were split into parts, which moves the last bits.
//
// Besides the obvious (when the run happened, the harness's own lateness,
// where the trace was written), the provider and price watch streams depend on
// the wall clock at their end: a simulator streams changes every 100 ms up to
// the trace time it stands at, and the run closes the streams when its last
// job ends, so changes in the last tick or so before that are kept or lost
// with the scheduling of the machine (measured: 18 or 17 baseline providers,
// 7 or 8 price ticks on the same seed). Churn and provider-session survival
// and providers online per hour are left out until the streams are drained to
// the run's end.

/** The parts of a summary that are not a function of (trace, scenario, seed). */
export const WALL_CLOCK_FIELDS = [
  'run.tracePath',
  'run.startedAt',
  'run.endedAt',
  // The host name and how late the worker started and released.
  'run.workers',
  'targets[].lateness',
  'prices[].ticks',
  'churn',
  'survival[] of kind provider_session',
  'timeline.providersOnline',
  'warnings[] of code harness-lateness',
  // Both follow the harness's lateness and the harness-queue waits, which a loaded machine moves.
  'validity',
  'harnessQueue[] waits, span and depth',
] as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A deep copy of `summary` without the WALL_CLOCK_FIELDS. */
export function withoutWallClock(summary: unknown): Json {
  const s = JSON.parse(JSON.stringify(summary)) as { [k: string]: Json };
  const run = s.run as { [k: string]: Json } | undefined;
  if (run) for (const k of ['tracePath', 'startedAt', 'endedAt', 'workers']) delete run[k];
  for (const t of (s.targets ?? []) as { [k: string]: Json }[]) delete t.lateness;
  for (const p of (s.prices ?? []) as { [k: string]: Json }[]) delete p.ticks;
  delete s.churn;
  const timeline = s.timeline as { [k: string]: Json } | undefined;
  if (timeline && typeof timeline === 'object') delete timeline.providersOnline;
  if (Array.isArray(s.survival)) s.survival = s.survival.filter((c) => (c as { kind?: string }).kind !== 'provider_session');
  delete s.validity;
  for (const q of (s.harnessQueue ?? []) as { [k: string]: Json }[]) {
    for (const k of ['heldJobs', 'heldShare', 'waitP50Ms', 'waitP99Ms', 'waitMaxMs', 'waitP99AllJobsMs', 'spanSeconds', 'depthOverTime']) delete q[k];
  }
  if (Array.isArray(s.warnings)) s.warnings = s.warnings.filter((w) => (w as { code?: string }).code !== 'harness-lateness');
  return s;
}

/** Paths where `actual` differs from `expected` (numbers to a relative `rel`), with both values. */
export function goldenDiff(expected: unknown, actual: unknown, rel = 1e-9): string[] {
  const out: string[] = [];
  const walk = (e: unknown, a: unknown, path: string) => {
    if (typeof e === 'number' && typeof a === 'number') {
      if (e === a) return;
      const scale = Math.max(Math.abs(e), Math.abs(a));
      if (!(Math.abs(e - a) <= rel * scale)) out.push(`${path}: expected ${e}, got ${a}`);
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      if (e.length !== a.length) out.push(`${path}: expected ${e.length} items, got ${a.length}`);
      for (let i = 0; i < Math.min(e.length, a.length); i++) walk(e[i], a[i], `${path}[${i}]`);
      return;
    }
    if (e && a && typeof e === 'object' && typeof a === 'object' && !Array.isArray(e) && !Array.isArray(a)) {
      const eo = e as Record<string, unknown>;
      const ao = a as Record<string, unknown>;
      for (const k of new Set([...Object.keys(eo), ...Object.keys(ao)])) {
        if (!(k in ao)) out.push(`${path}.${k}: missing (expected ${JSON.stringify(eo[k])?.slice(0, 80)})`);
        else if (!(k in eo)) out.push(`${path}.${k}: not in the golden copy (got ${JSON.stringify(ao[k])?.slice(0, 80)})`);
        else walk(eo[k], ao[k], `${path}.${k}`);
      }
      return;
    }
    if (e !== a) out.push(`${path}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
  };
  walk(expected, actual, '$');
  return out;
}
