import { describe, expect, it } from 'vitest';
import { countryName, isCountry, isCurrency, isUsState } from './codes.js';
import { PARTNERS } from './partners.js';

describe('isCurrency', () => {
  it.each([
    ['EUR', { given: 'EUR', want: true }],
    ['eur (lowercase, as the seeds send it)', { given: 'eur', want: true }],
    ['Eur (mixed case)', { given: 'Eur', want: true }],
    ['USD', { given: 'USD', want: true }],
    ['gbp', { given: 'gbp', want: true }],
    ['jpy (no minor units)', { given: 'jpy', want: true }],
    ['kwd (three minor units)', { given: 'kwd', want: true }],
    ['ABC (not assigned)', { given: 'ABC', want: false }],
    ['XXX (ISO "no currency" is not money)', { given: 'XXX', want: false }],
    ['XTS (ISO testing code)', { given: 'XTS', want: false }],
    ['DEM (withdrawn Deutsche Mark)', { given: 'DEM', want: false }],
    ['EU (too short)', { given: 'EU', want: false }],
    ['EURO (too long)', { given: 'EURO', want: false }],
    ['the empty string', { given: '', want: false }],
    ['a padded code', { given: ' EUR', want: false }],
  ])('%s', (_name, { given, want }) => {
    expect(isCurrency(given)).toBe(want);
  });
});

describe('isCountry', () => {
  it.each([
    ['DE', { given: 'DE', want: true }],
    ['GB', { given: 'GB', want: true }],
    ['US', { given: 'US', want: true }],
    ['AU (a country without a partner is still a country)', { given: 'AU', want: true }],
    ['AQ (Antarctica is assigned)', { given: 'AQ', want: true }],
    ['AX (Åland Islands)', { given: 'AX', want: true }],
    ['SS (South Sudan, assigned 2011)', { given: 'SS', want: true }],
    ['UK is not (the ISO code is GB)', { given: 'UK', want: false }],
    ['EU is not (a union, not a country)', { given: 'EU', want: false }],
    ['UN is not', { given: 'UN', want: false }],
    ['ZZ is not (unknown region)', { given: 'ZZ', want: false }],
    ['XK is not (Kosovo is user-assigned)', { given: 'XK', want: false }],
    ['QO is not (outlying Oceania)', { given: 'QO', want: false }],
    ['AA is not (user-assigned)', { given: 'AA', want: false }],
    ['lowercase de is not (the contract pattern is ^[A-Z]{2}$)', { given: 'de', want: false }],
    ['mixed case De is not', { given: 'De', want: false }],
    ['DEU is not (alpha-3)', { given: 'DEU', want: false }],
    ['276 is not (numeric)', { given: '276', want: false }],
    ['the empty string is not', { given: '', want: false }],
  ])('%s', (_name, { given, want }) => {
    expect(isCountry(given)).toBe(want);
  });

  // ICU still names withdrawn ISO 3166-1 codes through its alias table (SU → Russia, YU → Serbia, …).
  it.each([
    ['SU (Soviet Union, withdrawn 1992)', { given: 'SU', want: false }],
    ['YU (Yugoslavia, withdrawn 2003)', { given: 'YU', want: false }],
    ['DD (East Germany, withdrawn 1990)', { given: 'DD', want: false }],
    ['CS (Serbia and Montenegro, withdrawn 2006)', { given: 'CS', want: false }],
    ['AN (Netherlands Antilles, withdrawn 2010)', { given: 'AN', want: false }],
    ['ZR (Zaire, withdrawn 1997)', { given: 'ZR', want: false }],
    ['FX (Metropolitan France, withdrawn 1997)', { given: 'FX', want: false }],
  ])('withdrawn code %s is not a country', (_name, { given, want }) => {
    expect(isCountry(given)).toBe(want);
  });

  it('every partner country is a country', () => {
    for (const p of PARTNERS) expect(isCountry(p.country), p.country).toBe(true);
  });
});

describe('isUsState', () => {
  it.each([
    ['CA', { given: 'CA', want: true }],
    ['NY', { given: 'NY', want: true }],
    ['WY', { given: 'WY', want: true }],
    ['DC (the federal district)', { given: 'DC', want: true }],
    ['PR (Puerto Rico)', { given: 'PR', want: true }],
    ['ca (lowercase)', { given: 'ca', want: false }],
    ['XX', { given: 'XX', want: false }],
    ['ZZ', { given: 'ZZ', want: false }],
    ['CAL (not a postal code)', { given: 'CAL', want: false }],
    ['US (the country, not a state)', { given: 'US', want: false }],
    ['ON (a Canadian province)', { given: 'ON', want: false }],
    ['the empty string', { given: '', want: false }],
  ])('%s', (_name, { given, want }) => {
    expect(isUsState(given)).toBe(want);
  });
});

describe('countryName', () => {
  it.each([
    ['DE', { given: 'DE', want: 'Germany' }],
    ['GB', { given: 'GB', want: 'United Kingdom' }],
    ['US', { given: 'US', want: 'United States' }],
    ['a code ICU has no name for is shown as itself', { given: 'QQ', want: 'QQ' }],
  ])('%s', (_name, { given, want }) => {
    expect(countryName(given)).toBe(want);
  });
});
