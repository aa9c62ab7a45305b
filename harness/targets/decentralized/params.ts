// Decentralized-network simulator parameters (a permissionless marketplace,
// Golem-like). Sources: yagna's REST API specs, golem-js 3.x and Golem's
// documentation; most counts are assumptions to sweep.
import type { ParamTable } from '../common/params.ts';
import { LLM_PARAMS } from '../common/token-timing.ts';

export const DECENTRALIZED_PARAMS = {
  providers: { value: 40, unit: 'providers online (target)', sweep: [5, 200], basis: '[A] no public count of GPU providers found; 20 matching offers per demand' },
  share_rtx4090: { value: 0.4, unit: 'of providers', basis: '[A]' },
  share_rtx3090: { value: 0.3, unit: 'of providers', basis: '[A]' },
  share_rtx5090: { value: 0.1, unit: 'of providers', basis: '[A]' },
  share_rtx4080: { value: 0.1, unit: 'of providers', basis: '[A]' },
  share_rtx3060: { value: 0.1, unit: 'of providers', basis: '[A]' },
  price_glm_h_rtx4090: { value: 0.5, unit: 'GLM/h median', sweep: [0.1, 3], basis: '[A] lognormal around [S] doc examples (0.25 GLM/h offer, 2 GLM/h cap)' },
  price_glm_h_rtx5090: { value: 0.78, unit: 'GLM/h median', sweep: [0.15, 4], basis: '[A] the RTX 4090 median × SaladCloud\'s 5090/4090 price ratio (0.25/0.16 at batch [S])' },
  price_glm_h_rtx3090: { value: 0.28, unit: 'GLM/h median', sweep: [0.05, 2], basis: '[A] the RTX 4090 median × SaladCloud\'s 3090/4090 ratio (0.09/0.16 at batch [S])' },
  price_glm_h_rtx4080: { value: 0.47, unit: 'GLM/h median', sweep: [0.1, 3], basis: '[A] the RTX 4090 median × SaladCloud\'s 4080/4090 ratio (0.28/0.30 [S])' },
  price_glm_h_rtx3060: { value: 0.11, unit: 'GLM/h median', sweep: [0.02, 1], basis: '[A] the RTX 4090 median × SaladCloud\'s 3060/4090 ratio (0.047/0.22 at low [S])' },
  start_price_glm: { value: 0, unit: 'GLM per agreement', sweep: [0, 0.5], basis: '[S] GPU offers in practice charge only the per-second env price (backends.md)' },
  price_sigma: { value: 0.7, unit: '', basis: '[A]' },
  share_2gpu: { value: 0.08, unit: 'of providers', basis: '[A] machines offering two GPUs' },
  share_4gpu: { value: 0.02, unit: 'of providers', basis: '[A] machines offering four GPUs' },
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
  bandwidth_up_mbps: { value: 156, unit: 'Mbps median', basis: '[A] residential upload, as the baseline fit to [S] 286 Mbps mean' },
  bandwidth_up_sigma: { value: 1.1, unit: '', basis: '[A]' },
  throttled_share: { value: 0.1, unit: '', sweep: [0, 0.3], basis: '[A] as the baseline' },
  throttled_speed_min: { value: 0.7, unit: '× nominal', basis: '[A] as the baseline' },
  throttled_speed_max: { value: 0.9, unit: '× nominal', basis: '[A] as the baseline' },
  node_speed_sd: { value: 0.025, unit: '× nominal', basis: '[A] as the baseline; clamped at ± 4 sd' },
  network_transfer_factor: { value: 0.5, unit: '× bandwidth', sweep: [0.3, 1], basis: '[A] data through the network' },
  deploy_min_s: { value: 10, unit: 's', basis: '[A]' },
  deploy_max_s: { value: 60, unit: 's', basis: '[A]' },
  loss_detect_min_s: { value: 1, unit: 's', basis: '[A] a terminated agreement or a dead activity is seen within seconds at best' },
  loss_detect_max_s: { value: 90, unit: 's', basis: '[A] a node that vanishes is noticed when its activity state or debit notes stop; about the 90 s idle timeout of ya-provider [S]' },
  termination_notice_max_s: { value: 5, unit: 's', basis: '[A] an agreement the provider terminates reaches the requestor as a market event within seconds' },
  reason_shutdown_w: { value: 0.5, unit: 'weight', basis: '[A] provider-side ends: the provider agent shuts down and terminates its agreements (Shutdown)' },
  reason_node_offline_w: { value: 0.35, unit: 'weight', basis: '[A] the machine or its network goes away without a word (activity Unresponsive)' },
  reason_provider_ended_w: { value: 0.15, unit: 'weight', basis: '[A] the provider ends the agreement for its own reasons (owner takes the GPU back)' },
  max_attempts: { value: 4, unit: 'attempts', sweep: [1, 6], basis: '[S] the task executor retries 3 times on another provider' },
  debit_note_deadline_s: { value: 120, unit: 's', sweep: [30, 600], basis: '[A] a debit note not accepted within this long makes the provider terminate the agreement (DebitNotesDeadline); yagna sets a per-agreement acceptance deadline [S]' },
  debit_note_accept_s: { value: 2, unit: 's', sweep: [1, 600], basis: '[A] how long the simulated requestor takes to accept a debit note; above the deadline (a fault) every agreement ends with DebitNotesDeadline' },
  debit_note_pay_s: { value: 60, unit: 's', sweep: [10, 7200], basis: '[A] how long the simulated requestor takes to pay an accepted debit note (mid-agreement payment); above payment_timeout_s (a fault) every agreement ends with DebitNoteNotPaid' },
  payment_timeout_s: { value: 1800, unit: 's', sweep: [300, 7200], basis: '[A] an accepted debit note not paid within this long makes the provider terminate the agreement (DebitNoteNotPaid); yagna negotiates it as payment-timeout-sec [S]' },
  no_activity_timeout_s: { value: 90, unit: 's', sweep: [30, 600], basis: '[S] a provider terminates an agreement left without an activity this long (NoActivity; golem-js: default 90 s)' },
  requestor_unreachable_s: { value: 600, unit: 's', sweep: [60, 3600], basis: '[A] a provider that cannot reach its requestor this long (relay outage) terminates the agreement (RequestorUnreachable)' },
  result_return_timeout_s: { value: 300, unit: 's', sweep: [30, 3600], basis: '[A] results finished during an outage are fetched when it ends; the job fails (ResultsNotReturned) if that is later than this' },
  debit_note_interval_s: { value: 120, unit: 's', basis: '[S] yagna debit notes about every 120 s' },
  settle_min_min: { value: 1, unit: 'min', basis: '[A] on-chain (Polygon) settlement delay' },
  settle_max_min: { value: 10, unit: 'min', basis: '[A]' },
  glm_usd_start: { value: 0.25, unit: 'USD/GLM', basis: '[A] starting rate of the price walk' },
  glm_usd_volatility_h: { value: 0.01, unit: 'σ of log per hour', sweep: [0, 0.05], basis: '[A] seeded random walk for what-ifs' },
  relay_outage_per_day: { value: 0.2, unit: 'outages/day', sweep: [0, 3], basis: '[A] relay/network outages: requestors cannot reach providers; no public rate found' },
  relay_outage_mean_min: { value: 15, unit: 'min', sweep: [5, 120], basis: '[A] exponential duration' },
  queue_timeout_h: { value: 24, unit: 'h', basis: '[A] no provider within this time: no_offers' },
  max_negotiations: { value: 50, unit: 'negotiations', basis: '[A] a demand given up after this many agreements that did not start' },
  ...LLM_PARAMS,
  llm_rtt_ms: { value: 150, unit: 'ms', sweep: [40, 400], basis: '[A] an LLM request in and its first token back through the network: a residential provider ([S] 40–123 ms RTT, backends.md) behind a relay hop' },
} as const satisfies ParamTable;

export type DecentralizedParams = { [K in keyof typeof DECENTRALIZED_PARAMS]: number };

/** Provider-side reasons an agreement ends mid-job, with their weights ([A] parameters). */
export function providerEndReasons(p: DecentralizedParams): Record<string, number> {
  return { Shutdown: p.reason_shutdown_w, NodeOffline: p.reason_node_offline_w, ProviderTerminated: p.reason_provider_ended_w };
}

/** Median GLM/h of a GPU class's offers (per GPU); an unknown class is priced as an RTX 4090. */
export function classPrice(p: DecentralizedParams, gpuClass: string): number {
  return (p as Record<string, number>)[`price_glm_h_${gpuClass}`] ?? p.price_glm_h_rtx4090;
}
