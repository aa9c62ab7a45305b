// The report's answer in one sentence, built from the headline paired
// comparisons and the decision matrix: what a reader would otherwise have to
// work out from the tables. Pure.
import type { BottomLine, Comparison, ReportSummary } from './summary-types.ts';

const sig = (v: number) => String(Number(v.toPrecision(2)));
const pctRange = (a: number, b: number) => `${sig(Math.min(a, b) * 100)}–${sig(Math.max(a, b) * 100)}%`;

/** "58–63% cheaper", "4.5× worse (4.2–4.9×)", "no different": one comparison in words, with its interval. */
export function phraseOf(c: Pick<Comparison, 'metric' | 'ratio' | 'ci' | 'verdict'>, noun: string, words: { less: string; more: string }): string {
  const [lo, hi] = c.ci;
  if (![c.ratio, lo, hi].every(Number.isFinite)) return `${noun} cannot be compared (n/a)`;
  // Verdict words beyond better / worse / ~ (a widened Verdict type) are read by value, not by type.
  if ((c.verdict as string) === 'insufficient data') return `${noun} cannot be told (insufficient data)`;
  // '~' and any "no difference that matters" verdict (e.g. within a margin) read the same.
  if (c.verdict !== 'better' && c.verdict !== 'worse') return `${noun} is no different (${sig(lo)}–${sig(hi)}×)`;
  if (c.ratio < 1) return `${noun} is ${pctRange(1 - hi, 1 - lo)} ${words.less}`;
  // Large factors read better as multiples, small ones as percentages.
  if (c.ratio >= 1.5) return `${noun} is ${sig(c.ratio)}× ${words.more} (${sig(lo)}–${sig(hi)}×)`;
  return `${noun} is ${pctRange(lo - 1, hi - 1)} ${words.more}`;
}

export function bottomLineOf(s: Pick<ReportSummary, 'baseline' | 'candidate' | 'decision' | 'confidence'> & { comparisons: readonly Pick<Comparison, 'metric' | 'ratio' | 'ci' | 'verdict'>[] }): BottomLine {
  if (!s.candidate) return { sentence: `Only one target (${s.baseline}) ran: there is nothing to compare it with.`, parts: [], workloads: null };
  const want: [string, string, { less: string; more: string }][] = [
    ['cost per job', 'cost per job', { less: 'lower', more: 'higher' }],
    ['p50 latency', 'median latency', { less: 'shorter', more: 'longer' }],
    ['p99 latency', 'the tail (p99 latency)', { less: 'shorter', more: 'longer' }],
    ['success rate', 'the success rate', { less: 'lower', more: 'higher' }],
  ];
  const parts: BottomLine['parts'] = [];
  for (const [metric, noun, words] of want) {
    const c = s.comparisons.find((x) => x.metric === metric);
    if (!c) continue;
    // A success rate no different is the expected case: say so only when it moved.
    if (metric === 'success rate' && c.verdict !== 'better' && c.verdict !== 'worse') continue;
    parts.push({ metric, estimate: c.ratio, ci: c.ci, verdict: c.verdict, phrase: phraseOf(c, noun, words) });
  }
  const rows = s.decision?.rows ?? [];
  const workloads = s.decision
    ? {
        couldMove: rows.filter((r) => r.decision === 'could move').length,
        withConditions: rows.filter((r) => r.decision === 'could move with conditions').length,
        keep: rows.filter((r) => r.decision === 'keep').length,
        total: rows.length,
      }
    : null;
  const clauses = parts.map((p) => p.phrase);
  if (workloads && workloads.total) {
    clauses.push(`of ${workloads.total} workloads, ${workloads.couldMove} could move, ${workloads.withConditions} could with conditions and ${workloads.keep} should stay`);
  }
  const body = clauses.length ? clauses.join('; ') : 'no paired comparison could be made';
  const sentence = `On ${s.candidate} against ${s.baseline}: ${body} (${Math.round(s.confidence * 100)}% intervals, paired by job).`;
  return { sentence, parts, workloads };
}
