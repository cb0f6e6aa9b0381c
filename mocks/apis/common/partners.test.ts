import { describe, expect, it } from 'vitest';
import { PARTNERS, partnerFor } from './partners.js';

describe('partners', () => {
  it.each([
    ['DE', { given: 'DE', want: { id: 'cp_partner_de_01', name: 'CollectMax GmbH', region: 'europe' } }],
    [
      'US',
      { given: 'US', want: { id: 'cp_partner_us_01', name: 'Liberty Recovery Services LLC', region: 'international' } },
    ],
    ['GB', { given: 'GB', want: { id: 'cp_partner_gb_01', name: 'Sterling Recoveries Ltd', region: 'europe' } }],
    ['AU', { given: 'AU', want: undefined }],
    ['UK', { given: 'UK', want: undefined }],
    ['lowercase de', { given: 'de', want: undefined }],
  ])('partnerFor(%s)', (_name, { given, want }) => {
    const p = partnerFor(given);
    expect(p && { id: p.id, name: p.contact.name, region: p.region }).toEqual(want);
  });

  it('one partner per country, each id unique and naming its country', () => {
    expect(new Set(PARTNERS.map((p) => p.country)).size).toBe(PARTNERS.length);
    expect(new Set(PARTNERS.map((p) => p.id)).size).toBe(PARTNERS.length);
    for (const p of PARTNERS) expect(p.id).toBe(`cp_partner_${p.country.toLowerCase()}_01`);
  });
});
