// Baseline-cluster simulator parameters (a managed GPU cloud on consumer PCs,
// SaladCloud-like). Sources: SaladCloud's documentation and price list, and its
// 2025 reliability test (100 high-priority instances for 7 days).
import type { ParamTable } from '../common/params.ts';
import { LLM_PARAMS } from '../common/token-timing.ts';

export const BASELINE_PARAMS = {
  price_rtx4090_high: { value: 0.3, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 4090 high priority' },
  price_rtx4090_medium: { value: 0.26, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 4090 medium priority' },
  price_rtx4090_low: { value: 0.22, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 4090 low priority' },
  price_rtx4090_batch: { value: 0.16, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 4090 batch priority' },
  price_rtx5090_high: { value: 0.4688, unit: 'USD/GPU-h', basis: '[A] batch 0.25 [S] × the RTX 4090 high/batch ratio 0.3/0.16' },
  price_rtx5090_medium: { value: 0.4062, unit: 'USD/GPU-h', basis: '[A] batch 0.25 [S] × the RTX 4090 medium/batch ratio 0.26/0.16' },
  price_rtx5090_low: { value: 0.3438, unit: 'USD/GPU-h', basis: '[A] batch 0.25 [S] × the RTX 4090 low/batch ratio 0.22/0.16' },
  price_rtx5090_batch: { value: 0.25, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 5090 batch priority' },
  price_rtx3090_high: { value: 0.1687, unit: 'USD/GPU-h', basis: '[A] batch 0.09 [S] × the RTX 4090 high/batch ratio 0.3/0.16' },
  price_rtx3090_medium: { value: 0.1462, unit: 'USD/GPU-h', basis: '[A] batch 0.09 [S] × the RTX 4090 medium/batch ratio 0.26/0.16' },
  price_rtx3090_low: { value: 0.1237, unit: 'USD/GPU-h', basis: '[A] batch 0.09 [S] × the RTX 4090 low/batch ratio 0.22/0.16' },
  price_rtx3090_batch: { value: 0.09, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 3090 batch priority' },
  price_rtx3060_high: { value: 0.0641, unit: 'USD/GPU-h', basis: '[A] low 0.047 [S] × the RTX 4090 high/low ratio 0.3/0.22' },
  price_rtx3060_medium: { value: 0.0555, unit: 'USD/GPU-h', basis: '[A] low 0.047 [S] × the RTX 4090 medium/low ratio 0.26/0.22' },
  price_rtx3060_low: { value: 0.047, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 3060 low priority' },
  price_rtx3060_batch: { value: 0.0342, unit: 'USD/GPU-h', basis: '[A] low 0.047 [S] × the RTX 4090 batch/low ratio 0.16/0.22' },
  price_rtx4080_high: { value: 0.28, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 4080 (priority not stated; taken as high)' },
  price_rtx4080_medium: { value: 0.2427, unit: 'USD/GPU-h', basis: '[A] high 0.28 [S] × the RTX 4090 medium/high ratio 0.26/0.3' },
  price_rtx4080_low: { value: 0.2053, unit: 'USD/GPU-h', basis: '[A] high 0.28 [S] × the RTX 4090 low/high ratio 0.22/0.3' },
  price_rtx4080_batch: { value: 0.1493, unit: 'USD/GPU-h', basis: '[A] high 0.28 [S] × the RTX 4090 batch/high ratio 0.16/0.3' },
  lifetime_shape: { value: 0.6, unit: '', sweep: [0.5, 0.7], basis: '[A] Weibull fit to [S] 2025 test: 1.1 interruptions/h per 100 instances' },
  lifetime_scale_h: { value: 90, unit: 'h', sweep: [60, 120], basis: '[A] Weibull fit to [S] 2025 test: mean uptime 35 h (interrupted)' },
  churn_multiplier: { value: 1, unit: '×', sweep: [1, 3], basis: 'fault injection: divides instance lifetimes' },
  cold_start_fixed_min: { value: 3, unit: 'min', basis: '[A] fit to [S] 2025 test (50% up by 10 min, 90% by 40)' },
  cold_start_median_min: { value: 7, unit: 'min', basis: '[A] lognormal median, fit to [S] 2025 test' },
  cold_start_sigma: { value: 1.2, unit: '', basis: '[A] lognormal σ, fit to [S] 2025 test' },
  cold_start_ref_gb: { value: 5.53, unit: 'GB', basis: '[S] image size in the 2025 test' },
  cold_start_size_exponent: { value: 0.8, unit: '', basis: '[A] median × (GB/5.53)^0.8' },
  cold_start_allocating_share: { value: 0.4, unit: 'of the fixed part', sweep: [0.2, 0.8], basis: '[A] split of the fixed start-up between allocating a node and creating the container (the rest); only the stream\'s lifecycle reasons use it' },
  throttled_share: { value: 0.1, unit: '', sweep: [0, 0.3], basis: '[A]; "> 90 % of nodes stable" [S]' },
  throttled_speed_min: { value: 0.7, unit: '× nominal', basis: '[A] backends.md: throttled nodes run at 0.7–0.9' },
  throttled_speed_max: { value: 0.9, unit: '× nominal', basis: '[A] backends.md' },
  node_speed_sd: { value: 0.025, unit: '× nominal', basis: '[A] backends.md "90 % nominal ± 5 %" read as ± 2 sd; clamped at ± 4 sd' },
  bandwidth_down_mbps: { value: 336, unit: 'Mbps median', basis: '[A] lognormal fit to [S] mean 463 Mbps' },
  bandwidth_sigma: { value: 0.8, unit: '', basis: '[A]' },
  bandwidth_up_mbps: { value: 156, unit: 'Mbps median', basis: '[A] lognormal fit to [S] mean 286 Mbps upload to US-East' },
  bandwidth_up_sigma: { value: 1.1, unit: '', basis: '[A] fit to [S] mean 286 Mbps' },
  lifetime_factor_medium: { value: 0.7, unit: '× lifetime scale', sweep: [0.5, 1], basis: '[A] medium priority is preempted by high' },
  lifetime_factor_low: { value: 0.5, unit: '× lifetime scale', sweep: [0.3, 1], basis: '[A]' },
  lifetime_factor_batch: { value: 0.3, unit: '× lifetime scale', sweep: [0.1, 1], basis: '[A]' },
  preempt_min_run_min: { value: 30, unit: 'min', basis: '[S] low and batch priority run at least 30 min before preemption' },
  preempted_share_low_batch: { value: 0.6, unit: 'of interruptions', sweep: [0.2, 0.9], basis: '[A] below high priority most interruptions are preemptions (reason Priority)' },
  reason_node_offline_w: { value: 0.7, unit: 'weight', basis: '[A] share of interruptions with cause Node Offline ([S] cause names from SaladCloud system events)' },
  reason_reallocated_w: { value: 0.2, unit: 'weight', basis: '[A] Reallocated by Platform' },
  reason_disk_w: { value: 0.05, unit: 'weight', basis: '[A] Requested Disk Space Exceeded' },
  reason_priority_w: { value: 0.05, unit: 'weight', basis: '[A] Priority (preempted by a higher priority) at high priority' },
  priority_level: { value: 4, unit: '0 batch · 1 low · 2 medium · 3 high · 4 each workload its own', sweep: [0, 4], basis: '[S] container group priority (high|medium|low|batch), each at its published price; 0–3 force one priority on every group' },
  gateway_mode: { value: 0, unit: '1 = jobs are requests through the container gateway', sweep: [0, 1], basis: '[S] gateway requests must answer within gateway_timeout_s; job queues have no such limit' },
  gateway_timeout_s: { value: 100, unit: 's', basis: '[S] SaladCloud container gateway: 100 s per request' },
  max_attempts: { value: 4, unit: 'attempts', basis: '[S] job queues retry 3 times; an interruption counts as a failed attempt' },
  queue_timeout_h: { value: 24, unit: 'h', basis: '[A] a queued job waiting longer fails with no_capacity' },
  ...LLM_PARAMS,
  llm_rtt_ms: { value: 40, unit: 'ms', sweep: [10, 150], basis: '[S] RTT to US-East (backends.md): an LLM request in and its first token back' },
} as const satisfies ParamTable;

export type BaselineParams = { [K in keyof typeof BASELINE_PARAMS]: number };

export const PRIORITIES = ['batch', 'low', 'medium', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A container group priority's lifetime factor and guaranteed run before preemption, from the parameters. */
export function priorityTerms(p: BaselineParams, priority: Priority): { lifetimeFactor: number; minRunMin: number } {
  switch (priority) {
    case 'high':
      return { lifetimeFactor: 1, minRunMin: 0 };
    case 'medium':
      return { lifetimeFactor: p.lifetime_factor_medium, minRunMin: 0 };
    case 'low':
      return { lifetimeFactor: p.lifetime_factor_low, minRunMin: p.preempt_min_run_min };
    case 'batch':
      return { lifetimeFactor: p.lifetime_factor_batch, minRunMin: p.preempt_min_run_min };
  }
}

export function priorityOf(level: number): Priority {
  return PRIORITIES[Math.max(0, Math.min(3, Math.round(level)))]!;
}

/** Interruption causes ([S] names from SaladCloud system events) with their weights ([A] parameters). */
export function interruptionReasons(p: BaselineParams): Record<string, number> {
  return {
    'Node Offline': p.reason_node_offline_w,
    'Reallocated by Platform': p.reason_reallocated_w,
    'Requested Disk Space Exceeded': p.reason_disk_w,
    Priority: p.reason_priority_w,
  };
}

/** USD per GPU-hour of a GPU class at a priority; unknown classes are priced as an RTX 4090. */
export function priceOf(p: BaselineParams, gpuClass: string, priority: Priority): number {
  const v = (p as Record<string, number>)[`price_${gpuClass}_${priority}`];
  return v ?? p[`price_rtx4090_${priority}`];
}
