// Baseline-cluster simulator parameters (a managed GPU cloud on consumer PCs,
// SaladCloud-like). Sources: ../shared/backends.md, which cites SaladCloud's
// docs and its 2025 reliability test.
import type { ParamTable } from '../common/params.ts';

export const BASELINE_PARAMS = {
  price_rtx4090: { value: 0.3, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 4090 high priority' },
  price_rtx4080: { value: 0.28, unit: 'USD/GPU-h', basis: '[S] SaladCloud price, RTX 4080' },
  price_rtx5090: { value: 0.47, unit: 'USD/GPU-h', basis: '[A] batch 0.25 [S] scaled by the 4090 high/batch ratio 0.30/0.16' },
  price_rtx3090: { value: 0.17, unit: 'USD/GPU-h', basis: '[A] batch 0.09 [S] scaled by the 4090 high/batch ratio' },
  price_rtx3060: { value: 0.064, unit: 'USD/GPU-h', basis: '[A] low 0.047 [S] scaled by the 4090 high/low ratio' },
  capacity_rtx4090: { value: 12, unit: 'instances', sweep: [4, 100], basis: '[A] replicas of the container group' },
  capacity_rtx4080: { value: 3, unit: 'instances', sweep: [1, 30], basis: '[A]' },
  capacity_rtx5090: { value: 4, unit: 'instances', sweep: [1, 40], basis: '[A]' },
  capacity_rtx3090: { value: 8, unit: 'instances', sweep: [2, 80], basis: '[A]' },
  capacity_rtx3060: { value: 4, unit: 'instances', sweep: [1, 40], basis: '[A]' },
  lifetime_shape: { value: 0.6, unit: '', sweep: [0.5, 0.7], basis: '[A] Weibull fit to [S] 2025 test: 1.1 interruptions/h per 100 instances' },
  lifetime_scale_h: { value: 90, unit: 'h', sweep: [60, 120], basis: '[A] Weibull fit to [S] 2025 test: mean uptime 35 h (interrupted)' },
  churn_multiplier: { value: 1, unit: '×', sweep: [1, 3], basis: 'fault injection: divides instance lifetimes' },
  cold_start_fixed_min: { value: 3, unit: 'min', basis: '[A] fit to [S] 2025 test (50% up by 10 min, 90% by 40)' },
  cold_start_median_min: { value: 7, unit: 'min', basis: '[A] lognormal median, fit to [S] 2025 test' },
  cold_start_sigma: { value: 1.2, unit: '', basis: '[A] lognormal σ, fit to [S] 2025 test' },
  cold_start_ref_gb: { value: 5.53, unit: 'GB', basis: '[S] image size in the 2025 test' },
  cold_start_size_exponent: { value: 0.8, unit: '', basis: '[A] median × (GB/5.53)^0.8' },
  throttled_share: { value: 0.1, unit: '', basis: '[A]; "> 90 % of nodes stable" [S]' },
  bandwidth_down_mbps: { value: 336, unit: 'Mbps median', basis: '[A] lognormal fit to [S] mean 463 Mbps' },
  bandwidth_sigma: { value: 0.8, unit: '', basis: '[A]' },
  priority_level: { value: 3, unit: '0 batch · 1 low · 2 medium · 3 high', sweep: [0, 3], basis: '[S] container group priority; prices above are high priority' },
  gateway_mode: { value: 0, unit: '1 = jobs are requests through the container gateway', sweep: [0, 1], basis: '[S] gateway requests must answer within gateway_timeout_s; job queues have no such limit' },
  gateway_timeout_s: { value: 100, unit: 's', basis: '[S] SaladCloud container gateway: 100 s per request' },
  max_attempts: { value: 4, unit: 'attempts', basis: '[S] job queues retry 3 times; an interruption counts as a failed attempt' },
  queue_timeout_h: { value: 24, unit: 'h', basis: '[A] a queued job waiting longer fails with no_capacity' },
} as const satisfies ParamTable;

export type BaselineParams = { [K in keyof typeof BASELINE_PARAMS]: number };

/**
 * Per priority level (0 batch … 3 high): price relative to high priority
 * ([S] RTX 4090: 0.16 / 0.22 / 0.26 / 0.30 USD/h), lifetime scale factor
 * ([A] × 0.3 / 0.5 / 0.7 / 1) and a guaranteed minimum run before preemption
 * ([S] 30 min for low and batch).
 */
export const PRIORITY_LEVELS = [
  { name: 'batch', priceFactor: 0.16 / 0.3, lifetimeFactor: 0.3, minRunMin: 30 },
  { name: 'low', priceFactor: 0.22 / 0.3, lifetimeFactor: 0.5, minRunMin: 30 },
  { name: 'medium', priceFactor: 0.26 / 0.3, lifetimeFactor: 0.7, minRunMin: 0 },
  { name: 'high', priceFactor: 1, lifetimeFactor: 1, minRunMin: 0 },
] as const;

export function priorityOf(level: number): (typeof PRIORITY_LEVELS)[number] {
  return PRIORITY_LEVELS[Math.max(0, Math.min(3, Math.round(level)))]!;
}

export const INTERRUPTION_REASONS = {
  'Node Offline': 0.7,
  'Reallocated by Platform': 0.2,
  'Requested Disk Space Exceeded': 0.05,
  Priority: 0.05,
} as const;
