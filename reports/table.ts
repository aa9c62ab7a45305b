// The short comparison the CLI prints after a run, benchstat style: the same
// cells as the page's first screen (reports/cells.ts), fewer columns.
import { cellText, comparisonColumns, targetColumns, type Column } from './cells.ts';
import type { ReportSummary } from './summary.ts';

const TERMINAL_TARGET_COLUMNS = ['target', 'jobs', 'success', 'p50', 'p90', 'p99', 'jobs/h', 'cost (USD)', 'cost/job (USD)', 'losses/running provider-h'];

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

function render<T>(cols: Column<T>[], rows: readonly T[], extra?: { head: string; cell: (row: T) => string }): string {
  const all = extra ? [...cols.map((c) => ({ head: c.head, cell: (r: T) => cellText(c.cell(r)) })), extra] : cols.map((c) => ({ head: c.head, cell: (r: T) => cellText(c.cell(r)) }));
  return pad([all.map((c) => c.head), ...rows.map((r) => all.map((c) => c.cell(r)))]);
}

export function formatComparisonTable(s: ReportSummary): string {
  const ci = `${Math.round(s.confidence * 100)}%`;
  const targetCols = targetColumns(ci).filter((c) => TERMINAL_TARGET_COLUMNS.some((h) => c.head === h || c.head.startsWith(`${h} [`)));
  // An invalid run's verdicts measure the harness: say so before anything else and mark every verdict as not counted.
  const invalid = (s as { validity?: ReportSummary['validity'] }).validity?.valid === false;
  const lines = invalid
    ? ['INCONCLUSIVE — no verdict of this run counts:', ...s.validity.reasons.map((r) => `  ${r.message}`), '', render(targetCols, s.targets)]
    : [s.bottomLine.sentence, '', render(targetCols, s.targets)];
  if (s.comparisons.length) {
    lines.push('', `${s.candidate} vs ${s.baseline}, paired by job (${ci} CI; ~ = no significant difference):`);
    lines.push(render(comparisonColumns(ci, s.baseline, s.candidate ?? ''), s.comparisons, { head: 'verdict', cell: (c) => (invalid ? `${c.verdict} (not counted)` : c.verdict) }));
  }
  const gates = s.thresholds?.results ?? [];
  if (gates.length) lines.push('', `thresholds: ${s.thresholds.passed ? 'all pass' : 'failed'}`, ...gates.map((r) => `  ${r.passed ? '✓' : '✗'} ${r.expression} — ${r.detail}`));
  for (const w of s.warnings) lines.push(`${w.severity}: ${w.message}`);
  return lines.join('\n');
}
