// Turns one raw record into a Job or a TraceFormatError that names the file,
// the line and the field, with what was expected and what was found.
import type { z } from 'zod';
import { TraceFormatError } from '../common/errors.ts';
import { JobRecordSchema, type Job } from './job.ts';

function describeFound(raw: unknown, path: readonly PropertyKey[]): string {
  let v: unknown = raw;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  if (v === undefined) return 'missing';
  return JSON.stringify(v)?.slice(0, 80) ?? String(v);
}

export function issueToError(file: string, line: number, raw: unknown, error: z.ZodError): TraceFormatError {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(record)';
  const found = describeFound(raw, issue.path);
  return new TraceFormatError(file, line, field, `${issue.message} (found ${found})`);
}

// A UTF-16 surrogate not in a pair: JSON can carry one as an escape ("\ud800"),
// but it is not text; gRPC and ClickHouse would change or refuse it.
const LONE_SURROGATE = /[\ud800-\udfff]/u;

function loneSurrogate(file: string, line: number, field: string, value: string): TraceFormatError {
  const at = value.search(LONE_SURROGATE);
  const code = value.charCodeAt(at).toString(16);
  return new TraceFormatError(file, line, field, `not valid Unicode text: a lone surrogate \\u${code} at character ${at + 1} (found ${JSON.stringify(value.slice(0, 40).replace(/[\ud800-\udfff]/gu, '?'))})`);
}

/** Every string of a job must be well-formed Unicode, so what is sent and stored is what the trace says. */
function checkText(file: string, line: number, job: Job): void {
  for (const field of ['job_id', 'customer', 'profile', 'gpu_class', 'image'] as const) {
    if (LONE_SURROGATE.test(job[field])) throw loneSurrogate(file, line, field, job[field]);
  }
  for (const [k, v] of Object.entries(job.labels)) {
    if (LONE_SURROGATE.test(k)) throw loneSurrogate(file, line, 'labels', k);
    if (LONE_SURROGATE.test(v)) throw loneSurrogate(file, line, `labels.${k}`, v);
  }
}

export function validateRecord(file: string, line: number, raw: unknown): Job {
  const parsed = JobRecordSchema.safeParse(raw);
  if (!parsed.success) throw issueToError(file, line, raw, parsed.error);
  checkText(file, line, parsed.data);
  return parsed.data;
}
