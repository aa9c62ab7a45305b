import { describe, expect, it } from 'vitest';
import { routingSection } from '../../../../reports/sections/routing.ts';
import { pairRows, sectionInput } from '../../../helpers/section-input.ts';

const WITH_POLICY = JSON.stringify({ scenario: { routing: [{ policy: 'cheapest-first', deadlineSeconds: 1e6 }] } });

describe('routing section', () => {
  it('evaluates the scenario policies next to both pure backends', () => {
    const { routing } = routingSection.build(pairRows(40, { ratio: 2 }), sectionInput({}, WITH_POLICY));
    expect(routing).toHaveLength(3);
    // Cheapest first with no binding deadline sends every job to the cheaper candidate.
    expect(routing[2]!.costPerJobUsd).toBeCloseTo(0.004, 12);
    expect(routing[0]!.costPerJobUsd).toBeCloseTo(0.01, 12);
  });

  it('is empty without policies or without a candidate', () => {
    expect(routingSection.build(pairRows(40), sectionInput()).routing).toEqual([]);
    expect(routingSection.build(pairRows(40), sectionInput({ candidate: null }, WITH_POLICY)).routing).toEqual([]);
  });
});
