import { describe, expect, it } from 'vitest';
import { addBusinessDays, fullMonthsBetween, parseDate, SECONDS_PER_DAY, startOfDay } from './calendar.js';

/** Unix seconds of an ISO instant; independent of parseDate so its tests do not lean on it. */
const at = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / 1000;

describe('parseDate', () => {
  it.each([
    ['an ordinary date', { given: '2024-11-01', want: 1730419200 }],
    ["the seeds' guarantee start", { given: '2024-01-25', want: 1706140800 }],
    ['a leap day in a leap year', { given: '2024-02-29', want: at('2024-02-29') }],
    ['a leap day in a 400-year leap year', { given: '2000-02-29', want: at('2000-02-29') }],
    ['the last day of the year', { given: '2024-12-31', want: at('2024-12-31') }],
    ['the epoch', { given: '1970-01-01', want: 0 }],
  ])('accepts %s', (_name, { given, want }) => {
    expect(parseDate(given)).toBe(want);
  });

  it.each([
    ['30 February', { given: '2024-02-30' }],
    ['a leap day in a common year', { given: '2023-02-29' }],
    ['a leap day in a century common year', { given: '1900-02-29' }],
    ['month 13', { given: '2024-13-01' }],
    ['month 00', { given: '2024-00-10' }],
    ['day 00', { given: '2024-01-00' }],
    ['31 April', { given: '2024-04-31' }],
    ['day 32', { given: '2024-01-32' }],
    ['unpadded month and day', { given: '2024-1-1' }],
    ['a two-digit year', { given: '24-01-01' }],
    ['a date-time', { given: '2024-01-01T00:00:00Z' }],
    ['a trailing newline', { given: '2024-01-01\n' }],
    ['surrounding spaces', { given: ' 2024-01-01 ' }],
    ['slashes', { given: '2024/01/01' }],
    ['day-month-year', { given: '01-01-2024' }],
    ['a Unix timestamp as text', { given: '1730419200' }],
    ['the empty string', { given: '' }],
  ])('rejects %s', (_name, { given }) => {
    expect(parseDate(given)).toBeUndefined();
  });
});

describe('startOfDay', () => {
  it.each([
    ['midnight stays put', { given: at('2024-01-25'), want: at('2024-01-25') }],
    ['noon goes back to midnight', { given: at('2024-01-25T12:00:00Z'), want: at('2024-01-25') }],
    ['one second before midnight', { given: at('2024-01-25T23:59:59Z'), want: at('2024-01-25') }],
  ])('%s', (_name, { given, want }) => {
    expect(startOfDay(given)).toBe(want);
  });
});

describe('fullMonthsBetween', () => {
  it.each([
    ['the same day', { from: '2024-11-01', to: '2024-11-01', want: 0 }],
    ['one day later', { from: '2024-11-01', to: '2024-11-02', want: 0 }],
    ['to before from', { from: '2025-11-01', to: '2024-11-01', want: 0 }],
    ['to a month before from', { from: '2024-11-01', to: '2024-10-01', want: 0 }],
    ['exactly one month', { from: '2024-11-01', to: '2024-12-01', want: 1 }],
    ['the day before the first anniversary', { from: '2024-11-01', to: '2024-11-30', want: 0 }],
    ['the day before a yearly anniversary', { from: '2024-11-01', to: '2025-10-31', want: 11 }],
    ['exactly twelve months (pricing docstring)', { from: '2024-11-01', to: '2025-11-01', want: 12 }],
    ["the seeds' example: due 2024-11-01, priced 2026-11-25", { from: '2024-11-01', to: '2026-11-25', want: 24 }],
    ['the day before 25 months', { from: '2024-11-01', to: '2026-11-30', want: 24 }],
    ['25 months', { from: '2024-11-01', to: '2026-12-01', want: 25 }],
    ['across a year end', { from: '2024-12-15', to: '2025-01-15', want: 1 }],
    ['across a year end, a day short', { from: '2024-12-15', to: '2025-01-14', want: 0 }],
    // End of month: a month is full once the same day-of-month is reached; a shorter month has no such day.
    ['31 January to 29 February (leap year)', { from: '2024-01-31', to: '2024-02-29', want: 0 }],
    ['31 January to 1 March', { from: '2024-01-31', to: '2024-03-01', want: 1 }],
    ['31 January to 31 March', { from: '2024-01-31', to: '2024-03-31', want: 2 }],
    ['30 April to 31 May', { from: '2024-04-30', to: '2024-05-31', want: 1 }],
    ['29 February to 28 February next year', { from: '2024-02-29', to: '2025-02-28', want: 11 }],
    ['29 February to 1 March next year', { from: '2024-02-29', to: '2025-03-01', want: 12 }],
    ['a time of day on the anniversary still counts', { from: '2024-11-01', to: '2025-11-01T15:30:00Z', want: 12 }],
  ])('%s', (_name, { from, to, want }) => {
    expect(fullMonthsBetween(at(from), at(to))).toBe(want);
  });
});

describe('addBusinessDays', () => {
  // 2024-01-22 is a Monday.
  it.each([
    ['Friday + 1 is Monday', { from: '2024-01-26', days: 1, want: '2024-01-29' }],
    ['Thursday + 1 is Friday', { from: '2024-01-25', days: 1, want: '2024-01-26' }],
    ['Thursday + 2 is Monday', { from: '2024-01-25', days: 2, want: '2024-01-29' }],
    ['Saturday + 1 is Monday', { from: '2024-01-27', days: 1, want: '2024-01-29' }],
    ['Sunday + 1 is Monday', { from: '2024-01-28', days: 1, want: '2024-01-29' }],
    ['Saturday + 5 is the next Friday', { from: '2024-01-27', days: 5, want: '2024-02-02' }],
    ['Monday + 5 is the next Monday (a week)', { from: '2024-01-22', days: 5, want: '2024-01-29' }],
    ['Wednesday + 5 is the next Wednesday (a week)', { from: '2024-01-24', days: 5, want: '2024-01-31' }],
    ['Friday + 5 is the next Friday (a week)', { from: '2024-01-26', days: 5, want: '2024-02-02' }],
    ['Monday + 10 is two weeks on', { from: '2024-01-22', days: 10, want: '2024-02-05' }],
    ['zero days is the same instant', { from: '2024-01-27', days: 0, want: '2024-01-27' }],
    ['across a month and leap day', { from: '2024-02-28', days: 2, want: '2024-03-01' }],
    ['keeps the time of day', { from: '2024-01-26T09:15:00Z', days: 1, want: '2024-01-29T09:15:00Z' }],
  ])('%s', (_name, { from, days, want }) => {
    expect(addBusinessDays(at(from), days)).toBe(at(want));
  });

  it('a result is never on a weekend', () => {
    for (let start = at('2024-01-22'); start < at('2024-01-29'); start += SECONDS_PER_DAY) {
      for (let days = 1; days <= 7; days++) {
        expect([0, 6]).not.toContain(new Date(addBusinessDays(start, days) * 1000).getUTCDay());
      }
    }
  });
});
