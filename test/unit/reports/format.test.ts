import { describe, expect, it } from 'vitest';
import { deltaWithCi } from '../../../reports/format.ts';

describe('change with its interval', () => {
  it('prints n/a for a change the data cannot give, and "~" for a bound it cannot give, never "n/a [n/a, n/a]"', () => {
    expect(deltaWithCi(NaN, [NaN, NaN])).toBe('n/a');
    expect(deltaWithCi(1.2, [1.05, Infinity])).toBe('+20% [+5.0%, ~]');
    expect(deltaWithCi(0.5, [0.4, 0.6])).toBe('-50% [-60%, -40%]');
    expect(deltaWithCi(1, [1, 1])).toBe('no change');
  });
});
