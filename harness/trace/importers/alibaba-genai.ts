// Alibaba GenAI Stable-Diffusion serving trace (lora_request_trace.csv).
//
// Mapping (also in workloads/TRACE_FORMAT.md):
// - submitted_at ← gmt_create (UTC; the upstream offset-anonymized the dates).
// - customer ← groupId; profile "genai-studio"; task_type image_generation.
// - work_seconds ← exec_time_seconds (end-to-end execution on Alibaba's GPUs).
// - image ← "sd-checkpoint:<checkpoint_model_version_id>" with the 5.53 GB SDXL
//   image size of SaladCloud's 2025 reliability test [A]; LoRA count and steps go to labels.
// - output_bytes ← num_images_per_prompt (1 when empty) × 1.5 MB per PNG [A];
//   input_bytes ← prompt lengths, plus a 1.5 MB input image for IMG_2_IMG and INPAINTING.
// - Rows whose predict_status is FAILED, PENDING or PROCESSING are kept, with
//   labels.upstream_status, so a scenario can filter them; they are real demand.
// - Empty cells never fail the import: they take the defaults above.
import { parseTimestampUs, type JobRecordInput } from '../job.ts';
import { TraceFormatError } from '../../common/errors.ts';
import type { RawRecord } from '../records.ts';
import { csvRows, num, rowRecords, seq, text } from './csv-source.ts';

const IMAGE_BYTES = 1.5e6;
const SDXL_IMAGE_BYTES = 5.53e9;

export function importAlibabaGenai(file: string, opts: { customer?: string } = {}): AsyncGenerator<RawRecord> {
  let n = 0;
  return rowRecords(csvRows(file, ['gmt_create', 'predict_type', 'predict_status', 'exec_time_seconds', 'groupId']), (row): JobRecordInput => {
    const ts = parseTimestampUs(text(row, 'gmt_create'));
    if (ts === undefined) throw new TraceFormatError(file, row.line, 'gmt_create', `expected "YYYY-MM-DD HH:MM:SS", found "${text(row, 'gmt_create')}"`);
    const exec = num(row, 'exec_time_seconds', { min: 0 })!;
    const images = num(row, 'num_images_per_prompt', { optional: true, min: 0 }) ?? 1;
    const prompt = (num(row, 'prompt_length', { optional: true, min: 0 }) ?? 0) + (num(row, 'negative_prompt_length', { optional: true, min: 0 }) ?? 0);
    const kind = text(row, 'predict_type');
    const model = text(row, 'checkpoint_model_version_id') || 'unknown';
    const labels: Record<string, string> = { predict_type: kind, upstream_status: text(row, 'predict_status'), model, source: 'alibaba-genai-sd-2024' };
    const lora = text(row, 'num_lora');
    if (lora) labels.num_lora = String(Number(lora));
    const steps = num(row, 'num_inference_steps', { optional: true });
    if (steps !== undefined) labels.steps = String(steps);
    n++;
    return {
      job_id: seq('alibaba-sd', n),
      submitted_at: ts,
      customer: opts.customer ?? (text(row, 'groupId') || 'unknown'),
      profile: 'genai-studio',
      task_type: 'image_generation',
      gpu_class: 'rtx4090',
      gpu_count: 1,
      vram_gb: 24,
      image: `sd-checkpoint:${model}`,
      image_bytes: SDXL_IMAGE_BYTES,
      input_bytes: prompt + (kind === 'TXT_2_IMG' ? 0 : IMAGE_BYTES),
      output_bytes: Math.max(1, images) * IMAGE_BYTES,
      work_seconds: exec,
      price_paid_usd: 0,
      sensitivity: 'public',
      deadline_seconds: 0,
      labels,
    };
  });
}
