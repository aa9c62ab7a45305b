// Importers of public trace formats into the canonical job shape; mappings in
// each module's header and in workloads/TRACE_FORMAT.md.
import type { Job } from '../job.ts';
import { importAlibabaGenai } from './alibaba-genai.ts';
import { importAlibabaGpu } from './alibaba-gpu.ts';
import { importAzureLlm } from './azure-llm.ts';

export type ImportKind = 'azure-llm' | 'alibaba-genai' | 'alibaba-gpu';

export interface ImportOptions {
  customer?: string;
  anchorUs?: number;
  keepCpuOnly?: boolean;
}

export function importTrace(kind: ImportKind, path: string, opts: ImportOptions = {}): AsyncGenerator<Job> {
  switch (kind) {
    case 'azure-llm':
      return importAzureLlm(path, opts);
    case 'alibaba-genai':
      return importAlibabaGenai(path, opts);
    case 'alibaba-gpu':
      return importAlibabaGpu(path, opts);
  }
}
