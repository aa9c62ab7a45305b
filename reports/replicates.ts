// The report of a replicate set: the runs `<set>.r1` … `<set>.rk` of one
// scenario (harness/run/replicates.ts), each with its own report, combined on
// one page: reports/out/<set>/index.html and summary.json (kind
// "replicate-set"), rebuilt from the store by `mirrorbench report --run <set>`.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReportError } from '../harness/common/errors.ts';
import { replicateRuns } from '../harness/store/runs.ts';
import type { Store } from '../harness/store/store.ts';
import { delta, pValue } from './format.ts';
import { esc, pageEnd, pageHead } from './page.ts';
import { combinedBlock, renderCombinedSection, type CombinedBlock } from './sections/replicates.ts';
import { summarize, type ReportSummary } from './summary.ts';

export interface ReplicateSetSummary {
  kind: 'replicate-set';
  set: string;
  scenario: string;
  baseline: string;
  candidate: string | null;
  replicates: { runId: string; index: number; status: string; valid: boolean; thresholdsPassed: boolean; report: string }[];
  /** Replicates the scenario asked for (fewer are stored when the set was stopped). */
  planned: number;
  combined: CombinedBlock;
}

export interface BuildReplicateReportResult {
  dir: string;
  htmlPath: string;
  summaryPath: string;
  summary: ReplicateSetSummary;
}

/** The set's summary from its replicates' own summaries (pure). */
export function replicateSetSummary(set: string, runs: readonly { runId: string; index: number; count: number; summary: ReportSummary }[]): ReplicateSetSummary {
  const first = runs[0]!.summary;
  return {
    kind: 'replicate-set', set, scenario: first.run.scenario, baseline: first.baseline, candidate: first.candidate,
    planned: Math.max(...runs.map((r) => r.count)),
    replicates: runs.map((r) => ({
      runId: r.runId, index: r.index, status: r.summary.run.status, valid: r.summary.validity.valid, thresholdsPassed: r.summary.thresholds.passed, report: `../${r.runId}/index.html`,
    })),
    combined: combinedBlock(runs.map((r) => ({ runId: r.runId, valid: r.summary.validity.valid, comparisons: r.summary.comparisons })), first.confidence, first.verdictRule.margin),
  };
}

export function renderReplicateHtml(s: ReplicateSetSummary): string {
  const runs = s.replicates
    .map((r) => `<li><a href="${esc(r.report)}">${esc(r.runId)}</a>: ${esc(r.status)}${r.valid ? '' : ' — <strong>INCONCLUSIVE</strong>, not combined'}${r.thresholdsPassed ? '' : ' — a threshold failed'}</li>`)
    .join('');
  const missing = s.replicates.length < s.planned ? `<div class="warnings caution" data-severity="caution"><strong>${s.replicates.length} of ${s.planned} replicates stored</strong>: the set was stopped; the combination is over those present.</div>` : '';
  return `${pageHead(`mirrorbench replicates — ${s.scenario} — ${s.set}`)}
<body><h1>Replicates of ${esc(s.scenario)}: ${esc(s.set)}</h1>
<p>${esc(s.candidate ?? '')} vs ${esc(s.baseline)}: the same trace replayed ${s.planned} times. One run is one draw of a provider population; the combined line counts the spread between draws, which no single run's interval can.</p>
${missing}<ul class="replicates">${runs}</ul>
${renderCombinedSection(s.combined, (runId) => `../${runId}/index.html`)}
${pageEnd}`;
}

/** The terminal table after a replicated run: per metric the combined line and each replicate's estimate. */
export function formatReplicateTable(s: ReplicateSetSummary): string {
  const ci = `${Math.round(s.combined.confidence * 100)}%`;
  const fmt = (scale: string, v: number | null) => (v === null ? 'n/a' : scale === 'ratio' ? delta(v) : `${(v * 100).toFixed(2)} pts`);
  const head = ['metric', `combined [${ci} CI]`, 'Holm p', 'verdict', ...s.replicates.map((_, i) => `r${i + 1}`)];
  const rows = s.combined.lines.map((l) => [
    l.metric, `${fmt(l.scale, l.estimate)} [${fmt(l.scale, l.interval[0])}, ${fmt(l.scale, l.interval[1])}]`, l.pHolm === null ? '–' : pValue(l.pHolm), l.verdict,
    ...l.replicates.map((r) => `${fmt(l.scale, r.estimate)} ${r.verdict}${r.combined ? '' : ' (not combined)'}`),
  ]);
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((r) => (r[i] ?? '').length)));
  const text = [head, ...rows].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
  const invalid = s.replicates.filter((r) => !r.valid).map((r) => r.runId);
  return [
    `${s.candidate} vs ${s.baseline}, ${s.replicates.length} replicates combined (random effects, HKSJ interval; ~ = no significant difference):`,
    text,
    ...(invalid.length ? [`not combined (INCONCLUSIVE): ${invalid.join(', ')}`] : []),
    ...s.combined.lines.flatMap((l) => (l.note ? [`caution: ${l.note}`] : [])),
  ].join('\n');
}

/**
 * Builds the set's page from the store. `known`: replicates' summaries already
 * built (the run that just finished), so they are not summarized twice.
 */
export async function buildReplicateReport(store: Store, set: string, opts: { outDir: string; known?: ReadonlyMap<string, ReportSummary>; signal?: AbortSignal }): Promise<BuildReplicateReportResult> {
  const links = await replicateRuns(store, set);
  if (!links.length) throw new ReportError(`no replicate runs of "${set}" in ${store.description} (a replicate's stored configuration names its set)`);
  const runs = [];
  for (const l of links) runs.push({ ...l, summary: opts.known?.get(l.runId) ?? (await summarize(store, l.runId, { signal: opts.signal })) });
  const summary = replicateSetSummary(set, runs);
  const dir = join(opts.outDir, set);
  await mkdir(dir, { recursive: true });
  const htmlPath = join(dir, 'index.html');
  const summaryPath = join(dir, 'summary.json');
  await writeFile(htmlPath, renderReplicateHtml(summary));
  await writeFile(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  return { dir, htmlPath, summaryPath, summary };
}
