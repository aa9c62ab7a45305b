// Azure LLM inference traces (AzurePublicDataset): TIMESTAMP, ContextTokens,
// GeneratedTokens, one file per service — "code" (code completion) and "conv"
// (conversation), as AzureLLMInferenceTrace_<service>.csv (2023, one hour) and
// AzureLLMInferenceTrace_<service>_1week.csv (2024, one week). CRLF line ends,
// no trailing newline, timestamps with 7 fractional digits and no zone (2023).
//
// Mapping (also in workloads/TRACE_FORMAT.md):
// - The service comes from the file name, or from the `service` option (which
//   wins; a file whose name does not say is refused without it). It sets
//   customer "azure-<service>" (the trace has no tenants), the profile
//   (llm-code-completion, llm-conversation, else llm-<service>), the job id
//   prefix azure-<service>-NNNNNN (in file order) and labels.source
//   azure-llm-<year>-<service>; labels.service_from says which of the two chose it.
// - submitted_at ← TIMESTAMP read as UTC, kept to the microsecond (Date would drop µs).
// - work_seconds ← OVERHEAD + ContextTokens / PREFILL + GeneratedTokens / DECODE: a
//   token-throughput model of a 13B model served by vLLM on a 24 GB consumer GPU
//   at batch 1 [A: prefill 4,000 tok/s and decode 35 tok/s are assumptions in the
//   range reported for RTX 4090-class GPUs; the trace itself has no durations].
// - prompt_tokens ← ContextTokens, output_tokens ← GeneratedTokens (also kept in labels).
// - input_bytes/output_bytes ← tokens × 4 bytes (≈ 4 characters per token).
// - task_type llm_inference; one rtx4090; image a vLLM serving image of 8.5 GB [A].
import { basename } from 'node:path';
import { parseTimestampUs, type JobRecordInput } from '../job.ts';
import { TraceFormatError } from '../../common/errors.ts';
import type { RawRecord } from '../records.ts';
import { csvRows, num, rowRecords, seq, text } from './csv-source.ts';

export const AZURE_MODEL = {
  prefillTokensPerSecond: 4000,
  decodeTokensPerSecond: 35,
  overheadSeconds: 0.05,
  bytesPerToken: 4,
  image: 'vllm/vllm-openai:v0.6-13b',
  imageBytes: 8.5e9,
} as const;

const PROFILES: Record<string, string> = { code: 'llm-code-completion', conv: 'llm-conversation' };
const FILE_NAME = /^AzureLLMInferenceTrace_([a-z0-9]+)(_1week)?\.csv(\.gz)?$/i;

export interface AzureService {
  service: string;
  /** azure-llm-<year>-<service>, or azure-llm-<service> when the file name gives no release. */
  source: string;
  from: 'file name' | 'option';
}

/** Which Azure service a file holds: from the `service` option, else its name; refused when neither says. */
export function azureServiceOf(file: string, service?: string): AzureService {
  const m = FILE_NAME.exec(basename(file));
  const year = m ? (m[2] ? '2024' : '2023') : undefined;
  if (service !== undefined) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(service)) throw TraceFormatError.ofFile(file, `--service "${service}": expected a lower-case service name such as code or conv`);
    return { service, source: year ? `azure-llm-${year}-${service}` : `azure-llm-${service}`, from: 'option' };
  }
  if (!m) {
    throw TraceFormatError.ofFile(
      file,
      'cannot tell which Azure service the trace is from its name (expected AzureLLMInferenceTrace_<service>.csv or _<service>_1week.csv); give it with --service code|conv',
    );
  }
  const named = m[1]!.toLowerCase();
  return { service: named, source: `azure-llm-${year}-${named}`, from: 'file name' };
}

export function importAzureLlm(file: string, opts: { customer?: string; service?: string } = {}): AsyncGenerator<RawRecord> {
  const svc = azureServiceOf(file, opts.service);
  const profile = PROFILES[svc.service] ?? `llm-${svc.service}`;
  let n = 0;
  return rowRecords(csvRows(file, ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens']), (row): JobRecordInput => {
    const ts = parseTimestampUs(text(row, 'TIMESTAMP'));
    if (ts === undefined) throw new TraceFormatError(file, row.line, 'TIMESTAMP', `expected "YYYY-MM-DD HH:MM:SS.fffffff", found "${text(row, 'TIMESTAMP')}"`);
    const ctx = num(row, 'ContextTokens', { min: 0 })!;
    const gen = num(row, 'GeneratedTokens', { min: 0 })!;
    n++;
    return {
      job_id: seq(`azure-${svc.service}`, n),
      submitted_at: ts,
      customer: opts.customer ?? `azure-${svc.service}`,
      profile,
      task_type: 'llm_inference',
      gpu_class: 'rtx4090',
      gpu_count: 1,
      vram_gb: 24,
      image: AZURE_MODEL.image,
      image_bytes: AZURE_MODEL.imageBytes,
      input_bytes: ctx * AZURE_MODEL.bytesPerToken,
      output_bytes: gen * AZURE_MODEL.bytesPerToken,
      work_seconds: AZURE_MODEL.overheadSeconds + ctx / AZURE_MODEL.prefillTokensPerSecond + gen / AZURE_MODEL.decodeTokensPerSecond,
      price_paid_usd: 0,
      sensitivity: 'internal',
      deadline_seconds: 0,
      prompt_tokens: ctx,
      output_tokens: gen,
      // The token labels stay for scenarios written before the fields existed.
      labels: { context_tokens: String(ctx), generated_tokens: String(gen), source: svc.source, service: svc.service, service_from: svc.from },
    };
  });
}
