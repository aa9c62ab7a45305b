// The run report page: the answer on the first screen (bottom line, validity,
// thresholds, headline comparisons, warnings by severity), the per-workload
// decision matrix, then the evidence section by section. One offline file:
// inline CSS and SVG charts, one small inline script (reports/page.ts). Every
// value that came from a trace or a backend goes through esc().
import { delta, money, pct, secs, sig } from './format.ts';
import { comparisonColumns, pOrDash, targetColumns, targetLabel } from './cells.ts';
import { esc, pageEnd, pageHead, table, tdOf, type Cell } from './page.ts';
import type { DecisionMetric, ReportSummary, Warning } from './summary-types.ts';
import { renderMoney } from './sections/money.ts';

export { esc } from './page.ts';

export interface ReportCharts {
  cdf: string;
  overTime: string;
  cost: string;
  /** Empty when nothing failed: the page says "No failed jobs" instead. */
  errors: string;
  inFlight: string;
  sessionSurvival: string;
  lossSurvival: string;
  latencyOverTime: string;
  failuresOverTime: string;
  cumulativeCost: string;
  providers: string;
  ratioHistogram: string;
  forest: string;
}

/**
 * A section another part of mirrorbench adds to the page: rendered from the
 * summary (its own fields), placed after `after` (a section id) or at the end,
 * and listed in the table of contents. Return '' to leave the section out.
 */
export interface ExtraSection {
  id: string;
  title: string;
  after?: string;
  render(s: ReportSummary): string;
}

const SEVERITY_TITLE: Record<Warning['severity'], string> = { blocking: 'Blocking — do not decide on this run', caution: 'Caution', note: 'Notes' };

/** A sharded run's workers under the run line: which shards are stored, how each ended, how late it started and released. */
function workersLine(s: ReportSummary): string {
  const w = s.run.workers;
  if (!w || w.shards <= 1) return '';
  const ms = (v: number) => `${sig(v)} ms`;
  const parts = [
    ...w.rows.map((r) => `shard ${r.shard}/${w.shards} ${r.status}: ${r.jobsSent} jobs, started ${ms(r.startLatenessMs)} after the common start, release lateness p99 ${ms(r.latenessP99Ms)}${r.resumes ? `, resumed ${r.resumes}×` : ''}${r.host ? ` (${r.host})` : ''}`),
    ...w.missing.map((i) => `shard ${i}/${w.shards} missing (never started)`),
  ];
  return `<div class="meta workers">workers ${w.present.length} of ${w.shards}: ${parts.map(esc).join(' · ')}</div>
`;
}

const hours = (h: number | null) => (h === null ? 'not reached' : h < 1 ? `${sig(h * 60)} min` : `${sig(h)} h`);
const chart = (svg: string, id?: string) => (svg ? `<div class="chart"${id ? ` id="${id}"` : ''}>${svg}</div>` : '');
const x = (v: number) => (Number.isFinite(v) ? `${sig(v, 2)}×` : 'n/a');

/** Estimate and verdict on one line, the interval under it: the matrix fits a laptop screen without scrolling. */
function metricCell(m: DecisionMetric, fmt: (v: number) => string): Cell {
  if (!Number.isFinite(m.estimate)) return { text: 'n/a', sort: '' };
  // A quantile with too few jobs beyond it has an estimate but no interval: say why instead of [NaN, NaN].
  const ci = Number.isFinite(m.ci[0]) && Number.isFinite(m.ci[1]) ? `[${esc(fmt(m.ci[0]))}, ${esc(fmt(m.ci[1]))}]` : `no interval${m.reason ? `: <span class="reason">${esc(m.reason)}</span>` : ''}`;
  return { text: fmt(m.estimate), sort: m.estimate, html: `${esc(fmt(m.estimate))} <span data-mv="${esc(m.verdict)}">${esc(m.verdict)}</span><br><span class="ci">${ci}</span>` };
}

/** Validity: the replay's own verdict when summary.json carries one, else "no blocking warning". */
function validityOf(s: ReportSummary): { valid: boolean; reasons: string[] } {
  const v = (s as { validity?: { valid: boolean; reasons: { message: string }[] } }).validity;
  if (v) return { valid: v.valid, reasons: v.reasons.map((r) => r.message) };
  const blocking = s.warnings.filter((w) => w.severity === 'blocking');
  return { valid: blocking.length === 0, reasons: blocking.map((w) => w.message) };
}

/** The replay's own gate said INCONCLUSIVE (a summary from before the gate has none: not flagged here). */
const inconclusive = (s: ReportSummary) => (s as { validity?: ReportSummary['validity'] }).validity?.valid === false;

/** An invalid run's verdicts measure the harness: shown greyed, marked not counted, never coloured as a finding. */
/** The A/A spread beside the headline, when the scenario asked for a noise floor. */
function noiseFloorHtml(s: ReportSummary): string {
  const nf = s.verdictRule.noiseFloor;
  if (!nf) return '';
  const num = (v: number | null) => (v === null ? '—' : sig(v));
  const rows = nf.lines
    .map((l) => `<tr><td>${esc(l.metric)}</td><td>${num(l.estimate)}</td><td>${num(l.interval[0])} – ${num(l.interval[1])}</td><td>±${num(l.floor)}</td></tr>`)
    .join('');
  return `<div id="noise-floor"><h4>A/A noise floor: ${esc(nf.twin)} vs ${esc(nf.target)} (${nf.pairs} paired jobs)</h4><div class="table-wrap"><table class="noise-floor"><thead><tr><th scope="col">metric</th><th scope="col">A/A estimate</th><th scope="col">A/A interval</th><th scope="col">floor</th></tr></thead><tbody>${rows}</tbody></table></div><p class="note">Rule: ${esc(nf.rule)}.</p></div>`;
}

function verdictCell(s: ReportSummary, v: string): string {
  return !inconclusive(s)
    ? `<td class="verdict-${v === '~' ? 'same' : v}" data-verdict="${esc(v)}">${esc(v)}</td>`
    : `<td class="verdict-void" data-verdict="void" title="not counted: the run is inconclusive">${esc(v)} (not counted)</td>`;
}

/** The red banner an INCONCLUSIVE run opens with: why, in numbers (summary.validity). */
function inconclusiveBanner(s: ReportSummary): string {
  if (!inconclusive(s)) return '';
  return `<div class="inconclusive" id="inconclusive" role="alert"><strong>INCONCLUSIVE</strong> — this run measured the harness, not only the targets; no verdict on this page counts.<ul>${s.validity.reasons.map((r) => `<li data-code="${esc(r.code)}">${esc(r.message)}</li>`).join('')}</ul></div>`;
}

function firstScreen(s: ReportSummary): string {
  const ci = `${Math.round(s.confidence * 100)}%`;
  const validity = validityOf(s);
  const cols = comparisonColumns(ci, s.baseline, s.candidate ?? '');
  const gates = s.thresholds.results.length
    ? `<ul class="thresholds">${s.thresholds.results
        .map((r) => `<li data-passed="${r.passed}"><span class="${r.passed ? 'pass' : 'fail'}" aria-label="${r.passed ? 'passed' : 'failed'}">${r.passed ? '✓' : '✗'}</span> <code>${esc(r.expression)}</code> — ${esc(r.detail)}</li>`)
        .join('')}</ul>`
    : '<p class="note">The scenario sets no thresholds (add <code>thresholds:</code> or <code>--threshold</code>).</p>';
  const headline = s.comparisons.length
    ? `<p class="population note">${esc(s.candidate)} vs ${esc(s.baseline)}, paired by job (every job ran on both), all paired jobs: latency as time to success with failures censored at their failure time, cost per job with failed jobs included.</p><div class="table-wrap"><table class="comparisons sortable" data-population="paired jobs"><thead><tr>${[cols[0]!, { head: 'verdict' }, ...cols.slice(1)].map((c) => `<th scope="col">${esc(c.head)}</th>`).join('')}</tr></thead><tbody>${s.comparisons
        .map((c) => `<tr>${tdOf(cols[0]!.cell(c))}${verdictCell(s, c.verdict)}${cols.slice(1).map((col) => tdOf(col.cell(c))).join('')}</tr>`)
        .join('')}</tbody></table></div><p class="note">"~": the ${ci} interval includes no change — the data cannot tell the two apart; a \u201c~\u201d with a reason (within margin, within the A/A noise floor) says why a difference is not called. Latency and cost: paired circular-block bootstrap over jobs in submission order; success: McNemar with a Tango interval; Holm p across the tested lines. Each line's estimand and method are in summary.json.</p>`
    : '<p class="note">One target only: no comparison.</p>';
  const bySeverity = (sev: Warning['severity']) => {
    const ws = s.warnings.filter((w) => w.severity === sev);
    return ws.length ? `<div class="warnings ${sev}" data-severity="${sev}"><strong>${esc(SEVERITY_TITLE[sev])}</strong><ul>${ws.map((w) => `<li data-code="${esc(w.code)}">${esc(w.message)}</li>`).join('')}</ul></div>` : '';
  };
  return `<section id="answer" class="first-screen" aria-label="The answer">
<span id="validity" class="validity ${validity.valid ? 'ok' : 'bad'}" data-valid="${validity.valid}">${validity.valid ? 'Valid run' : 'Not a valid comparison'}</span>${validity.valid ? '' : ` <span class="note">${validity.reasons.map(esc).join(' ')}</span>`}
<p id="bottom-line" class="bottom-line">${esc(s.bottomLine.sentence)}</p>
<div class="answer-grid"><div id="thresholds"><h3>Thresholds ${s.thresholds.results.length ? (s.thresholds.passed ? '<span class="pass">all pass</span>' : '<span class="fail">failed</span>') : ''}</h3>${gates}</div>
<div id="headline"><h3>Headline comparisons</h3>${headline}${noiseFloorHtml(s)}</div></div>
<div id="warnings">${bySeverity('blocking')}${bySeverity('caution')}${bySeverity('note')}</div>
</section>`;
}

function decisionSection(s: ReportSummary, charts: ReportCharts): string {
  if (!s.decision) return '';
  const { rule, rows } = s.decision;
  const taskTypes = [...new Set([...rows.map((r) => r.taskType), ...s.byTaskType.map((r) => r.taskType)])].sort();
  // The decision right after the task type: on a phone those two stay in view, the figures scroll.
  const body = rows.map((r): Cell[] => [
    { text: r.taskType, html: `${esc(r.taskType)}<br><span class="ci">${esc(r.profile)} · ${esc(r.pairs)} pairs</span>` },
    { text: r.decision, cls: 'decision', sort: { 'could move': 0, 'could move with conditions': 1, keep: 2 }[r.decision] },
    metricCell(r.costRatio, x),
    metricCell(r.p50Ratio, x),
    metricCell(r.p99Ratio, x),
    metricCell(r.successChangePts, (v) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)} pt`),
    { text: r.conditions.join('; ') || '—', cls: 'text' },
  ]);
  return `<section id="decision"><h2>Which workloads could move</h2>
<p class="note" id="decision-rule">${esc(rule.statement)} Set in the scenario as <code>report.decision</code>.</p>
<div class="filter"><label for="workload-filter">Show task type </label><select id="workload-filter"><option value="">all</option>${taskTypes.map((t) => `<option value="${esc(t)}">${esc(t)}</option>`).join('')}</select></div>
${table({
  id: 'decision-matrix',
  population: `Each row: jobs of one task type × customer profile paired across ${s.baseline} and ${s.candidate}; over all paired jobs (n = pairs). Latency: ratios of quantiles of time to success, failures censored at their failure time (Kaplan–Meier, Harrell–Davis); cost: ratio of mean cost per job, failed jobs included; success: change in points. ${Math.round(s.confidence * 100)}% intervals by the headline's rules (paired block bootstrap; Tango for success).`,
  head: ['workload', 'decision', `cost ratio (≤ ${rule.maxCostRatio}×)`, 'p50 ratio', `p99 ratio (≤ ${rule.maxP99Ratio}×)`, `success change (≥ ${rule.minSuccessChangePts} pt)`, 'conditions'],
  rows: body,
  rowAttrs: (i) => ({ 'data-task-type': rows[i]!.taskType, 'data-decision': rows[i]!.decision }),
})}
${chart(charts.forest, 'forest')}</section>`;
}

export function renderHtml(s: ReportSummary, charts: ReportCharts, extra: readonly ExtraSection[] = []): string {
  const ci = `${Math.round(s.confidence * 100)}%`;
  const kindOf = new Map(s.targets.map((t) => [t.name, t.kind]));
  const isBaseline = (target: string) => kindOf.get(target) === 'baseline';
  const currencies = [...new Set(s.targets.map((t) => t.costNative.currency))];
  const targetCols = targetColumns(ci);
  const sections: { id: string; title: string; html: string }[] = [
    { id: 'decision', title: 'Workloads', html: decisionSection(s, charts) },
    {
      id: 'verdict',
      title: 'Targets',
      html: `<section id="verdict"><h2>Targets</h2>
${table({
  cls: 'verdict-table',
  population: 'All jobs sent to each target (latency: completed jobs; trace time from the intended send to the outcome).',
  head: targetCols.map((c) => c.head),
  rows: s.targets.map((t) => targetCols.map((c) => c.cell(t))),
})}</section>`,
    },
    {
      id: 'latency',
      title: 'Latency',
      html: `<section id="latency"><h2>Latency</h2>${chart(charts.cdf, 'latency-cdf')}${chart(charts.latencyOverTime, 'latency-over-time')}${chart(charts.ratioHistogram, 'ratio-histogram')}
${s.latencyShift ? `<p class="note" id="latency-shift">Hodges–Lehmann estimate of the paired latency shift, ${esc(s.candidate)} − ${esc(s.baseline)}: <strong>${esc(`${s.latencyShift.seconds >= 0 ? '+' : '−'}${secs(Math.abs(s.latencyShift.seconds))}`)}</strong> (median of Walsh averages over ${esc(s.latencyShift.pairs)} jobs completed on both — a fixed hash-chosen sample when more completed; robust to the long tail that moves the mean).</p>` : ''}
${table({
  population: 'All jobs of each target and task type (latency: completed jobs).',
  head: ['task type', 'target', 'jobs', 'success', 'p50', 'p90', 'p99', 'cost/job (USD)', 'provider losses'],
  rows: s.byTaskType.map((r) => [r.taskType, r.target, r.jobs, { text: pct(r.successRate), sort: r.successRate }, { text: secs(r.p50), sort: r.p50 }, { text: secs(r.p90), sort: r.p90 }, { text: secs(r.p99), sort: r.p99 }, { text: sig(r.costPerJobUsd), sort: r.costPerJobUsd }, r.providerLosses]),
  rowAttrs: (i) => ({ 'data-task-type': s.byTaskType[i]!.taskType }),
})}</section>`,
    },
    {
      id: 'routing',
      title: 'Routing',
      html: s.routing.length
        ? `<section id="routing"><h2>Routing policies</h2>
${table({ cls: 'routing', population: 'All paired jobs, each routed by the policy on its mirrored outcomes.', head: ['policy', 'jobs', 'success', 'p50', 'p99', 'cost/job (USD)', 'served by the network'], rows: s.routing.map((r) => [r.name, r.jobs, pct(r.successRate), secs(r.p50), secs(r.p99), sig(r.costPerJobUsd), pct(r.servedByNetwork)]) })}
<p class="note">Evaluated on this run's mirrored outcomes: every job ran on both backends, so what a policy would have done with it is read off the two results. A job sent to the fallback later is assumed to behave as it did when sent at its arrival (latency shifted by the wait); the abandoned attempt's cost up to then is counted.</p></section>`
        : '',
    },
    { id: 'throughput', title: 'Throughput', html: `<section id="throughput"><h2>Throughput over time</h2>${chart(charts.overTime)}${chart(charts.inFlight)}</section>` },
    {
      id: 'cost',
      title: 'Cost',
      html: `<section id="cost"><h2>Cost</h2>${chart(charts.cumulativeCost, 'cumulative-cost')}${chart(charts.cost)}
${table({
  population: 'All jobs of each target; USD at the exchange rate when charged, native in the target’s own currency.',
  head: ['target', 'total (USD)', 'total (native)', 'per job (USD)', 'per useful GPU-h (USD)', 'per billed GPU-h (USD)'],
  rows: s.targets.map((t) => [targetLabel(t), sig(t.costUsd.total, 4), money(t.costNative.total, t.costNative.currency), sig(t.costUsd.perJob), sig(t.costUsd.perUsefulGpuHour), sig(t.costUsd.perWallGpuHour)]),
})}
${s.prices.length ? table({ population: 'Exchange-rate ticks seen during the run.', head: ['target', 'currency', 'USD rate min', 'mean', 'max', 'ticks'], rows: s.prices.map((p) => [p.target, p.currency, `${sig(p.minRate, 4)} USD/${p.currency}`, `${sig(p.meanRate, 4)} USD/${p.currency}`, `${sig(p.maxRate, 4)} USD/${p.currency}`, p.ticks]) }) : ''}
${s.costSensitivity.length ? `<h3>Sensitivity to the exchange rate</h3>${table({ cls: 'sensitivity', population: 'All jobs of each target in a native currency, repriced at a multiple of the run’s mean rate.', head: ['target', 'USD rate', 'rate vs run mean', 'cost per job (USD)', `vs ${s.baseline}`], rows: s.costSensitivity.map((c) => [c.target, `${sig(c.usdRate, 4)} USD/${c.currency}`, pct(c.multiplier, 0), sig(c.costPerJobUsd), c.ratioToBaseline === null ? 'n/a' : delta(c.ratioToBaseline)]) })}` : ''}
<p class="note">"Useful" GPU-hours are the trace's work time of completed jobs; "billed" GPU-hours are what the target charged for (the network bills from agreement start, image pull and idle rentals included; the baseline every running instance, busy or idle). A USD cost in a native currency moves with its rate: ±10% on the rate is ±10% on that target's cost.</p></section>`,
    },
    { id: 'money', title: 'Where the money goes', html: renderMoney(s.money) },
    {
      id: 'reliability',
      title: 'Reliability',
      html: `<section id="reliability"><h2>Reliability</h2>${charts.failuresOverTime || charts.errors ? `${chart(charts.failuresOverTime, 'failures-over-time')}${chart(charts.errors)}` : '<div class="empty-chart" id="no-failures">No failed jobs on any target.</div>'}
${s.errorClasses.length ? table({ population: 'Jobs that did not complete, by target and error class.', head: ['target', 'error class', 'jobs'], rows: s.errorClasses.map((e) => [e.target, e.errorClass, e.count]) }) : ''}
${table({ population: 'All jobs of each target. Losses per running provider-hour divide by the time providers spent running jobs, not by queueing.', head: ['target', 'mean attempts', 'retried jobs', 'provider losses', 'losses per running provider-hour'], rows: s.targets.map((t) => [targetLabel(t), sig(t.attemptsMean), t.retriedJobs, t.providerLosses, sig(t.lossesPerRunningHour)]) })}</section>`,
    },
    {
      id: 'churn',
      title: 'Churn',
      html: `<section id="churn"><h2>Churn</h2>${chart(charts.providers, 'providers-over-time')}
${table({ population: 'Each target’s provider stream (WatchProviders), independent of the jobs that happened to run.', head: ['target', 'providers seen', 'online events', 'offline events', 'offline per trace hour'], rows: s.churn.map((c) => [c.target, c.providers, c.onlineEvents, c.offlineEvents, sig(c.offlinePerHour)]) })}
${chart(charts.sessionSurvival)}${chart(charts.lossSurvival)}
${s.survival.length ? table({ cls: 'survival', population: 'Provider online sessions (from the provider stream) and jobs with a provider assigned (time to its first loss).', head: ['target', 'curve', 'observed', 'events', 'censored', 'median'], rows: s.survival.map((c) => [c.target, c.kind === 'provider_session' ? 'provider online session' : 'time to first provider loss', c.n, c.events, c.n - c.events, hours(c.medianHours)]) }) : ''}
<p class="note">Kaplan–Meier estimates with ${ci} intervals (Greenwood, log scale). Sessions still online when the stream ended, and jobs that finished without losing their provider, are censored, not dropped: dropping them would make providers look shorter-lived than they are. Providers already online when the stream began are left out of the session curve, as their session start is unknown.</p></section>`,
    },
    {
      id: 'marketplace',
      title: 'Marketplace',
      html: `<section id="marketplace"><h2>Marketplace</h2>
${table({
  population: 'All jobs of each target; negotiation and settlement over the jobs that have those events. n/a: the target has no marketplace.',
  head: ['target', 'offers per job', 'price per hour', 'providers tried per job', 'negotiation p50', 'negotiation p90', 'settlement p50', 'settlement p90'],
  rows: s.marketplace.map((m) => {
    const base = isBaseline(m.target);
    const cur = s.targets.find((t) => t.name === m.target)?.costNative.currency ?? '';
    const span = (v: number | null) => (v === null || (base && v === 0) ? 'n/a' : secs(v));
    return [m.target, base && m.offersMean === 0 ? 'n/a' : sig(m.offersMean), money(m.pricePerHourMean, cur), sig(m.providersTriedMean), span(m.negotiationP50s), span(m.negotiationP90s), span(m.settlementP50s), span(m.settlementP90s)];
  }),
})}
<p class="note">Prices are in each target's own currency (${currencies.map(esc).join(', ')}). Negotiation runs from a job's request reaching the target to its first provider assignment (offers, agreement; on the baseline, queueing for an instance). Settlement runs from the job's outcome to its payment being settled. Trace time.</p></section>`,
    },
    {
      id: 'breakdown',
      title: 'Breakdown',
      html: s.breakdown.length
        ? `<section id="breakdown"><h2>By customer profile × task type</h2>
${table({
  population: 'Every job run on both targets in each cell, failed ones censored at their failure time (n = pairs).',
  head: ['task type', 'profile', 'pairs', `${s.baseline} p50`, `${s.candidate} p50`, 'change', 'p', 'p (Holm)', 'verdict'],
  rows: s.breakdown.map((b) => [b.taskType, b.profile, b.jobs, secs(b.baselineP50), secs(b.candidateP50), { text: delta(b.ratio), sort: b.ratio }, pOrDash(b.pValue), pOrDash(b.pHolm), inconclusive(s) ? `${b.verdict} (not counted)` : b.verdict]),
  rowAttrs: (i) => ({ 'data-task-type': s.breakdown[i]!.taskType }),
})}
<p class="note">Each cell's p50 by the headline rules (Harrell–Davis over Kaplan–Meier, paired block bootstrap, at least ${esc(s.verdictRule.minTail)} jobs beyond the median), Holm-corrected across cells so that many breakdowns do not manufacture a difference.</p></section>`
        : '',
    },
    {
      id: 'assumptions',
      title: 'Assumptions',
      html: s.assumptions.length
        ? `<section id="assumptions"><h2>Assumptions</h2><details><summary>${esc(s.assumptions.length)} simulator parameters are assumptions ([A]) — show them</summary>${table({ population: 'Parameters marked [A] in each target’s description.', head: ['target', 'parameter', 'value and basis'], rows: s.assumptions.map((a) => [a.target, a.parameter, { text: a.value, cls: 'text' }]) })}</details></section>`
        : '',
    },
  ];
  for (const e of extra) {
    const html = e.render(s);
    if (!html) continue;
    const at = e.after ? sections.findIndex((x) => x.id === e.after) : -1;
    sections.splice(at >= 0 ? at + 1 : sections.length, 0, { id: e.id, title: e.title, html });
  }
  const shown = sections.filter((x) => x.html);
  return `${pageHead(`mirrorbench — ${s.run.scenario} — ${s.run.id}`)}
<body${inconclusive(s) ? ' class="invalid"' : ''}>
${inconclusiveBanner(s)}
<header><h1>${esc(s.candidate ?? s.baseline)}${s.candidate ? ` vs ${esc(s.baseline)}` : ''} — ${esc(s.run.scenario)}</h1>
<div class="meta">run ${esc(s.run.id)} · ${esc(s.run.status)} · ${esc(s.run.jobsSent)} jobs · speed ×${esc(sig(s.run.speed))} · seed ${esc(s.run.seed)} · trace ${esc(s.run.tracePath)} (sha256 ${esc(s.run.traceChecksum.slice(0, 12))}) · ${esc(s.run.startedAt)} → ${esc(s.run.endedAt)}</div>
${workersLine(s)}${s.run.replicate ? `<div class="meta" id="replicate-of">replicate ${esc(s.run.replicate.index)} of ${esc(s.run.replicate.count)} of set ${esc(s.run.replicate.set)}: one draw of the provider population — <a href="../${esc(s.run.replicate.set)}/index.html">the replicates combined</a></div>` : ''}<nav class="toc" aria-label="Contents"><ol><li><a href="#answer">Answer</a></li>${shown.map((x) => `<li><a href="#${esc(x.id)}">${esc(x.title)}</a></li>`).join('')}</ol></nav></header>
${firstScreen(s)}
${shown.map((x) => x.html).join('\n')}
<footer class="note"><p>Generated by mirrorbench. Every number on this page is in summary.json beside it (schema: reports/summary.schema.json).</p></footer>
${pageEnd}`;
}
