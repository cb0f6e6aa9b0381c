// The fixtures' guard on the target's clock: a contract-valid created that no date can hold fails
// naming its rule (created-time), where it used to crash every setup with `Invalid time value`.
import { describe, expect, it } from 'vitest';
import { isoDate, targetClock } from './fixtures.js';

describe('targetClock', () => {
  it('takes a Unix time', () => {
    expect(targetClock(1_706_140_800)).toBe(1_706_140_800);
    expect(isoDate(targetClock(1_706_140_800))).toBe('2024-01-25');
  });

  it.each([4.3e18, 9_007_199_254_740_991, 8.64e12 + 1])('fails naming created-time for %s', (created) => {
    expect(() => targetClock(created)).toThrow(/^\[created-time\] the new policy's created/);
    // What the guard saves the setup from:
    expect(() => isoDate(created)).toThrow(/Invalid time value/);
  });
});
