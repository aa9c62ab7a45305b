// Hybrid routing policies evaluated on a mirror run. Every job ran on both
// backends, so what a policy would have done with each job can be read off the
// two recorded outcomes — a counterfactual, with one stated assumption: a job
// sent to the fallback later behaves as it did when sent at its arrival (its
// latency is shifted by the wait, its outcome and cost are unchanged).
// Pure: per-job outcome pairs in, per-policy figures out.
import { censoredQuantiles } from '../harness/stats/quantile.ts';

export type RoutingPolicy =
  /** Everything to the permissionless network first; to the baseline if not done within the timeout (the network's cost until then is paid too). */
  | { policy: 'failover'; timeoutSeconds: number }
  /** The cheaper backend for this job if it finishes within the deadline, else the other. */
  | { policy: 'cheapest-first'; deadlineSeconds: number };

export interface PairedOutcome {
  /** Baseline and candidate (network) outcome of the same job; latency in trace seconds, cost in USD. */
  base: { ok: boolean; latencyS: number; costUsd: number };
  net: { ok: boolean; latencyS: number; costUsd: number };
}

export interface PolicyOutcome {
  ok: boolean;
  latencyS: number;
  costUsd: number;
  /** Which backend produced the outcome. */
  servedBy: 'baseline' | 'network';
}

export function routeJob(p: RoutingPolicy, o: PairedOutcome): PolicyOutcome {
  if (p.policy === 'failover') {
    if (o.net.ok && o.net.latencyS <= p.timeoutSeconds) return { ok: true, latencyS: o.net.latencyS, costUsd: o.net.costUsd, servedBy: 'network' };
    // The network's attempt is abandoned at the timeout (or when it failed, if sooner); it bills up to then.
    const waited = o.net.ok ? p.timeoutSeconds : Math.min(o.net.latencyS, p.timeoutSeconds);
    const share = o.net.latencyS > 0 ? Math.min(1, waited / o.net.latencyS) : 1;
    return { ok: o.base.ok, latencyS: waited + o.base.latencyS, costUsd: o.net.costUsd * share + o.base.costUsd, servedBy: 'baseline' };
  }
  const cheapNet = o.net.costUsd <= o.base.costUsd;
  const first = cheapNet ? o.net : o.base;
  if (first.ok && first.latencyS <= p.deadlineSeconds) return { ok: true, latencyS: first.latencyS, costUsd: first.costUsd, servedBy: cheapNet ? 'network' : 'baseline' };
  const other = cheapNet ? o.base : o.net;
  const waited = first.ok ? p.deadlineSeconds : Math.min(first.latencyS, p.deadlineSeconds);
  const share = first.latencyS > 0 ? Math.min(1, waited / first.latencyS) : 1;
  return { ok: other.ok, latencyS: waited + other.latencyS, costUsd: first.costUsd * share + other.costUsd, servedBy: cheapNet ? 'baseline' : 'network' };
}

export interface PolicySummary {
  name: string;
  jobs: number;
  successRate: number;
  /** Quantiles of time to success over every job, failures censored at their failure time (Kaplan–Meier Harrell–Davis); NaN once more than 1 − q of the jobs failed. */
  p50: number;
  p99: number;
  costPerJobUsd: number;
  servedByNetwork: number;
}


export function policyName(p: RoutingPolicy): string {
  return p.policy === 'failover' ? `failover after ${p.timeoutSeconds} s` : `cheapest first, deadline ${p.deadlineSeconds} s`;
}

/** The pure backends and each policy over the same jobs, for one table. */
export function summarizePolicies(pairs: readonly PairedOutcome[], policies: readonly RoutingPolicy[]): PolicySummary[] {
  const summarize = (name: string, outs: PolicyOutcome[]): PolicySummary => {
    // Failed jobs are censored at their failure time, not dropped: a policy that fails its slow jobs must not look fast.
    const [p50, p99] = censoredQuantiles(outs.map((o) => o.latencyS), outs.map((o) => o.ok), [0.5, 0.99]);
    return {
      name,
      jobs: outs.length,
      successRate: outs.length ? outs.filter((o) => o.ok).length / outs.length : 0,
      p50: p50!,
      p99: p99!,
      costPerJobUsd: outs.length ? outs.reduce((s, o) => s + o.costUsd, 0) / outs.length : 0,
      servedByNetwork: outs.length ? outs.filter((o) => o.servedBy === 'network').length / outs.length : 0,
    };
  };
  return [
    summarize('baseline only', pairs.map((o) => ({ ...o.base, servedBy: 'baseline' as const }))),
    summarize('network only', pairs.map((o) => ({ ...o.net, servedBy: 'network' as const }))),
    ...policies.map((p) => summarize(policyName(p), pairs.map((o) => routeJob(p, o)))),
  ];
}
