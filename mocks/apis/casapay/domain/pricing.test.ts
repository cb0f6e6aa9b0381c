import { describe, expect, it } from 'vitest';
import { parseDate } from './calendar.js';
import { PARTNERS, partnerFor } from './partners.js';
import {
  ageSurcharge,
  ALL_SIGNED,
  assessCase,
  baseFee,
  MINIMUM_USD,
  NO_PARTNER_REASON,
  requiredActions,
  SIGNING_URL,
  toUsd,
  type AccountAgreements,
  type PreviewInput,
} from './pricing.js';

const day = (iso: string): number => parseDate(iso)!;

/** The seeds' preview request (000 and 002): €3,600.00 owed by a German debtor, due 2024-11-01. */
const SEED_INPUT: PreviewInput = { amount_to_recover: 360000, currency: 'eur', country: 'DE', due_date: day('2024-11-01') };
/** 2026-11-25: 24 full months after the seeds' due date, which prices the seeds' 2.0 surcharge. */
const SEED_NOW = 1795564800;

/** The seeds' eligible response (002), verbatim. */
const SEED_ELIGIBLE = {
  is_eligible: true,
  ineligibility_reason: null,
  partner_assignment: { partner_id: 'cp_partner_de_01', partner_name: 'CollectMax GmbH', partner_country: 'DE' },
  required_actions: [],
  pricing_preview: { base_success_fee_pct: 12.5, age_surcharge_pct: 2.0, total_success_fee_pct: 14.5 },
};

/** The seeds' ineligible response (002), verbatim. */
const SEED_INELIGIBLE = {
  is_eligible: false,
  ineligibility_reason: 'No collection partner available for the specified jurisdiction',
  partner_assignment: null,
  required_actions: [
    { type: 'contract_signing', message: 'You need to sign the collection agreement first', solution_url: 'https://dashboard.casapay.com/contracts/sign', is_blocking: true },
  ],
  pricing_preview: null,
};

const CONTRACT_ACTION = SEED_INELIGIBLE.required_actions[0]!;

describe('assessCase: the seeds\' example', () => {
  it('prices €3,600 in Germany, due 2024-11-01, at 12.5 + 2.0 = 14.5 with CollectMax GmbH', () => {
    const a = assessCase(SEED_INPUT, ALL_SIGNED, SEED_NOW);
    expect(a.preview).toEqual(SEED_ELIGIBLE);
    expect(a.fee).toBe(14.5);
    expect(a.partner?.id).toBe('cp_partner_de_01');
    expect(a.partner?.contact.name).toBe('CollectMax GmbH');
    expect(a.refusal).toBeUndefined();
    expect(a.blocking).toBeUndefined();
  });

  it('reproduces the seeds\' ineligible example: no partner in the jurisdiction, contract unsigned', () => {
    const a = assessCase({ ...SEED_INPUT, country: 'AU' }, { ...ALL_SIGNED, contract_signed: false }, SEED_NOW);
    expect(a.preview).toEqual(SEED_INELIGIBLE);
    expect(a.refusal).toBe('no_partner_available');
  });

  it('NO_PARTNER_REASON is the seeds\' wording', () => {
    expect(NO_PARTNER_REASON).toBe(SEED_INELIGIBLE.ineligibility_reason);
  });
});

describe('assessCase: fee brackets at their edges (USD, so amounts convert exactly)', () => {
  it.each([
    ['Europe, $100.00 (minimum)', { given: { country: 'DE', amount: 10_000 }, want: 20 }],
    ['Europe, $999.99', { given: { country: 'DE', amount: 99_999 }, want: 20 }],
    ['Europe, $1,000.00', { given: { country: 'DE', amount: 100_000 }, want: 12.5 }],
    ['Europe, $9,999.99', { given: { country: 'DE', amount: 999_999 }, want: 12.5 }],
    ['Europe, $10,000.00', { given: { country: 'DE', amount: 1_000_000 }, want: 9.5 }],
    ['Europe, $149,999.99', { given: { country: 'DE', amount: 14_999_999 }, want: 9.5 }],
    ['Europe, $150,000.00', { given: { country: 'DE', amount: 15_000_000 }, want: 6 }],
    ['Europe, $10,000,000.00', { given: { country: 'DE', amount: 1_000_000_000 }, want: 6 }],
    ['Europe (GB is priced as Europe)', { given: { country: 'GB', amount: 99_999 }, want: 20 }],
    ['Europe (CH is priced as Europe)', { given: { country: 'CH', amount: 15_000_000 }, want: 6 }],
    ['International, $100.00 (minimum)', { given: { country: 'US', amount: 10_000 }, want: 30 }],
    ['International, $999.99', { given: { country: 'US', amount: 99_999 }, want: 30 }],
    ['International, $1,000.00', { given: { country: 'US', amount: 100_000 }, want: 20 }],
    ['International, $7,999.99', { given: { country: 'US', amount: 799_999 }, want: 20 }],
    ['International, $8,000.00', { given: { country: 'US', amount: 800_000 }, want: 15 }],
    ['International, $74,999.99', { given: { country: 'US', amount: 7_499_999 }, want: 15 }],
    ['International, $75,000.00', { given: { country: 'US', amount: 7_500_000 }, want: 10 }],
    ['International, $149,999.99', { given: { country: 'US', amount: 14_999_999 }, want: 10 }],
    ['International, $150,000.00', { given: { country: 'US', amount: 15_000_000 }, want: 7.5 }],
    ['International (CA is priced as international)', { given: { country: 'CA', amount: 99_999 }, want: 30 }],
  ])('%s', (_name, { given, want }) => {
    // Due the same day it is assessed: no age surcharge, so the total is the base fee.
    const a = assessCase({ amount_to_recover: given.amount, currency: 'usd', country: given.country, due_date: day('2026-11-25') }, ALL_SIGNED, SEED_NOW);
    expect(a.preview.is_eligible).toBe(true);
    expect(a.preview.pricing_preview).toEqual({ base_success_fee_pct: want, age_surcharge_pct: 0, total_success_fee_pct: want });
    expect(a.fee).toBe(want);
  });
});

describe('assessCase: currencies convert to USD before bracketing', () => {
  it.each([
    ['€3,600.00 → $3,888 → 12.5 (the seeds\' case)', { given: { amount: 360_000, currency: 'eur', country: 'DE' }, want: 12.5 }],
    ['€900.00 → $972 → 20', { given: { amount: 90_000, currency: 'eur', country: 'DE' }, want: 20 }],
    ['€1,000.00 → $1,080 → 12.5', { given: { amount: 100_000, currency: 'eur', country: 'DE' }, want: 12.5 }],
    ['£800.00 → $1,016 → 12.5', { given: { amount: 80_000, currency: 'gbp', country: 'GB' }, want: 12.5 }],
    ['¥150,000 (no minor units) → $1,005 → 20 in the US', { given: { amount: 150_000, currency: 'jpy', country: 'US' }, want: 20 }],
    ['¥100,000 → $670 → 30 in the US', { given: { amount: 100_000, currency: 'jpy', country: 'US' }, want: 30 }],
  ])('%s', (_name, { given, want }) => {
    const a = assessCase({ amount_to_recover: given.amount, currency: given.currency, country: given.country, due_date: day('2026-11-25') }, ALL_SIGNED, SEED_NOW);
    expect(a.preview.pricing_preview?.base_success_fee_pct).toBe(want);
  });
});

describe('assessCase: refusals', () => {
  const belowMinimum = `The amount to recover is below the minimum of USD ${MINIMUM_USD}`;
  it.each([
    ['$99.99 in Germany', { given: { amount: 9_999, currency: 'usd', country: 'DE' }, want: { reason: belowMinimum, refusal: 'amount_below_minimum' } }],
    ['$99.99 in the US', { given: { amount: 9_999, currency: 'usd', country: 'US' }, want: { reason: belowMinimum, refusal: 'amount_below_minimum' } }],
    ['€92.59 → $99.9972', { given: { amount: 9_259, currency: 'eur', country: 'DE' }, want: { reason: belowMinimum, refusal: 'amount_below_minimum' } }],
    ['¥14,900 → $99.83', { given: { amount: 14_900, currency: 'jpy', country: 'US' }, want: { reason: belowMinimum, refusal: 'amount_below_minimum' } }],
    ['a case in Australia', { given: { amount: 360_000, currency: 'eur', country: 'AU' }, want: { reason: NO_PARTNER_REASON, refusal: 'no_partner_available' } }],
    ['a case in Japan', { given: { amount: 360_000, currency: 'jpy', country: 'JP' }, want: { reason: NO_PARTNER_REASON, refusal: 'no_partner_available' } }],
    ['UK (not the ISO code) has no partner', { given: { amount: 360_000, currency: 'gbp', country: 'UK' }, want: { reason: NO_PARTNER_REASON, refusal: 'no_partner_available' } }],
    ['no partner wins over a small amount', { given: { amount: 1, currency: 'usd', country: 'AU' }, want: { reason: NO_PARTNER_REASON, refusal: 'no_partner_available' } }],
  ])('%s', (_name, { given, want }) => {
    const a = assessCase({ amount_to_recover: given.amount, currency: given.currency, country: given.country, due_date: SEED_INPUT.due_date }, ALL_SIGNED, SEED_NOW);
    expect(a.preview).toEqual({ is_eligible: false, ineligibility_reason: want.reason, partner_assignment: null, required_actions: [], pricing_preview: null });
    expect(a.refusal).toBe(want.refusal);
    expect(a.partner).toBeUndefined();
    expect(a.fee).toBeUndefined();
  });

  // The optional 4th argument (scenarios and magic values switching jurisdictions off) removes the partner.
  it.each([
    ['DE switched off', { unsupported: ['DE'], country: 'DE', want: 'no_partner_available' }],
    ['every country switched off', { unsupported: ['*'], country: 'DE', want: 'no_partner_available' }],
    ['another country switched off leaves DE alone', { unsupported: ['FR'], country: 'DE', want: undefined }],
    ['nothing switched off', { unsupported: [], country: 'DE', want: undefined }],
  ])('unsupported jurisdictions: %s', (_name, { unsupported, country, want }) => {
    const a = assessCase({ ...SEED_INPUT, country }, ALL_SIGNED, SEED_NOW, new Set(unsupported));
    expect(a.refusal).toBe(want);
    expect(a.preview.partner_assignment?.partner_id ?? null).toBe(want ? null : 'cp_partner_de_01');
    if (want) expect(a.preview.ineligibility_reason).toBe(NO_PARTNER_REASON);
  });

  it.each([
    ['$100.00 exactly', { amount: 10_000, currency: 'usd' }],
    ['€92.60 → $100.008', { amount: 9_260, currency: 'eur' }],
  ])('the minimum itself is eligible: %s', (_name, { amount, currency }) => {
    const a = assessCase({ amount_to_recover: amount, currency, country: 'DE', due_date: day('2026-11-25') }, ALL_SIGNED, SEED_NOW);
    expect(a.refusal).toBeUndefined();
    expect(a.preview.is_eligible).toBe(true);
    expect(a.fee).toBe(20);
  });
});

describe('assessCase: required actions', () => {
  it('an unsigned contract blocks the case, but partner and pricing are still given', () => {
    const a = assessCase(SEED_INPUT, { ...ALL_SIGNED, contract_signed: false }, SEED_NOW);
    expect(a.preview).toEqual({
      ...SEED_ELIGIBLE,
      is_eligible: false,
      ineligibility_reason: `A required action blocks submission: ${CONTRACT_ACTION.message}`,
      required_actions: [CONTRACT_ACTION],
    });
    expect(a.blocking).toEqual(CONTRACT_ACTION);
    expect(a.refusal).toBeUndefined();
    expect(a.fee).toBe(14.5);
    expect(a.partner?.id).toBe('cp_partner_de_01');
  });

  const POA = { type: 'power_of_attorney', message: 'Grant the collection partner a power of attorney', solution_url: 'https://dashboard.casapay.com/contracts/power-of-attorney', is_blocking: true };
  const KYC = { type: 'kyc_verification', message: "Verify your company director's identity (KYC)", solution_url: 'https://dashboard.casapay.com/kyc', is_blocking: true };

  it.each<[string, { given: Partial<AccountAgreements>; want: object[] }]>([
    ['everything signed', { given: {}, want: [] }],
    ['contract unsigned', { given: { contract_signed: false }, want: [CONTRACT_ACTION] }],
    ['no power of attorney', { given: { power_of_attorney: false }, want: [POA] }],
    ['KYC not verified', { given: { kyc_verified: false }, want: [KYC] }],
    ['power of attorney and KYC missing', { given: { power_of_attorney: false, kyc_verified: false }, want: [POA, KYC] }],
    ['all three missing, in order', { given: { contract_signed: false, power_of_attorney: false, kyc_verified: false }, want: [CONTRACT_ACTION, POA, KYC] }],
  ])('%s', (_name, { given, want }) => {
    const agreements = { ...ALL_SIGNED, ...given };
    expect(requiredActions(agreements)).toEqual(want);
    const a = assessCase(SEED_INPUT, agreements, SEED_NOW);
    expect(a.preview.required_actions).toEqual(want);
    expect(a.preview.is_eligible).toBe(want.length === 0);
    expect(a.blocking).toEqual(want[0]);
    expect(a.preview.pricing_preview?.total_success_fee_pct).toBe(14.5);
    expect(a.preview.ineligibility_reason).toBe(want.length === 0 ? null : `A required action blocks submission: ${(want[0] as { message: string }).message}`);
  });

  it('the contract action links to the seeds\' signing page', () => {
    expect(SIGNING_URL).toBe(CONTRACT_ACTION.solution_url);
  });
});

describe('age surcharge', () => {
  it.each([
    ['0 months', { given: 0, want: 0 }],
    ['12 months (not over 12)', { given: 12, want: 0 }],
    ['13 months', { given: 13, want: 2 }],
    ['24 months (not over 24)', { given: 24, want: 2 }],
    ['25 months', { given: 25, want: 4 }],
    ['10 years', { given: 120, want: 4 }],
  ])('ageSurcharge(%s)', (_name, { given, want }) => {
    expect(ageSurcharge(given)).toBe(want);
  });

  // The seeds' case (due 2024-11-01, €3,600 → base 12.5) assessed on different days.
  it.each([
    ['on the due date', { now: '2024-11-01', want: { surcharge: 0, total: 12.5 } }],
    ['12 months on (2025-11-01)', { now: '2025-11-01', want: { surcharge: 0, total: 12.5 } }],
    ['12 months and 24 days on (2025-11-25)', { now: '2025-11-25', want: { surcharge: 0, total: 12.5 } }],
    ['13 months on (2025-12-01)', { now: '2025-12-01', want: { surcharge: 2, total: 14.5 } }],
    ['24 months on (2026-11-01)', { now: '2026-11-01', want: { surcharge: 2, total: 14.5 } }],
    ['the day before 25 months (2026-11-30)', { now: '2026-11-30', want: { surcharge: 2, total: 14.5 } }],
    ['25 months on (2026-12-01)', { now: '2026-12-01', want: { surcharge: 4, total: 16.5 } }],
  ])('assessed %s', (_name, { now, want }) => {
    const a = assessCase(SEED_INPUT, ALL_SIGNED, day(now));
    expect(a.preview.pricing_preview).toEqual({ base_success_fee_pct: 12.5, age_surcharge_pct: want.surcharge, total_success_fee_pct: want.total });
    expect(a.fee).toBe(want.total);
  });
});

describe('baseFee and toUsd', () => {
  it.each([
    ['europe $999.99', { region: 'europe' as const, usd: 999.99, want: 20 }],
    ['europe $1,000', { region: 'europe' as const, usd: 1000, want: 12.5 }],
    ['europe $150,000', { region: 'europe' as const, usd: 150_000, want: 6 }],
    ['international $7,999.99', { region: 'international' as const, usd: 7999.99, want: 20 }],
    ['international $8,000', { region: 'international' as const, usd: 8000, want: 15 }],
    ['international $1e12', { region: 'international' as const, usd: 1e12, want: 7.5 }],
  ])('baseFee %s', (_name, { region, usd, want }) => {
    expect(baseFee(region, usd)).toBe(want);
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
});

describe('partners', () => {
  it.each([
    ['DE', { given: 'DE', want: { id: 'cp_partner_de_01', name: 'CollectMax GmbH', region: 'europe' } }],
    ['US', { given: 'US', want: { id: 'cp_partner_us_01', name: 'Liberty Recovery Services LLC', region: 'international' } }],
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
