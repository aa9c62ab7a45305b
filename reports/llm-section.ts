// The page's "LLM requests" section (an ExtraSection, reports/build.ts): per
// target, time to first token and time per output token, goodput under the
// scenario's SLOs with intervals, and the paired comparisons of the three.
// Shown only for a run with token-counted requests (summary.json `llm`).
import { pValue, secs, sig } from './format.ts';
import type { ExtraSection } from './html.ts';
import { esc, table } from './page.ts';
import type { ReportSummary } from './summary-types.ts';

const ms = (s: number) => `${sig(s * 1000)} ms`;

export const llmHtmlSection: ExtraSection = {
  id: 'llm',
  title: 'LLM requests',
  after: 'verdict',
  render(s: ReportSummary) {
    const llm = (s as { llm?: ReportSummary['llm'] }).llm;
    if (!llm) return '';
    const ci = `${Math.round(s.confidence * 100)}%`;
    const slo = llm.slo ? [llm.slo.ttftMs !== null ? `TTFT ≤ ${llm.slo.ttftMs} ms` : '', llm.slo.tpotMs !== null ? `TPOT ≤ ${llm.slo.tpotMs} ms` : ''].filter(Boolean).join(' and ') : '';
    const q = (v: { p50: number; p90: number; p99: number } | null, k: 'p50' | 'p90' | 'p99', f: (x: number) => string) => (v ? { text: f(v[k]), sort: v[k] } : '—');
    const perTarget = table({
      cls: 'llm-targets',
      id: 'llm-targets',
      population: 'Token-counted requests sent to each target (prompt and output tokens in the trace). TTFT: completed requests, trace time from the intended send to the first token of the attempt that completed. TPOT: completed requests with at least two output tokens, (last token − first token) ÷ (output tokens − 1).',
      head: ['target', 'requests', 'completed', 'TTFT p50', 'TTFT p90', 'TTFT p99', 'TPOT p50', 'TPOT p90', 'TPOT p99', 'streams lost', `goodput share (${ci} CI)`, `goodput rate (${ci} CI)`],
      rows: llm.targets.map((t) => [
        t.target,
        t.requests,
        t.completed,
        q(t.ttft, 'p50', secs),
        q(t.ttft, 'p90', secs),
        q(t.ttft, 'p99', secs),
        q(t.tpot, 'p50', ms),
        q(t.tpot, 'p90', ms),
        q(t.tpot, 'p99', ms),
        t.streamsLost,
        t.goodput ? { text: `${(100 * t.goodput.share).toFixed(1)}% [${(100 * t.goodput.shareCi[0]).toFixed(1)}, ${(100 * t.goodput.shareCi[1]).toFixed(1)}]`, sort: t.goodput.share } : '—',
        t.goodput ? { text: `${sig(t.goodput.ratePerSecond)}/s [${sig(t.goodput.rateCi[0])}, ${sig(t.goodput.rateCi[1])}]`, sort: t.goodput.ratePerSecond } : '—',
      ]),
    });
    const fmt = (unit: string, v: number) => (unit === 's' ? secs(v) : unit === 's/token' ? ms(v) : `${(100 * v).toFixed(1)}%`);
    const comparisons = llm.comparisons.length
      ? table({
          cls: 'llm-comparisons',
          id: 'llm-comparisons',
          population: `Requests sent to both ${s.baseline} and ${s.candidate}, paired by job. TTFT: failed requests censored at their failure time; TPOT: requests completed on both; goodput: paired share meeting every SLO.`,
          head: ['metric', s.baseline, s.candidate ?? '', `ratio (${ci} CI)`, 'p (Holm)', 'verdict'],
          rows: llm.comparisons.map((c) => [
            c.metric,
            { text: fmt(c.unit, c.baseline), sort: c.baseline },
            { text: fmt(c.unit, c.candidate), sort: c.candidate },
            { text: Number.isFinite(c.ratio) ? `${sig(c.ratio)} [${sig(c.ci[0])}, ${sig(c.ci[1])}]` : '—', sort: c.ratio },
            c.pHolm !== null ? pValue(c.pHolm) : '—',
            // An INCONCLUSIVE run's verdicts measure the harness: marked as the page's other tables mark them.
            s.validity?.valid === false ? `${c.verdict} (not counted)` : c.verdict,
          ]),
        })
      : '';
    const silent = llm.targets.filter((t) => !t.streaming).map((t) => t.target);
    const silentNote = silent.length ? ` ${esc(silent.join(', '))} sent no first-token event (a target that does not stream, or a bridged workload without stream marks): no TTFT, TPOT or goodput there, and no comparison.` : '';
    const sloNote = slo
      ? `Goodput: requests that completed with ${esc(slo)} (DistServe's definition, vLLM's <code>--goodput</code>): share of requests with a Wilson interval over the effective sample size (requests correlated in time count for less), and per second of the requests' arrival span (trace time) with that interval scaled alike.`
      : 'No goodput: the scenario gives no <code>slo: { ttftMs, tpotMs }</code>.';
    return `<section id="llm"><h2>LLM requests</h2>
${perTarget}
${comparisons}
<p class="note">${sloNote}${silentNote} A stream lost with its provider is gone: the retry's first token is the one that counts. Gates: <code>ttft_p99 &lt; 3s</code>, <code>tpot_p90 &lt; 100ms</code>, <code>goodput_ratio &gt; 0.9</code>, <code>goodput_rate &gt; 2</code> (the worst target, or <code>&lt;target&gt;.goodput_ratio</code>).</p></section>`;
  },
};
