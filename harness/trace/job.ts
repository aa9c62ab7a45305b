// The canonical job: one line of a trace. Every reader and importer produces
// this shape and nothing else; the field names are stable (stored runs and
// user traces depend on them). See workloads/TRACE_FORMAT.md.
import { z } from 'zod';

export const TASK_TYPES = ['llm_inference', 'image_generation', 'transcription', 'rendering', 'training'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const SENSITIVITIES = ['public', 'internal', 'confidential'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

const ISO_TS = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses an ISO-8601 timestamp to epoch microseconds, keeping sub-millisecond
 * digits that `Date` would drop. A timestamp without a zone is UTC.
 */
export function parseTimestampUs(text: string): number | undefined {
  const m = ISO_TS.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  // Date.UTC rolls 2026-02-30 over to 2 March; a day the month does not have is refused instead.
  if (+mo! < 1 || +mo! > 12 || +d! < 1 || +d! > daysInMonth(+y!, +mo!) || +h! > 23 || +mi! > 59 || +s! > 60) return undefined;
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
  if (Number.isNaN(ms)) return undefined;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4))];
    if (oh > 23 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  const micros = Number((frac + '000000').slice(0, 6));
  return (ms - offsetMin * 60_000) * 1000 + micros;
}

/** Formats epoch microseconds as ISO-8601 UTC with six fractional digits. */
export function formatTimestampUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // ...THH:MM:SS.mmmZ
  const micros = String(Math.round(us - ms * 1000)).padStart(3, '0');
  return `${iso.slice(0, 23)}${micros}Z`;
}

const nonNegInt = z.number().int().nonnegative();
const timestamp = z.union([z.string(), z.number()]).transform((v, ctx) => {
  // Numbers are epoch microseconds; strings are ISO-8601.
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) {
      ctx.addIssue({ code: 'custom', message: `expected epoch microseconds as a non-negative integer, found ${v}` });
      return z.NEVER;
    }
    return v;
  }
  const us = parseTimestampUs(v);
  if (us === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected an ISO-8601 timestamp such as 2024-11-15T16:57:50.123456Z, found "${v}"` });
    return z.NEVER;
  }
  return us;
});

/** Schema of one trace record as written in JSONL/CSV (snake_case). */
export const JobRecordSchema = z.object({
  job_id: z.string().min(1).max(200),
  submitted_at: timestamp,
  customer: z.string().min(1).max(200),
  profile: z.string().min(1).max(100).default('default'),
  task_type: z.enum(TASK_TYPES),
  gpu_class: z.string().regex(/^[a-z0-9_.-]+$/, 'lower-case GPU class such as rtx4090').default('rtx4090'),
  gpu_count: z.number().int().min(1).max(64).default(1),
  vram_gb: z.number().positive().max(1024).default(24),
  image: z.string().min(1).max(500).default('mirrorbench/generic:latest'),
  image_bytes: nonNegInt.default(0),
  input_bytes: nonNegInt.default(0),
  output_bytes: nonNegInt.default(0),
  work_seconds: z.number().nonnegative().max(30 * 24 * 3600),
  price_paid_usd: z.number().nonnegative().default(0),
  sensitivity: z.enum(SENSITIVITIES).default('public'),
  deadline_seconds: z.number().nonnegative().default(0),
  labels: z.record(z.string(), z.string()).default({}),
  // LLM requests: token counts of the prompt and of the reply in production. Absent on
  // jobs that are not token-counted, so older traces read (and write) exactly as before.
  prompt_tokens: nonNegInt.max(10_000_000).optional(),
  output_tokens: nonNegInt.max(10_000_000).optional(),
}).strict();

export type JobRecordInput = z.input<typeof JobRecordSchema>;

/** A validated job; `submitted_at` is epoch microseconds. */
export type Job = z.output<typeof JobRecordSchema>;

/** Field names in their canonical order (CSV header, Arrow schema). */
export const JOB_FIELDS = Object.keys(JobRecordSchema.shape) as (keyof Job)[];

/** Whether a job carries token counts: an LLM request whose TTFT and TPOT can be measured. */
export function isTokenCounted(job: Pick<Job, 'prompt_tokens' | 'output_tokens'>): boolean {
  return job.prompt_tokens !== undefined || job.output_tokens !== undefined;
}
