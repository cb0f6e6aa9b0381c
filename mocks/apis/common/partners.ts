// The collection partners and the jurisdictions they cover, shared by both APIs (CasaPay shows them as
// they are; Debitura's partners.ts adds its ids). Pure data: a preview and the case created from the same
// input read the same row, so they always agree.
import type { components } from '../../../generated/casapay.js';

type CollectionPartner = components['schemas']['CollectionPartner'];

export interface Partner {
  id: string;
  country: string;
  /** Fee table the partner prices with (Debitura's SDCA distinguishes Europe from the rest). */
  region: 'europe' | 'international';
  contact: CollectionPartner;
}

const partner = (
  id: string,
  country: string,
  region: Partner['region'],
  name: string,
  domain: string,
  phone: string,
): Partner => ({
  id,
  country,
  region,
  // Frozen: every case assigned to the partner shares this object (stored objects are never changed).
  contact: Object.freeze({ name, email: `cases@${domain}`, phone, site: `https://${domain}` }),
});

/** One partner per supported jurisdiction. Countries not listed are ineligible. */
export const PARTNERS: readonly Partner[] = [
  partner('cp_partner_de_01', 'DE', 'europe', 'CollectMax GmbH', 'collectmax.de', '+49 30 1234567'),
  partner('cp_partner_at_01', 'AT', 'europe', 'Inkasso Alpen GmbH', 'inkasso-alpen.at', '+43 1 2345678'),
  partner('cp_partner_nl_01', 'NL', 'europe', 'Incasso Delta B.V.', 'incassodelta.nl', '+31 20 1234567'),
  partner('cp_partner_be_01', 'BE', 'europe', 'Recouvrement Benelux SA', 'recouvrement-benelux.be', '+32 2 1234567'),
  partner('cp_partner_fr_01', 'FR', 'europe', 'Recouvra SAS', 'recouvra.fr', '+33 1 23456789'),
  partner('cp_partner_es_01', 'ES', 'europe', 'Cobros Iberia S.L.', 'cobrosiberia.es', '+34 91 1234567'),
  partner('cp_partner_it_01', 'IT', 'europe', 'Recupero Crediti Italia S.r.l.', 'recuperocrediti.it', '+39 06 1234567'),
  partner(
    'cp_partner_gb_01',
    'GB',
    'europe',
    'Sterling Recoveries Ltd',
    'sterlingrecoveries.co.uk',
    '+44 20 1234 5678',
  ),
  partner('cp_partner_ie_01', 'IE', 'europe', 'Emerald Collections Ltd', 'emeraldcollections.ie', '+353 1 234 5678'),
  partner('cp_partner_dk_01', 'DK', 'europe', 'Nordisk Inkasso ApS', 'nordiskinkasso.dk', '+45 12 34 56 78'),
  partner('cp_partner_se_01', 'SE', 'europe', 'Svea Indrivning AB', 'sveaindrivning.se', '+46 8 123 456 78'),
  partner('cp_partner_no_01', 'NO', 'europe', 'Fjord Inkasso AS', 'fjordinkasso.no', '+47 22 12 34 56'),
  partner('cp_partner_fi_01', 'FI', 'europe', 'Perintä Oy', 'perinta.fi', '+358 9 1234 5678'),
  partner(
    'cp_partner_pl_01',
    'PL',
    'europe',
    'Windykacja Polska Sp. z o.o.',
    'windykacjapolska.pl',
    '+48 22 123 45 67',
  ),
  partner('cp_partner_ch_01', 'CH', 'europe', 'Inkasso Helvetia AG', 'inkassohelvetia.ch', '+41 44 123 45 67'),
  partner('cp_partner_pt_01', 'PT', 'europe', 'Cobranças Lusas Lda', 'cobrancaslusas.pt', '+351 21 123 4567'),
  partner(
    'cp_partner_us_01',
    'US',
    'international',
    'Liberty Recovery Services LLC',
    'libertyrecovery.com',
    '+1 212 555 0100',
  ),
  partner(
    'cp_partner_ca_01',
    'CA',
    'international',
    'Maple Collections Inc.',
    'maplecollections.ca',
    '+1 416 555 0100',
  ),
];

const byCountry = new Map(PARTNERS.map((p) => [p.country, p]));

/** The partner for a debtor's country, or undefined when no partner covers it. */
export const partnerFor = (country: string): Partner | undefined => byCountry.get(country);
