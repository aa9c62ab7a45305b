// Where the money goes, per target and per workload: useful work, idle
// capacity (replicas and rentals held with nothing to do) and work lost to
// churn (billed time of attempts that did not complete), from the BILLED
// events a simulator attaches to each job; with each workload's deployment on
// each side as the target described it. Self-contained apart from its read
// (RunQueries.billed): its fields and its HTML, so the page layout can place
// it anywhere.
import { sig } from '../format.ts';
import { esc, table, type Cell } from '../page.ts';
import type { BilledRow, RunQueries } from '../queries.ts';
import type { MoneyRow } from '../summary-types.ts';
import { section } from './section.ts';

type Row = BilledRow;

/** One row of the table from its parts; the workload "all" sums a target's rows. */
function moneyRow(target: string, workload: string, deployment: string, r: Omit<Row, 'target' | 'workload'>): MoneyRow {
  const total = Number(r.useful_usd) + Number(r.idle_usd) + Number(r.lost_usd);
  const usefulH = Number(r.useful_h);
  return {
    target, workload, deployment,
    usefulUsd: Number(r.useful_usd), idleUsd: Number(r.idle_usd), lostUsd: Number(r.lost_usd), totalUsd: total,
    usefulGpuHours: usefulH, idleGpuHours: Number(r.idle_h), lostGpuHours: Number(r.lost_h),
    idleShare: total > 0 ? Number(r.idle_usd) / total : 0,
    costPerUsefulGpuHour: usefulH > 0 ? total / usefulH : null,
  };
}

export const moneySection = section({
  fills: ['money'],
  load: (q: RunQueries) => q.billed(),
  build(rows: Row[], input) {
    const money: MoneyRow[] = [];
    for (const target of [...new Set(rows.map((r) => r.target))]) {
      const own = rows.filter((r) => r.target === target);
      const params = input.config.targets.find((t) => t.name === target)?.parameters ?? {};
      // The deployment text without its basis note: the Assumptions list that.
      for (const r of own) money.push(moneyRow(target, r.workload, (params[`deployment.${r.workload}`] ?? '').replace(/\s*\[[SA]\].*$/, ''), r));
      const sum = (k: keyof Omit<Row, 'target' | 'workload'>) => own.reduce((s, r) => s + Number(r[k]), 0);
      money.push(moneyRow(target, 'all', '', { useful_usd: sum('useful_usd'), idle_usd: sum('idle_usd'), lost_usd: sum('lost_usd'), useful_h: sum('useful_h'), idle_h: sum('idle_h'), lost_h: sum('lost_h') }));
    }
    return { money };
  },
});

const usd = (v: number) => `$${sig(v)}`;

/** The section's HTML: a table per target, one row per workload and its deployment, then the target's total. */
export function renderMoney(money: readonly MoneyRow[] | undefined): string {
  if (!money?.length) return '';
  const head = ['workload', 'deployment', 'useful', 'idle', 'lost to churn', 'total', 'idle share', 'useful GPU-h', 'cost per useful GPU-h'];
  const tables = [...new Set(money.map((m) => m.target))].map((target) => {
    const rows: Cell[][] = money
      .filter((m) => m.target === target)
      .map((m) => [m.workload, { text: m.deployment, cls: 'text' }, usd(m.usefulUsd), usd(m.idleUsd), usd(m.lostUsd), usd(m.totalUsd), `${sig(m.idleShare * 100)}%`, sig(m.usefulGpuHours), m.costPerUsefulGpuHour === null ? '–' : usd(m.costPerUsefulGpuHour)]);
    return `<h3>${esc(target)}</h3>${table({ cls: 'money', population: `Every billed second of ${target}, by the workload of the job it was charged to (idle capacity goes to the next job to arrive; what runs on after the last arrival until the run ends, to the last job).`, head, rows })}`;
  });
  return `<section id="money"><h2>Where the money goes</h2><p class="note">What each deployment was billed (USD at the run's rates): useful work, idle capacity (running replicas and held rentals with no job) and work lost to churn (billed time of attempts that did not complete). Cost per useful GPU-hour = total ÷ GPU-hours of completed work.</p>${tables.join('')}</section>`;
}
