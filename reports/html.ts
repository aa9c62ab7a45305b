// The self-contained report page: inline CSS, inline SVG charts, no scripts
// and no network. Every value that came from a trace or a backend goes
// through esc(): a label such as <script> shows as text.
import { delta, pct, pValue, secs, usd } from './format.ts';
import type { ReportSummary } from './summary.ts';

export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function table(head: string[], rows: (string | number)[][], cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const CSS = `
:root { --fg:#1a1a1a; --muted:#5f6368; --line:#ddd; --better:#009E73; --worse:#D55E00; --same:#5f6368; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; margin: 8px 0; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { font-weight: 600; background: #f6f6f6; }
td.verdict-better, .verdict-better { color: var(--better); font-weight: 600; }
td.verdict-worse, .verdict-worse { color: var(--worse); font-weight: 600; }
.warnings { border: 1px solid #E69F00; background: #fff8e6; padding: 8px 12px; margin: 12px 0; }
.warnings li { margin: 2px 0; }
.chart svg { max-width: 100%; height: auto; }
.note { color: var(--muted); font-size: 12px; }
@media print { body { padding: 0; } h2 { break-after: avoid; } .chart { break-inside: avoid; } }
`;

export interface ReportCharts {
  cdf: string;
  overTime: string;
  cost: string;
  errors: string;
  inFlight: string;
  sessionSurvival: string;
  lossSurvival: string;
}

const orDash = (v: number | null) => (v === null ? '–' : secs(v));
const hours = (h: number | null) => (h === null ? 'not reached' : h < 1 ? `${(h * 60).toFixed(1)} min` : `${h.toFixed(2)} h`);

export function renderHtml(s: ReportSummary, charts: ReportCharts): string {
  const ci = `${Math.round(s.confidence * 100)}%`;
  const fmt = (c: ReportSummary['comparisons'][number], v: number) => (c.unit === 's' ? secs(v) : c.unit === 'USD' ? usd(v) : pct(v));
  const verdictRows = s.targets.map((t) => [
    t.name,
    t.kind,
    t.jobs,
    `${pct(t.successRate)} [${pct(t.successRateCI[0])}, ${pct(t.successRateCI[1])}]`,
    secs(t.latency.p50),
    secs(t.latency.p90),
    secs(t.latency.p99),
    t.throughputJobsPerHour.toFixed(1),
    t.gpuHoursPerHour.toFixed(2),
    usd(t.costUsd.total),
    usd(t.costUsd.perJob),
    usd(t.costUsd.perUsefulGpuHour),
    usd(t.costUsd.perWallGpuHour),
    t.lossesPerJobHour.toFixed(3),
    t.withheld,
  ]);
  const comparisonRows = s.comparisons
    .map(
      (c) =>
        `<tr><td>${esc(c.metric)}</td><td>${esc(fmt(c, c.baseline))}</td><td>${esc(fmt(c, c.candidate))}</td><td>${esc(delta(c.ratio))}</td><td>${esc(`[${delta(c.ci[0])}, ${delta(c.ci[1])}]`)}</td><td>${esc(pValue(c.pValue))}</td><td class="verdict-${c.verdict === '~' ? 'same' : c.verdict}" data-verdict="${esc(c.verdict)}">${esc(c.verdict)}</td><td>${esc(c.pairs)}</td></tr>`,
    )
    .join('');
  const warnings = s.warnings.length ? `<div class="warnings" id="warnings"><strong>Read with care</strong><ul>${s.warnings.map((w) => `<li data-severity="${esc(w.severity)}">${esc(w.severity)}: ${esc(w.message)}</li>`).join('')}</ul></div>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mirrorbench — ${esc(s.run.scenario)} — ${esc(s.run.id)}</title><style>${CSS}</style></head>
<body>
<header><h1>${esc(s.candidate ?? s.baseline)} ${s.candidate ? `vs ${esc(s.baseline)}` : ''} — ${esc(s.run.scenario)}</h1>
<div class="meta">run ${esc(s.run.id)} · ${esc(s.run.status)} · ${esc(s.run.jobsSent)} jobs · speed ×${esc(Number(s.run.speed.toFixed(2)))} · seed ${esc(s.run.seed)} · trace ${esc(s.run.tracePath)} (sha256 ${esc(s.run.traceChecksum.slice(0, 12))}) · ${esc(s.run.startedAt)} → ${esc(s.run.endedAt)}</div></header>
${warnings}
<section id="verdict"><h2>Verdict</h2>
${table(['target', 'kind', 'jobs', `success [${ci} CI]`, 'p50', 'p90', 'p99', 'jobs/h', 'GPU-h/h', 'cost', 'cost/job', '$/useful GPU-h', '$/billed GPU-h', 'losses/job-h', 'withheld'], verdictRows, 'verdict-table')}
${s.comparisons.length ? `<table class="comparisons"><thead><tr><th>${esc(s.candidate)} vs ${esc(s.baseline)}, paired by job</th><th>${esc(s.baseline)}</th><th>${esc(s.candidate)}</th><th>change</th><th>${ci} CI</th><th>p</th><th>verdict</th><th>pairs</th></tr></thead><tbody>${comparisonRows}</tbody></table>
<p class="note">Latencies are in trace time, from the intended send time to the outcome, completed jobs only. Intervals are paired bootstraps over jobs (every job ran on both targets); p for the median is the Wilcoxon signed-rank test. "~" means no significant difference at ${Math.round((1 - s.confidence) * 100)}%.</p>` : ''}
</section>
<section id="latency"><h2>Latency</h2><div class="chart">${charts.cdf}</div>
${s.latencyShift ? `<p class="note" id="latency-shift">Hodges–Lehmann estimate of the paired latency shift, ${esc(s.candidate)} − ${esc(s.baseline)}: <strong>${esc(`${s.latencyShift.seconds >= 0 ? '+' : '−'}${secs(Math.abs(s.latencyShift.seconds))}`)}</strong> (median of Walsh averages over ${esc(s.latencyShift.pairs)} jobs completed on both; robust to the long tail that moves the mean).</p>` : ''}
${table(['target', 'task type', 'jobs', 'success', 'p50', 'p90', 'p99', 'cost/job', 'losses'], s.byTaskType.map((r) => [r.target, r.taskType, r.jobs, pct(r.successRate), secs(r.p50), secs(r.p90), secs(r.p99), usd(r.costPerJobUsd), r.providerLosses]))}
</section>
${s.routing.length ? `<section id="routing"><h2>Routing policies</h2>
${table(['policy', 'jobs', 'success', 'p50', 'p99', 'cost/job', 'served by the network'], s.routing.map((r) => [r.name, r.jobs, pct(r.successRate), secs(r.p50), secs(r.p99), usd(r.costPerJobUsd), pct(r.servedByNetwork)]), 'routing')}
<p class="note">Evaluated on this run's mirrored outcomes: every job ran on both backends, so what a policy would have done with it is read off the two results. A job sent to the fallback later is assumed to behave as it did when sent at its arrival (latency shifted by the wait); the abandoned attempt's cost up to then is counted.</p></section>` : ''}
<section id="throughput"><h2>Throughput over time</h2><div class="chart">${charts.overTime}</div><div class="chart">${charts.inFlight}</div></section>
<section id="cost"><h2>Cost</h2><div class="chart">${charts.cost}</div>
${table(['target', 'total (USD)', 'native', 'per job', 'per useful GPU-h', 'per billed GPU-h'], s.targets.map((t) => [t.name, usd(t.costUsd.total), `${t.costNative.total.toFixed(4)} ${t.costNative.currency}`, usd(t.costUsd.perJob), usd(t.costUsd.perUsefulGpuHour), usd(t.costUsd.perWallGpuHour)]))}
${s.prices.length ? table(['target', 'currency', 'USD rate min', 'mean', 'max', 'ticks'], s.prices.map((p) => [p.target, p.currency, p.minRate.toFixed(4), p.meanRate.toFixed(4), p.maxRate.toFixed(4), p.ticks])) : ''}
${s.costSensitivity.length ? `<h3>Sensitivity to the exchange rate</h3>${table(['target', 'USD rate', 'rate vs run mean', 'cost per job (USD)', `vs ${s.baseline}`], s.costSensitivity.map((c) => [c.target, `${c.usdRate.toFixed(4)} USD/${c.currency}`, pct(c.multiplier), usd(c.costPerJobUsd), c.ratioToBaseline === null ? '–' : delta(c.ratioToBaseline)]), 'sensitivity')}` : ''}
<p class="note">"Useful" GPU-hours are the trace's work time of completed jobs; "billed" GPU-hours are what the target charged for (the network bills from agreement start, image pull included; the baseline only while running). A USD cost in a native currency moves with its rate: ±10% on the rate is ±10% on that target's cost.</p></section>
<section id="reliability"><h2>Reliability</h2><div class="chart">${charts.errors}</div>
${table(['target', 'error class', 'jobs'], s.errorClasses.map((e) => [e.target, e.errorClass, e.count]))}
${table(['target', 'mean attempts', 'retried jobs', 'provider losses', 'losses per job-hour'], s.targets.map((t) => [t.name, t.attemptsMean.toFixed(3), t.retriedJobs, t.providerLosses, t.lossesPerJobHour.toFixed(4)]))}</section>
<section id="churn"><h2>Churn</h2>
${table(['target', 'providers seen', 'online events', 'offline events', 'offline per trace hour'], s.churn.map((c) => [c.target, c.providers, c.onlineEvents, c.offlineEvents, c.offlinePerHour.toFixed(2)]))}
<p class="note">From each target's provider stream (WatchProviders), independent of the jobs that happened to run.</p>
${charts.sessionSurvival ? `<div class="chart">${charts.sessionSurvival}</div>` : ''}${charts.lossSurvival ? `<div class="chart">${charts.lossSurvival}</div>` : ''}
${s.survival.length ? table(['target', 'curve', 'observed', 'events', 'censored', 'median'], s.survival.map((c) => [c.target, c.kind === 'provider_session' ? 'provider online session' : 'time to first provider loss', c.n, c.events, c.n - c.events, hours(c.medianHours)]), 'survival') : ''}
<p class="note">Kaplan–Meier estimates with ${ci} intervals (Greenwood, log scale). Sessions still online when the stream ended, and jobs that finished without losing their provider, are censored, not dropped: dropping them would make providers look shorter-lived than they are. Providers already online when the stream began are left out of the session curve, as their session start is unknown.</p></section>
<section id="marketplace"><h2>Marketplace</h2>
${table(['target', 'offers per job', 'price per hour (native)', 'providers tried per job', 'negotiation p50', 'negotiation p90', 'settlement p50', 'settlement p90'], s.marketplace.map((m) => [m.target, m.offersMean.toFixed(1), m.pricePerHourMean.toFixed(4), m.providersTriedMean.toFixed(2), orDash(m.negotiationP50s), orDash(m.negotiationP90s), orDash(m.settlementP50s), orDash(m.settlementP90s)]))}
<p class="note">Negotiation runs from a job's request reaching the target to its first provider assignment (offers, agreement; on the baseline, queueing for an instance). Settlement runs from the job's outcome to its payment being settled. Trace time.</p></section>
${s.breakdown.length ? `<section id="breakdown"><h2>By customer profile × task type</h2>
${table(['profile', 'task type', 'pairs', `${s.baseline} p50`, `${s.candidate} p50`, 'change', 'p', 'p (Holm)', 'verdict'], s.breakdown.map((b) => [b.profile, b.taskType, b.jobs, secs(b.baselineP50), secs(b.candidateP50), delta(b.ratio), pValue(b.pValue), pValue(b.pHolm), b.verdict]))}
<p class="note">Signed-rank test per cell, Holm-corrected across cells so that many breakdowns do not manufacture a difference.</p></section>` : ''}
${s.assumptions.length ? `<section id="assumptions"><h2>Assumptions</h2>${table(['target', 'parameter', 'value and basis'], s.assumptions.map((a) => [a.target, a.parameter, a.value]))}</section>` : ''}
<footer class="note"><p>Generated by mirrorbench. Numbers in this page are in summary.json beside it.</p></footer>
</body></html>
`;
}
