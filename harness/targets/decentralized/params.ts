// Decentralized-network simulator parameters (a permissionless marketplace,
// Golem-like). Sources: ../shared/backends.md, which cites yagna's REST specs,
// golem-js 3.x and Golem's docs; most counts are assumptions to sweep.
import type { ParamTable } from '../common/params.ts';

export const DECENTRALIZED_PARAMS = {
  providers: { value: 40, unit: 'providers online (target)', sweep: [5, 200], basis: '[A] no public count of GPU providers found; 20 matching offers per demand' },
  share_rtx4090: { value: 0.4, unit: 'of providers', basis: '[A]' },
  share_rtx3090: { value: 0.3, unit: 'of providers', basis: '[A]' },
  share_rtx5090: { value: 0.1, unit: 'of providers', basis: '[A]' },
  share_rtx4080: { value: 0.1, unit: 'of providers', basis: '[A]' },
  share_rtx3060: { value: 0.1, unit: 'of providers', basis: '[A]' },
  price_median_glm_h: { value: 0.5, unit: 'GLM/h', sweep: [0.1, 3], basis: '[A] lognormal around [S] doc examples (0.25 GLM/h offer, 2 GLM/h cap)' },
  price_sigma: { value: 0.7, unit: '', basis: '[A]' },
  session_shape: { value: 0.6, unit: '', basis: '[A] Weibull shape of the baseline fit; desktop-grid availability is heavy-tailed' },
  session_scale_h: { value: 30, unit: 'h', sweep: [10, 90], basis: '[A]' },
  churn_multiplier: { value: 1, unit: '×', sweep: [1, 3], basis: 'fault injection: divides session lengths' },
  arrival_gap_mean_min: { value: 20, unit: 'min', basis: '[A] a new provider takes a leaver\'s place after an exponential gap' },
  offers_min_s: { value: 1, unit: 's', basis: '[S] old logs: first proposals after 1–5 s' },
  offers_max_s: { value: 5, unit: 's', basis: '[S] old logs' },
  agreement_min_s: { value: 1, unit: 's', basis: '[A]' },
  agreement_max_s: { value: 5, unit: 's', basis: '[A]' },
  agreement_reject_p: { value: 0.05, unit: 'probability', sweep: [0, 0.2], basis: '[A]' },
  activity_min_s: { value: 2, unit: 's', basis: '[A]' },
  activity_max_s: { value: 25, unit: 's', basis: '[S] 25 s SDK timeout' },
  activity_fail_p: { value: 0.03, unit: 'probability', sweep: [0, 0.1], basis: '[A]' },
  cache_first_p: { value: 0.2, unit: 'probability', basis: '[A] image cached on first contact' },
  cache_repeat_p: { value: 0.9, unit: 'probability', basis: '[A] image cached when the provider ran it before' },
  bandwidth_down_mbps: { value: 336, unit: 'Mbps median', basis: '[A] residential, as the baseline fit' },
  bandwidth_sigma: { value: 0.8, unit: '', basis: '[A]' },
  network_transfer_factor: { value: 0.5, unit: '× bandwidth', sweep: [0.3, 1], basis: '[A] data through the network' },
  deploy_min_s: { value: 10, unit: 's', basis: '[A]' },
  deploy_max_s: { value: 60, unit: 's', basis: '[A]' },
  loss_detect_max_s: { value: 90, unit: 's', basis: '[S] NoActivity after 90 s idle' },
  max_attempts: { value: 4, unit: 'attempts', sweep: [1, 6], basis: '[S] the task executor retries 3 times on another provider' },
  debit_note_interval_s: { value: 120, unit: 's', basis: '[S] yagna debit notes about every 120 s' },
  settle_min_min: { value: 1, unit: 'min', basis: '[A] on-chain (Polygon) settlement delay' },
  settle_max_min: { value: 10, unit: 'min', basis: '[A]' },
  glm_usd_start: { value: 0.25, unit: 'USD/GLM', basis: '[A] starting rate of the price walk' },
  glm_usd_volatility_h: { value: 0.01, unit: 'σ of log per hour', sweep: [0, 0.05], basis: '[A] seeded random walk for what-ifs' },
  relay_outage_per_day: { value: 0.2, unit: 'outages/day', sweep: [0, 3], basis: '[A] relay/network outages: requestors cannot reach providers; no public rate found' },
  relay_outage_mean_min: { value: 15, unit: 'min', sweep: [5, 120], basis: '[A] exponential duration' },
  queue_timeout_h: { value: 24, unit: 'h', basis: '[A] no provider within this time: no_offers' },
} as const satisfies ParamTable;

export type DecentralizedParams = { [K in keyof typeof DECENTRALIZED_PARAMS]: number };

export const TERMINATION_REASONS = {
  Shutdown: 0.45,
  NoActivity: 0.2,
  RequestorUnreachable: 0.15,
  DebitNotesDeadline: 0.1,
  Expired: 0.1,
} as const;
