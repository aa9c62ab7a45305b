// Customer profiles of the synthetic workload: what each kind of tenant runs.
// Every number says where it comes from: [S] a public source, [T] one of the
// public traces (Azure LLM, Alibaba GenAI, Alibaba GPU; workloads/TRACE_FORMAT.md), [A] an
// assumption to sweep.
import type { Sensitivity, TaskType } from '../harness/trace/job.ts';

export interface Lognormal {
  /** Median in seconds. */
  median: number;
  /** σ of the log. */
  sigma: number;
  min: number;
  max: number;
}

export interface Profile {
  name: string;
  /** Share of all jobs. */
  share: number;
  task: TaskType;
  work: Lognormal;
  gpuMix: Record<string, number>;
  gpuCount: Record<number, number>;
  vramGb: number;
  image: string;
  imageBytes: number;
  inputBytes: [number, number];
  outputBytes: [number, number];
  sensitivity: Record<Sensitivity, number>;
  /** Deadline as a multiple of work_seconds (0 = none). */
  deadlineFactor: number;
  /** What the customer pays per GPU-hour on the baseline today. */
  listPriceUsdPerGpuHour: number;
}

export const PROFILES: readonly Profile[] = [
  {
    name: 'startup-inference',
    share: 0.45, // [A] inference dominates request counts in serving clusters
    task: 'llm_inference',
    // [T] Azure code trace through the token model of importers/azure-llm.ts: p50 0.9 s, p90 2.4 s, p99 7.7 s → σ ≈ 0.75
    work: { median: 0.9, sigma: 0.75, min: 0.05, max: 120 },
    gpuMix: { rtx4090: 0.6, rtx3090: 0.25, rtx5090: 0.15 }, // [A]
    gpuCount: { 1: 1 },
    vramGb: 24,
    image: 'vllm/vllm-openai:v0.6-13b',
    imageBytes: 8.5e9, // [A] vLLM image with a 13B model baked in
    inputBytes: [400, 30_000], // [T] 3…7,437 context tokens × 4 bytes
    outputBytes: [24, 8_000], // [T] 6…1,899 generated tokens × 4 bytes
    sensitivity: { public: 0.6, internal: 0.35, confidential: 0.05 }, // [A]
    deadlineFactor: 0,
    listPriceUsdPerGpuHour: 0.3, // [S] RTX 4090 high priority, SaladCloud's price list
  },
  {
    name: 'genai-studio',
    share: 0.3, // [A]
    task: 'image_generation',
    // [T] Alibaba GenAI SD trace: exec_time median 23 s, p90 53 s → σ = ln(53/23)/1.2816 ≈ 0.65
    work: { median: 23, sigma: 0.65, min: 1, max: 600 },
    gpuMix: { rtx4090: 0.5, rtx3090: 0.35, rtx4080: 0.15 }, // [A]
    gpuCount: { 1: 1 },
    vramGb: 24,
    image: 'sdxl/comfyui:1.0',
    imageBytes: 5.53e9, // [S] the 5.53 GB image of the SaladCloud 2025 reliability test
    inputBytes: [100, 1_500_000], // prompts, or an input image for img2img [T]
    outputBytes: [1_500_000, 12_000_000], // 1–8 images × 1.5 MB [T] num_images_per_prompt
    sensitivity: { public: 0.8, internal: 0.18, confidential: 0.02 }, // [A]
    deadlineFactor: 0,
    listPriceUsdPerGpuHour: 0.3,
  },
  {
    name: 'media-transcription',
    share: 0.12, // [A]
    task: 'transcription',
    // [A] Whisper large-v3 on a consumer GPU transcribes ~1 h of audio in ~1–3 min; files of 5–60 min → median 90 s
    work: { median: 90, sigma: 0.8, min: 5, max: 1800 },
    gpuMix: { rtx3090: 0.4, rtx4090: 0.3, rtx3060: 0.3 }, // [S] Salad runs Whisper/Parakeet on 3060–4090 class GPUs
    gpuCount: { 1: 1 },
    vramGb: 12,
    image: 'whisper/large-v3:latest',
    imageBytes: 4.2e9, // [A]
    inputBytes: [5_000_000, 120_000_000], // [A] compressed audio
    outputBytes: [10_000, 400_000], // [A] transcripts
    sensitivity: { public: 0.5, internal: 0.4, confidential: 0.1 }, // [A]
    deadlineFactor: 0,
    listPriceUsdPerGpuHour: 0.16, // [S] RTX 4090 batch priority
  },
  {
    name: 'render-farm',
    share: 0.08, // [A]
    task: 'rendering',
    // [A] Blender Cycles frames on a 4090: 5–60 min per frame batch
    work: { median: 1200, sigma: 0.7, min: 60, max: 4 * 3600 },
    gpuMix: { rtx4090: 0.7, rtx5090: 0.3 }, // [A]
    gpuCount: { 1: 0.8, 2: 0.2 },
    vramGb: 24,
    image: 'blender/cycles:4.2',
    imageBytes: 3.1e9, // [A]
    inputBytes: [50_000_000, 2_000_000_000], // [A] scene assets
    outputBytes: [20_000_000, 500_000_000], // [A] EXR frames
    sensitivity: { public: 0.3, internal: 0.6, confidential: 0.1 }, // [A]
    deadlineFactor: 6,
    listPriceUsdPerGpuHour: 0.22, // [S] RTX 4090 low priority
  },
  {
    name: 'ml-research',
    share: 0.05, // [A]
    task: 'training',
    // [T] openb trace BE tasks: median lifetime ≈ 9 min but a heavy tail to days; fine-tuning runs here: median 1.5 h, capped at 6 h
    work: { median: 5400, sigma: 0.6, min: 600, max: 6 * 3600 },
    gpuMix: { rtx4090: 0.5, rtx5090: 0.3, rtx3090: 0.2 }, // [A]
    gpuCount: { 1: 0.7, 2: 0.2, 4: 0.1 }, // [T] openb: 1 GPU for 99 % of GPU tasks; more for training here [A]
    vramGb: 24,
    image: 'pytorch/pytorch:2.4-cuda12',
    imageBytes: 9.8e9, // [A]
    inputBytes: [100_000_000, 20_000_000_000], // [A] datasets
    outputBytes: [50_000_000, 2_000_000_000], // [A] checkpoints
    sensitivity: { public: 0.2, internal: 0.6, confidential: 0.2 }, // [A]
    deadlineFactor: 0,
    listPriceUsdPerGpuHour: 0.16, // [S] RTX 4090 batch priority
  },
];
