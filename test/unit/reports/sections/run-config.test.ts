import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../../harness/common/defaults.ts';
import { parseRunConfig } from '../../../../reports/sections/run-config.ts';

describe('run config (parsed once per report)', () => {
  it('reads the report options, routing, skipped lines and target parameters the harness stored', () => {
    const c = parseRunConfig(JSON.stringify({
      scenario: { name: 's', report: { confidence: 0.9, minSamples: 5, decision: { maxP99Ratio: 2 }, margin: 0.1 }, routing: [{ policy: 'failover', timeoutSeconds: 60 }], thresholds: ['p99_ratio < 2'], slo: { ttftMs: 2000 } },
      skippedLines: 3,
      noiseFloor: { target: 'decentralized', twin: 'decentralized~aa' },
      replicate: { set: 's-1', index: 2, count: 3 },
      targets: [{ name: 'decentralized', address: 'x:1', info: { parameters: { providers: '40 [A]' } } }, { name: 'down', info: null, unavailable: 'no answer at x:2 within 10000 ms' }],
    }));
    expect(c).toEqual({
      report: { confidence: 0.9, bootstrapResamples: DEFAULTS.report.bootstrapResamples, minSamples: 5, decision: { ...DEFAULTS.report.decision, maxP99Ratio: 2 }, margin: 0.1 },
      routing: [{ policy: 'failover', timeoutSeconds: 60 }],
      thresholds: ['p99_ratio < 2'],
      skippedLines: 3,
      targets: [{ name: 'decentralized', parameters: { providers: '40 [A]' } }, { name: 'down', parameters: {} }],
      sequentialStop: null,
      unavailable: [{ name: 'down', reason: 'no answer at x:2 within 10000 ms' }],
      slo: { ttftMs: 2000 },
      noiseFloor: { target: 'decentralized', twin: 'decentralized~aa' },
      replicate: { set: 's-1', index: 2, count: 3 },
    });
  });

  it('falls back to the defaults, field by field, for what is missing or malformed', () => {
    const defaults = { report: { confidence: DEFAULTS.report.confidence, bootstrapResamples: DEFAULTS.report.bootstrapResamples, minSamples: DEFAULTS.report.minSamples, decision: DEFAULTS.report.decision, margin: DEFAULTS.report.margin }, routing: [], thresholds: [], skippedLines: 0, targets: [], sequentialStop: null, unavailable: [], slo: null, noiseFloor: null, replicate: null };
    expect(parseRunConfig('')).toEqual(defaults);
    expect(parseRunConfig('{not json')).toEqual(defaults);
    expect(parseRunConfig(JSON.stringify({ source: 'k6 import' }))).toEqual(defaults);
    const c = parseRunConfig(JSON.stringify({ scenario: { report: 'fast', routing: 'all' }, skippedLines: '2', targets: [{ name: 't', info: { parameters: { a: 1 } } }] }));
    expect(c).toEqual({ ...defaults, skippedLines: 2, targets: [{ name: 't', parameters: {} }] });
  });
});
