// The short comparison the CLI prints after a run, benchstat style.
import { delta, latencyCell, pct, pValue, secs, usd } from './format.ts';
import type { ReportSummary } from './summary.ts';

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

export function formatComparisonTable(s: ReportSummary): string {
  const head = ['target', 'jobs', 'success', 'p50', 'p90', 'p99', 'jobs/h', 'cost', 'cost/job', 'losses'];
  const rows = s.targets.map((t) => [
    t.name,
    String(t.jobs),
    pct(t.successRate),
    latencyCell(t, 'p50'),
    latencyCell(t, 'p90'),
    latencyCell(t, 'p99'),
    t.throughputJobsPerHour.toFixed(1),
    usd(t.costUsd.total),
    usd(t.costUsd.perJob),
    String(t.providerLosses),
  ]);
  // An invalid run's verdicts measure the harness: say so before anything else and mark every verdict as not counted.
  const invalid = (s as { validity?: ReportSummary['validity'] }).validity?.valid === false;
  const lines = invalid
    ? ['INCONCLUSIVE — no verdict of this run counts:', ...s.validity.reasons.map((r) => `  ${r.message}`), '', pad([head, ...rows])]
    : [s.bottomLine.sentence, '', pad([head, ...rows])];
  if (s.comparisons.length) {
    lines.push('', `${s.candidate} vs ${s.baseline}, paired by job (${Math.round(s.confidence * 100)}% CI; ~ = no significant difference):`);
    const fmt = (c: ReportSummary['comparisons'][number], v: number) => (c.unit === 's' ? secs(v) : c.unit === 'USD' ? usd(v) : pct(v));
    lines.push(
      pad(
        s.comparisons.map((c) => [
          c.metric,
          `${fmt(c, c.baseline)} → ${fmt(c, c.candidate)}`,
          delta(c.ratio),
          `[${delta(c.ci[0])}, ${delta(c.ci[1])}]`,
          pValue(c.pValue),
          invalid ? `${c.verdict} (not counted)` : c.verdict,
        ]),
      ),
    );
  }
  for (const w of s.warnings) lines.push(`${w.severity}: ${w.message}`);
  return lines.join('\n');
}
