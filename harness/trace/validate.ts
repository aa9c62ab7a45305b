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

export function validateRecord(file: string, line: number, raw: unknown): Job {
  const parsed = JobRecordSchema.safeParse(raw);
  if (!parsed.success) throw issueToError(file, line, raw, parsed.error);
  return parsed.data;
}
