// When and why a run with sequential stopping (scenario `sequential:`) stopped
// sending, and the GPU-hours that saved against the full selection. The
// record is what harness/run/sequential-stop.ts stored in the run's
// config_json at its last look; the report only reads it back (the section
// is reports/sections/sequential-stop.ts).
import { z } from 'zod';
import { esc } from './page.ts';

const num = z.number().nullable().transform((v) => v ?? NaN);

export const StopRecordSchema = z.object({
  stopped: z.boolean(),
  reason: z.string(),
  stoppedAt: z.string().nullable(),
  releasedJobs: z.number(),
  plannedJobs: z.number(),
  looks: z.number(),
  lookEvery: z.number(),
  blocks: z.number(),
  blockJobs: z.number(),
  alpha: z.number(),
  baseline: z.string(),
  candidate: z.string(),
  metrics: z.array(z.object({ name: z.string(), decision: z.string(), scale: z.enum(['log ratio', 'difference']), estimate: num, interval: z.tuple([num, num]) })),
  gpuHours: z.object({ planned: z.number(), released: z.number(), savedPerTarget: z.number(), saved: z.number(), targets: z.number() }),
});

export type SequentialStopSummary = z.output<typeof StopRecordSchema>;

/** The stored record, or null for a run without sequential stopping (or one whose record does not parse). */
export function parseStopRecord(raw: unknown): SequentialStopSummary | null {
  const r = StopRecordSchema.safeParse(raw);
  return r.success ? r.data : null;
}

/** A change on the metric's scale in words; an open end (±∞, stored as null, read as NaN) takes the side it bounds. */
const change = (m: SequentialStopSummary['metrics'][number], v: number, side: 1 | -1 = 1) =>
  !Number.isFinite(v) ? ((Number.isNaN(v) ? side : Math.sign(v)) > 0 ? '+∞' : '−∞') : m.scale === 'log ratio' ? `${((Math.exp(v) - 1) * 100).toFixed(1)} %` : `${(v * 100).toFixed(2)} pt`;

/** The HTML block (a <section id="sequential-stop">), empty for runs without sequential stopping. */
export function render(s: { sequentialStop?: SequentialStopSummary | null }): string {
  const r = s.sequentialStop;
  if (!r) return '';
  const rows = r.metrics
    .map((m) => `<tr><td>${esc(m.name)}</td><td>${esc(change(m, m.estimate))}</td><td>[${esc(change(m, m.interval[0], -1))}, ${esc(change(m, m.interval[1], 1))}]</td><td data-decision="${esc(m.decision)}">${esc(m.decision)}</td></tr>`)
    .join('');
  const head = r.stopped
    ? `Stopped sending at ${esc(r.stoppedAt)} after ${esc(r.releasedJobs)} of ${esc(r.plannedJobs)} planned jobs (look ${esc(r.looks)}): ${esc(r.reason)}. Jobs already sent finished. Saved <strong>${esc(r.gpuHours.saved.toFixed(1))} GPU-hours</strong> of recorded work (${esc(r.gpuHours.savedPerTarget.toFixed(1))} on each of ${esc(r.gpuHours.targets)} targets; ${esc(r.gpuHours.planned.toFixed(1))} planned per target).`
    : `Did not stop early: ${esc(r.reason)}.`;
  return `<section id="sequential-stop" data-stopped="${r.stopped}"><h2>Sequential stopping</h2><p>${head}</p>
<table><thead><tr><th>${esc(r.candidate)} vs ${esc(r.baseline)}</th><th>estimate</th><th>confidence sequence</th><th>decision</th></tr></thead><tbody>${rows}</tbody></table>
<p class="note">Looked every ${esc(r.lookEvery)} paired outcomes; blocks of ${esc(r.blockJobs)} consecutive jobs; always-valid confidence sequences (normal mixture, unknown variance) at α = ${esc(r.alpha)} shared by the primary comparisons, so looking as the data arrive does not raise the false-positive rate. "within-margin": the whole sequence lies within the practical margin.</p></section>`;
}
