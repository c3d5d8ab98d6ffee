/** Exact cost sums, as Python's Decimal adds the strings Active Graph records. */
import { describe, expect, it } from 'vitest';
import { DecimalSum } from '../../src/main/base/decimal-sum.js';

const sum = (...xs: unknown[]) => {
  const s = new DecimalSum();
  for (const x of xs) s.add(x);
  return s.toString();
};

describe('DecimalSum', () => {
  it('adds without binary rounding and keeps the most fraction digits of any term', () => {
    expect(sum('0.0009', '0.0021', '0.0009', '0.0021', '0.0009', '0.0021')).toBe('0.0090'); // Decimal('0.0090')
    expect(sum('0.1', '0.2')).toBe('0.3'); // not 0.30000000000000004
    expect(sum('0', '0', '0')).toBe('0');
    expect(sum('0.10', '0.2')).toBe('0.30');
    expect(sum('1E-7', '0.000001')).toBe('0.0000011');
    expect(sum('-0.5', '0.25')).toBe('-0.25');
    expect(sum()).toBe('0');
  });
  it('refuses what is not a decimal, leaving the sum as it was', () => {
    const s = new DecimalSum();
    expect(s.add('0.5')).toBe(true);
    for (const bad of [null, undefined, 'abc', '', '.', '1.2.3', {}, Number.NaN]) expect(s.add(bad)).toBe(false);
    expect(s.toString()).toBe('0.5');
  });
});
