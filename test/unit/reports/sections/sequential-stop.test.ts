import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../../../reports/sections/run-config.ts';
import { render } from '../../../../reports/sequential-stop.ts';

const RECORD = {
  stopped: true,
  reason: 'every primary comparison decided at look 5 (10 blocks of 20 jobs): p90 higher, success within-margin',
  stoppedAt: '2026-12-02T14:27:23.318Z',
  releasedJobs: 384,
  plannedJobs: 1500,
  looks: 5,
  lookEvery: 75,
  blocks: 10,
  blockJobs: 20,
  alpha: 0.05,
  baseline: 'baseline',
  candidate: 'decentralized',
  metrics: [
    { name: 'p90', decision: 'higher', scale: 'log ratio', estimate: Math.log(2), interval: [Math.log(1.25), Math.log(3)] },
    // An open end is stored as null (JSON has no Infinity) and read back as NaN.
    { name: 'success', decision: 'within-margin', scale: 'difference', estimate: 0.001, interval: [-0.004, null] },
  ],
  gpuHours: { planned: 241.1, released: 72.8, savedPerTarget: 168.3, saved: 336.6, targets: 2 },
};

describe('sequential stop in the report', () => {
  it('reads the stored record back from config_json, and renders when, why and the GPU-hours saved', () => {
    const c = parseRunConfig(JSON.stringify({ sequentialStop: RECORD }));
    expect(c.sequentialStop).toMatchObject({ stopped: true, releasedJobs: 384, gpuHours: { saved: 336.6 } });
    expect(c.sequentialStop!.metrics[1]!.interval[1]).toBeNaN();
    const html = render({ sequentialStop: c.sequentialStop });
    expect(html).toContain('<section id="sequential-stop" data-stopped="true">');
    expect(html).toContain('after 384 of 1500 planned jobs (look 5)');
    expect(html).toContain('Saved <strong>336.6 GPU-hours</strong>');
    expect(html).toContain('<td>100.0 %</td><td>[25.0 %, 200.0 %]</td><td data-decision="higher">higher</td>');
    expect(html).toContain('<td>0.10 pt</td><td>[-0.40 pt, +∞]</td>');
  });

  it('a run without it (or with a record that does not parse) has no section', () => {
    expect(parseRunConfig('{}').sequentialStop).toBeNull();
    expect(parseRunConfig(JSON.stringify({ sequentialStop: { stopped: 'yes' } })).sequentialStop).toBeNull();
    expect(render({ sequentialStop: null })).toBe('');
    const ran = render({ sequentialStop: { ...parseRunConfig(JSON.stringify({ sequentialStop: { ...RECORD, stopped: false, reason: 'ran to the end: p90 undecided' } })).sequentialStop! } });
    expect(ran).toContain('Did not stop early: ran to the end: p90 undecided.');
  });
});
