// Azure LLM inference trace 2023 (AzurePublicDataset, "code" service):
// TIMESTAMP, ContextTokens, GeneratedTokens. CRLF line ends, no trailing
// newline, timestamps with 7 fractional digits and no zone.
//
// Mapping (also in workloads/TRACE_FORMAT.md):
// - submitted_at ← TIMESTAMP read as UTC, kept to the microsecond (Date would drop µs).
// - work_seconds ← OVERHEAD + ContextTokens / PREFILL + GeneratedTokens / DECODE: a
//   token-throughput model of a 13B model served by vLLM on a 24 GB consumer GPU
//   at batch 1 [A: prefill 4,000 tok/s and decode 35 tok/s are assumptions in the
//   range reported for RTX 4090-class GPUs; the trace itself has no durations].
// - input_bytes/output_bytes ← tokens × 4 bytes (≈ 4 characters per token).
// - job_id azure-code-NNNNNN by line order; customer "azure-code" (the trace has no
//   tenants); profile "llm-code-completion"; task_type llm_inference; one rtx4090;
//   image a vLLM serving image of 8.5 GB [A].
import { parseTimestampUs, type Job } from '../job.ts';
import { TraceFormatError } from '../../common/errors.ts';
import { csvRows, num, seq, text } from './csv-source.ts';

export const AZURE_MODEL = {
  prefillTokensPerSecond: 4000,
  decodeTokensPerSecond: 35,
  overheadSeconds: 0.05,
  bytesPerToken: 4,
  image: 'vllm/vllm-openai:v0.6-13b',
  imageBytes: 8.5e9,
} as const;

export async function* importAzureLlm(file: string, opts: { customer?: string } = {}): AsyncGenerator<Job> {
  let n = 0;
  for await (const row of csvRows(file, ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'])) {
    const ts = parseTimestampUs(text(row, 'TIMESTAMP'));
    if (ts === undefined) throw new TraceFormatError(file, row.line, 'TIMESTAMP', `expected "YYYY-MM-DD HH:MM:SS.fffffff", found "${text(row, 'TIMESTAMP')}"`);
    const ctx = num(row, 'ContextTokens', { min: 0 })!;
    const gen = num(row, 'GeneratedTokens', { min: 0 })!;
    n++;
    yield {
      job_id: seq('azure-code', n),
      submitted_at: ts,
      customer: opts.customer ?? 'azure-code',
      profile: 'llm-code-completion',
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
      labels: { context_tokens: String(ctx), generated_tokens: String(gen), source: 'azure-llm-2023-code' },
    };
  }
}
