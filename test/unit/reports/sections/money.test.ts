// "Where the money goes" alone, on hand-made rows: per workload and per
// target, the split adds up, cost per useful GPU-hour is total ÷ useful
// GPU-hours, each workload shows its deployment, and the page says it.
import { describe, expect, it } from 'vitest';
import { moneySection, renderMoney } from '../../../../reports/sections/money.ts';
import { sectionInput } from '../../../helpers/section-input.ts';

const config = JSON.stringify({
  targets: [
    { name: 'baseline', info: { parameters: { 'deployment.llm': 'container group of rtx4090 × 1 GPU, high priority at 0.3000 USD/GPU-h, 1 replicas fixed; jobs: taskTypes llm_inference [S] declared in the scenario' } } },
    { name: 'decentralized', info: { parameters: { 'deployment.llm': 'pool of 1–4 warm rtx4090 rentals, idle ones released after 10 min at a 0.5 GLM/h median offer per GPU; jobs: taskTypes llm_inference [A] default' } } },
  ],
});

describe('where the money goes', () => {
  it('splits each workload and target into useful, idle and lost, with cost per useful GPU-hour and the deployment', () => {
    // Two 10-s jobs ten hours apart on one always-on replica at $0.30/h: almost all of the $3 is idle.
    const rows = [
      { target: 'baseline', workload: 'llm', useful_usd: (20 / 3600) * 0.3, idle_usd: 10 * 0.3 - (20 / 3600) * 0.3, lost_usd: 0, useful_h: 20 / 3600, idle_h: 10 - 20 / 3600, lost_h: 0 },
      { target: 'baseline', workload: 'render', useful_usd: 1, idle_usd: 0, lost_usd: 0.5, useful_h: 6, idle_h: 0, lost_h: 3 },
      { target: 'decentralized', workload: 'llm', useful_usd: 0.002, idle_usd: 1.2, lost_usd: 0.1, useful_h: 0.01, idle_h: 20, lost_h: 1 },
    ];
    const { money } = moneySection.build(rows, sectionInput({}, config));
    const llm = money.find((m) => m.target === 'baseline' && m.workload === 'llm')!;
    expect(llm.totalUsd).toBeCloseTo(3, 9);
    expect(llm.idleShare).toBeGreaterThan(0.99);
    expect(llm.costPerUsefulGpuHour! / 0.3).toBeGreaterThan(1000);
    expect(llm.deployment).toBe('container group of rtx4090 × 1 GPU, high priority at 0.3000 USD/GPU-h, 1 replicas fixed; jobs: taskTypes llm_inference');
    const all = money.find((m) => m.target === 'baseline' && m.workload === 'all')!;
    expect(all.totalUsd).toBeCloseTo(4.5, 9);
    expect(all.lostUsd).toBeCloseTo(0.5, 9);
    expect(all.costPerUsefulGpuHour).toBeCloseTo(4.5 / (6 + 20 / 3600), 9);
    expect(money.find((m) => m.target === 'decentralized' && m.workload === 'llm')!.deployment).toMatch(/^pool of 1–4 warm/);
    const html = renderMoney(money);
    expect(html).toContain('Where the money goes');
    expect(html).toContain('99.9%');
    expect(html).toContain('$540');
    expect(html).toContain('pool of 1–4 warm rtx4090 rentals');
    expect(renderMoney([])).toBe('');
  });
});
