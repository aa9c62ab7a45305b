// Canonical trace job → the proto Job message sent to every target.
import type { Job as ProtoJob } from '../proto/types.ts';
import type { Job } from '../trace/job.ts';

export function toProtoJob(job: Job): ProtoJob {
  return {
    jobId: job.job_id,
    submittedAtUs: job.submitted_at,
    customer: job.customer,
    profile: job.profile,
    taskType: job.task_type,
    gpuClass: job.gpu_class,
    gpuCount: job.gpu_count,
    vramGb: job.vram_gb,
    image: job.image,
    imageBytes: job.image_bytes,
    inputBytes: job.input_bytes,
    outputBytes: job.output_bytes,
    workSeconds: job.work_seconds,
    pricePaidUsd: job.price_paid_usd,
    sensitivity: job.sensitivity,
    deadlineSeconds: job.deadline_seconds,
    labels: job.labels,
    promptTokens: job.prompt_tokens ?? 0,
    outputTokens: job.output_tokens ?? 0,
  };
}
