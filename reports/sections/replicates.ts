// The replicates of a set combined (harness/stats/replicates.ts): per headline
// metric each replicate's estimate and interval as its own report gave them,
// the between-replicate spread τ², and the combined line with its verdict by
// the single run's rule (Holm across the combined lines, the margin). Pure:
// takes the replicates' comparisons, returns the block of the set's
// summary.json and its HTML.
import type { PairedLine } from '../../harness/stats/paired-compare.ts';
import { combineReplicates, COMBINE_METHOD } from '../../harness/stats/replicates.ts';
import { delta, pValue, sig } from '../format.ts';
import { esc } from '../page.ts';
import type { Comparison } from '../summary-types.ts';

export interface ReplicateInput {
  runId: string;
  /** The replicate's own report was valid (an INCONCLUSIVE replicate is listed, not combined). */
  valid: boolean;
  comparisons: readonly Comparison[];
}

const num = (v: number) => (Number.isFinite(v) ? v : null);

export interface CombinedMetric {
  metric: string;
  unit: string;
  estimand: string;
  scale: 'ratio' | 'difference';
  replicates: { runId: string; estimate: number | null; interval: [number | null, number | null]; verdict: string; combined: boolean }[];
  /** Replicates combined for this metric. */
  k: number;
  estimate: number | null;
  interval: [number | null, number | null];
  pValue: number | null;
  pHolm: number | null;
  verdict: PairedLine['verdict'];
  reason?: string;
  /** Between-replicate variance on the analysis scale (log ratio; difference), DerSimonian–Laird; τ its square root. */
  tau2: number | null;
  tau: number | null;
  /** Cochran's Q of the replicates and its degrees of freedom. */
  q: number | null;
  /** Replicates whose own interval was narrower than the between-replicate spread (within-run sd < τ). */
  overConfident: number;
  /** In words, when a single run would have over-called: its interval narrower than the spread between runs. */
  note?: string;
}

export interface CombinedBlock {
  method: string;
  rule: string;
  confidence: number;
  margin: number;
  /** Replicates listed, and those combined (valid ones). */
  replicates: { runId: string; valid: boolean }[];
  /** The combined lines Holm adjusts together. */
  family: string[];
  lines: CombinedMetric[];
}

export const COMBINE_RULE =
  'per headline metric, the valid replicates\' estimates combined by a random-effects model; the combined line reads better/worse when its Holm-adjusted p (across the combined lines) is below α and its interval excludes no change, "~ (within margin)" when the ratio is within 1 ± margin, and "insufficient data" with fewer than two valid replicates that had an interval (an INCONCLUSIVE replicate is listed, not combined)';

/** A summary.json comparison back into the verdict path's line (direction from its scale: ratios of latency and cost are lower-is-better, the success difference higher-is-better). */
export function lineOf(c: Comparison): PairedLine {
  return {
    metric: c.metric, unit: c.unit, estimand: c.estimand, method: c.method, scale: c.scale,
    direction: c.scale === 'difference' ? 'higher-is-better' : 'lower-is-better',
    baseline: c.baseline, candidate: c.candidate, estimate: c.estimate ?? NaN,
    interval: [c.interval[0] ?? NaN, c.interval[1] ?? NaN],
    pValue: c.pValue ?? NaN, pHolm: c.pHolm ?? NaN, verdict: c.verdict, n: c.pairs, blockLength: c.blockLength, replicates: c.replicates,
    ...(c.reason ? { reason: c.reason } : {}),
  };
}

const spreadText = (scale: 'ratio' | 'difference', tau: number) => (scale === 'ratio' ? `×/÷ ${Math.exp(tau).toFixed(3)}` : `± ${(tau * 100).toFixed(2)} points`);

export function combinedBlock(runs: readonly ReplicateInput[], confidence: number, margin: number): CombinedBlock {
  // An INCONCLUSIVE replicate's lines are listed but enter no combination: as if it had no interval.
  const combined = combineReplicates(runs.map((r) => r.comparisons.map((c) => (r.valid ? lineOf(c) : { ...lineOf(c), verdict: 'insufficient data' as const }))), confidence, margin);
  const lines = combined.map((c): CombinedMetric => {
    const l = c.line;
    const replicates = runs.map((r, i) => {
      const own = r.comparisons.find((x) => x.metric === l.metric);
      return {
        runId: r.runId, estimate: own ? num(own.estimate) : null, interval: own ? own.interval : ([null, null] as [null, null]),
        verdict: own?.verdict ?? 'insufficient data', combined: c.replicates[i]!.used,
      };
    });
    const k = replicates.filter((r) => r.combined).length;
    const note =
      c.tau !== null && c.overConfident > 0
        ? `${c.overConfident} of ${k} replicates had an interval narrower than the spread between replicates (${spreadText(l.scale, c.tau)} as one sd): a single run would have stated more certainty about ${l.metric} than the replicates show, and could have called a difference that is another run's draw`
        : undefined;
    return {
      metric: l.metric, unit: l.unit, estimand: l.estimand, scale: l.scale, replicates, k,
      estimate: num(l.estimate), interval: [num(l.interval[0]), num(l.interval[1])], pValue: num(l.pValue), pHolm: num(l.pHolm), verdict: l.verdict,
      ...(l.reason ? { reason: l.reason } : {}),
      tau2: c.model ? c.model.tau2 : null, tau: c.tau, q: c.model ? c.model.q : null, overConfident: c.overConfident,
      ...(note ? { note } : {}),
    };
  });
  return {
    method: COMBINE_METHOD, rule: COMBINE_RULE, confidence, margin,
    replicates: runs.map((r) => ({ runId: r.runId, valid: r.valid })),
    family: lines.filter((l) => l.pHolm !== null).map((l) => l.metric),
    lines,
  };
}

const fmt = (scale: 'ratio' | 'difference', v: number | null) => (v === null ? '—' : scale === 'ratio' ? delta(v) : `${(v * 100).toFixed(2)} pts`);
const ivl = (scale: 'ratio' | 'difference', iv: readonly [number | null, number | null]) => `[${fmt(scale, iv[0])}, ${fmt(scale, iv[1])}]`;

/** The combined section: one row per metric, each replicate's estimate, τ, the combined line. */
export function renderCombinedSection(b: CombinedBlock, link: (runId: string) => string): string {
  const ci = `${Math.round(b.confidence * 100)}%`;
  const head = ['metric', 'combined verdict', `combined estimate [${ci} CI]`, 'Holm p', 'between-replicate sd τ', ...b.replicates.map((r, i) => `r${i + 1}${r.valid ? '' : ' (inconclusive, not combined)'}`)];
  const rows = b.lines
    .map((l) => {
      const cells = [
        `<td>${esc(l.metric)}</td>`,
        `<td class="verdict-${l.verdict === '~' ? 'same' : l.verdict}" data-verdict="${esc(l.verdict)}">${esc(l.verdict)}${l.reason ? ` <span class="note">(${esc(l.reason)})</span>` : ''}</td>`,
        `<td>${esc(fmt(l.scale, l.estimate))} ${esc(ivl(l.scale, l.interval))}</td>`,
        `<td>${esc(l.pHolm === null ? '—' : pValue(l.pHolm))}</td>`,
        `<td>${l.tau === null ? '—' : esc(spreadText(l.scale, l.tau))} <span class="note">(τ² ${l.tau2 === null ? '—' : esc(sig(l.tau2))}, k = ${l.k})</span></td>`,
        ...l.replicates.map((r) => `<td${r.combined ? '' : ' class="note"'}>${esc(fmt(l.scale, r.estimate))} ${esc(ivl(l.scale, r.interval))} ${esc(r.verdict)}</td>`),
      ];
      return `<tr data-metric="${esc(l.metric)}">${cells.join('')}</tr>`;
    })
    .join('');
  const notes = b.lines.filter((l) => l.note).map((l) => `<li>${esc(l.note)}</li>`).join('');
  return `<section id="replicates" aria-label="Replicates combined"><h2>Replicates combined (${b.replicates.filter((r) => r.valid).length} of ${b.replicates.length} valid)</h2>
<p class="population note">Each replicate is a run of the same trace with new simulator seeds (another provider population) or, on a real backend, the same run again; each column is that run's own headline line (${b.replicates.map((r, i) => `<a href="${esc(link(r.runId))}">r${i + 1}</a>`).join(', ')}).</p>
${notes ? `<div class="warnings caution" data-severity="caution"><strong>A single run would have over-called</strong><ul>${notes}</ul></div>` : ''}
<div class="table-wrap"><table class="combined sortable" data-population="replicates of one trace"><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>
<p class="note">Method: ${esc(b.method)}. Rule: ${esc(b.rule)}.</p></section>`;
}
