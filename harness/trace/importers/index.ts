// Importers of public trace formats into the canonical job shape; mappings in
// each module's header and in workloads/TRACE_FORMAT.md. Their records go
// through the same checks as a canonical trace's (records.ts).
import type { Job } from '../job.ts';
import { checkRecords, type CheckOptions, type RawRecord, type TraceRecord } from '../records.ts';
import { idAtLineOf, jobsOf } from '../readers/index.ts';
import { importAlibabaGenai } from './alibaba-genai.ts';
import { importAlibabaGpu } from './alibaba-gpu.ts';
import { importAzureLlm } from './azure-llm.ts';

export const IMPORT_KINDS = ['azure-llm', 'alibaba-genai', 'alibaba-gpu'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportOptions extends Omit<CheckOptions, 'idAtLine'> {
  customer?: string;
  /** azure-llm: the service the file holds (code, conv, …) when its name does not say, or to override it. */
  service?: string;
  anchorUs?: number;
  keepCpuOnly?: boolean;
}

function rawRecords(kind: ImportKind, path: string, opts: ImportOptions): AsyncGenerator<RawRecord> {
  switch (kind) {
    case 'azure-llm':
      return importAzureLlm(path, opts);
    case 'alibaba-genai':
      return importAlibabaGenai(path, opts);
    case 'alibaba-gpu':
      return importAlibabaGpu(path, opts);
  }
}

export function importTraceRecords(kind: ImportKind, path: string, opts: ImportOptions = {}): AsyncGenerator<TraceRecord> {
  return checkRecords(path, rawRecords(kind, path, opts), { ...opts, idAtLine: idAtLineOf(() => rawRecords(kind, path, opts)) });
}

export function importTrace(kind: ImportKind, path: string, opts: ImportOptions = {}): AsyncGenerator<Job> {
  return jobsOf(importTraceRecords(kind, path, opts));
}
