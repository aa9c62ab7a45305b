// Alibaba heterogeneous GPU cluster task trace 2023 ("openb" pod list).
//
// Mapping (also in workloads/TRACE_FORMAT.md):
// - job_id ← name; submitted_at ← anchor (default 2023-01-01T00:00:00Z, the trace
//   gives seconds from an undisclosed start) + creation_time.
// - work_seconds ← deletion_time − scheduled_time (creation_time when never
//   scheduled), capped at 7 days. Rows still Running at the trace's end are
//   censored: labels.censored = "true".
// - task_type from qos: LS (latency-sensitive) → llm_inference, BE (best-effort)
//   → training, Burstable/Guaranteed → rendering. The trace mixes training and
//   inference without saying which; qos is its best proxy.
// - gpu_count ← num_gpu; the fractional share gpu_milli goes to labels.
//   CPU-only pods (num_gpu 0) are dropped unless keepCpuOnly (then 1 GPU, labels.cpu_only).
// - customer "alibaba-openb" (no tenant column); profile "ml-platform"; gpu_class
//   rtx4090 as the reference class (the trace names no GPU per task).
import type { JobRecordInput, TaskType } from '../job.ts';
import type { RawRecord } from '../records.ts';
import { csvRows, num, rowRecords, text } from './csv-source.ts';

export const OPENB_ANCHOR_US = Date.UTC(2023, 0, 1) * 1000;
const MAX_WORK_SECONDS = 7 * 24 * 3600;

export function taskTypeOfQos(qos: string): TaskType {
  if (qos === 'LS') return 'llm_inference';
  if (qos === 'BE') return 'training';
  return 'rendering';
}

export function importAlibabaGpu(file: string, opts: { customer?: string; anchorUs?: number; keepCpuOnly?: boolean } = {}): AsyncGenerator<RawRecord> {
  const anchor = opts.anchorUs ?? OPENB_ANCHOR_US;
  return rowRecords(csvRows(file, ['name', 'num_gpu', 'gpu_milli', 'qos', 'pod_phase', 'creation_time', 'deletion_time', 'scheduled_time']), (row): JobRecordInput | undefined => {
    const gpus = num(row, 'num_gpu', { min: 0 })!;
    if (gpus === 0 && !opts.keepCpuOnly) return undefined;
    const created = num(row, 'creation_time', { min: 0 })!;
    const deleted = num(row, 'deletion_time', { min: 0 })!;
    const scheduled = num(row, 'scheduled_time', { optional: true, min: 0 });
    const phase = text(row, 'pod_phase');
    const raw = Math.max(0, deleted - (scheduled ?? created));
    const labels: Record<string, string> = { qos: text(row, 'qos'), pod_phase: phase, gpu_milli: text(row, 'gpu_milli'), source: 'alibaba-gpu-2023' };
    if (phase === 'Running' || raw > MAX_WORK_SECONDS) labels.censored = 'true';
    if (gpus === 0) labels.cpu_only = 'true';
    return {
      job_id: text(row, 'name'),
      submitted_at: anchor + Math.round(created * 1e6),
      customer: opts.customer ?? 'alibaba-openb',
      profile: 'ml-platform',
      task_type: taskTypeOfQos(text(row, 'qos')),
      gpu_class: 'rtx4090',
      gpu_count: Math.max(1, gpus),
      vram_gb: 24,
      image: 'openb/task:unknown',
      image_bytes: 6e9,
      input_bytes: 0,
      output_bytes: 0,
      work_seconds: Math.min(raw, MAX_WORK_SECONDS),
      price_paid_usd: 0,
      sensitivity: 'internal',
      deadline_seconds: 0,
      labels,
    };
  });
}
