// Every registered section fills exactly the fields it declares, and together
// with the head and the warnings they fill every field of summary.json once.
import { describe, expect, it } from 'vitest';
import type { RunQueries } from '../../../../reports/queries.ts';
import { SECTIONS } from '../../../../reports/sections/index.ts';
import { pairRows, sectionInput } from '../../../helpers/section-input.ts';

/** A RunQueries that answers every read with no rows (the pairs with a few), without a store. */
const emptyQueries = new Proxy({}, {
  get: (_t, name) => (name === 'pairs' ? () => Promise.resolve(pairRows(5)) : name === 'origin' ? () => Promise.resolve(0) : () => Promise.resolve([])),
}) as RunQueries;

describe('section registry', () => {
  it('each section builds exactly its declared fields, and no two sections fill the same field', async () => {
    const seen = new Set<string>();
    const input = sectionInput({}, JSON.stringify({ scenario: { routing: [{ policy: 'failover', timeoutSeconds: 60 }] } }));
    for (const s of SECTIONS) {
      const load = s.load as (q: RunQueries, i: typeof input) => Promise<unknown>;
      const build = s.build as (d: unknown, i: typeof input) => object;
      const out = build(await load(emptyQueries, input), input);
      expect(Object.keys(out).sort()).toEqual([...s.fills].sort());
      for (const f of s.fills) {
        expect(seen.has(f), `${f} filled twice`).toBe(false);
        seen.add(f);
      }
    }
    const head = ['run', 'confidence', 'targets', 'baseline', 'candidate', 'warnings', 'bottomLine', 'thresholds', 'validity'];
    expect([...seen, ...head].sort()).toEqual(
      ['run', 'confidence', 'baseline', 'candidate', 'targets', 'byTaskType', 'breakdown', 'comparisons', 'errorClasses', 'churn', 'marketplace', 'prices', 'assumptions', 'warnings', 'bottomLine', 'thresholds', 'decision', 'cdf', 'overTime', 'inFlight', 'latencyShift', 'routing', 'survival', 'costSensitivity', 'timeline', 'sequentialStop', 'harnessQueue', 'validity', 'money', 'verdictRule', 'llm'].sort(),
    );
  });
});
