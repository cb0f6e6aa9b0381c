import { describe, expect, it } from 'vitest';
import { majorToUsd, MINIMUM_USD, toUsd } from './money.js';

describe('money both APIs price with', () => {
  it('the minimum is USD 100 (both APIs say so in their refusals)', () => {
    expect(MINIMUM_USD).toBe(100);
  });

  it.each([
    ['usd cents', { amount: 12_345, currency: 'usd', want: 123.45 }],
    ['eur at 1.08', { amount: 360_000, currency: 'eur', want: 3888 }],
    ['jpy has no minor units', { amount: 10_000, currency: 'jpy', want: 67 }],
    ['kwd has three minor units (at par)', { amount: 1_234, currency: 'kwd', want: 1.234 }],
    ['an unlisted currency counts at par', { amount: 10_000, currency: 'mxn', want: 100 }],
  ])('toUsd %s', (_name, { amount, currency, want }) => {
    expect(toUsd(amount, currency)).toBeCloseTo(want, 9);
  });

  it.each([
    ['usd', { amount: 123.45, currency: 'usd', want: 123.45 }],
    ['eur at 1.08', { amount: 3600, currency: 'eur', want: 3888 }],
    ['jpy major units are yen', { amount: 10_000, currency: 'jpy', want: 67 }],
    ['an unlisted currency counts at par', { amount: 100, currency: 'mxn', want: 100 }],
  ])('majorToUsd %s', (_name, { amount, currency, want }) => {
    expect(majorToUsd(amount, currency)).toBeCloseTo(want, 9);
  });
});
