import { describe, expect, it } from 'vitest';
import { parseDate } from '../common/calendar.js';
import { MINIMUM_USD } from '../common/money.js';
import {
  ageSurcharge,
  ALL_SIGNED,
  assessCase,
  assessSubmission,
  baseFee,
  decideCase,
  NO_PARTNER_REASON,
  requiredActions,
  SIGNING_URL,
  type AccountAgreements,
  type AccountFacts,
  type PreviewInput,
  type SubmissionBody,
} from './rules.js';

const day = (iso: string): number => parseDate(iso)!;

/** The seeds' preview request (000 and 002): €3,600.00 owed by a German debtor, due 2024-11-01. */
const SEED_INPUT: PreviewInput = {
  amount_to_recover: 360000,
  currency: 'eur',
  country: 'DE',
  due_date: day('2024-11-01'),
};
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
    {
      type: 'contract_signing',
      message: 'You need to sign the collection agreement first',
      solution_url: 'https://dashboard.casapay.com/contracts/sign',
      is_blocking: true,
    },
  ],
  pricing_preview: null,
};

const CONTRACT_ACTION = SEED_INELIGIBLE.required_actions[0]!;

describe("assessCase: the seeds' example", () => {
  it('prices €3,600 in Germany, due 2024-11-01, at 12.5 + 2.0 = 14.5 with CollectMax GmbH', () => {
    const a = assessCase(SEED_INPUT, ALL_SIGNED, SEED_NOW);
    expect(a.preview).toEqual(SEED_ELIGIBLE);
    expect(a.fee).toBe(14.5);
    expect(a.partner?.id).toBe('cp_partner_de_01');
    expect(a.partner?.contact.name).toBe('CollectMax GmbH');
    expect(a.refusal).toBeUndefined();
    expect(a.blocking).toBeUndefined();
  });

  it("reproduces the seeds' ineligible example: no partner in the jurisdiction, contract unsigned", () => {
    const a = assessCase({ ...SEED_INPUT, country: 'AU' }, { ...ALL_SIGNED, contract_signed: false }, SEED_NOW);
    expect(a.preview).toEqual(SEED_INELIGIBLE);
    expect(a.refusal).toBe('no_partner_available');
  });

  it("NO_PARTNER_REASON is the seeds' wording", () => {
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
    const a = assessCase(
      { amount_to_recover: given.amount, currency: 'usd', country: given.country, due_date: day('2026-11-25') },
      ALL_SIGNED,
      SEED_NOW,
    );
    expect(a.preview.is_eligible).toBe(true);
    expect(a.preview.pricing_preview).toEqual({
      base_success_fee_pct: want,
      age_surcharge_pct: 0,
      total_success_fee_pct: want,
    });
    expect(a.fee).toBe(want);
  });
});

describe('assessCase: currencies convert to USD before bracketing', () => {
  it.each([
    [
      "€3,600.00 → $3,888 → 12.5 (the seeds' case)",
      { given: { amount: 360_000, currency: 'eur', country: 'DE' }, want: 12.5 },
    ],
    ['€900.00 → $972 → 20', { given: { amount: 90_000, currency: 'eur', country: 'DE' }, want: 20 }],
    ['€1,000.00 → $1,080 → 12.5', { given: { amount: 100_000, currency: 'eur', country: 'DE' }, want: 12.5 }],
    ['£800.00 → $1,016 → 12.5', { given: { amount: 80_000, currency: 'gbp', country: 'GB' }, want: 12.5 }],
    [
      '¥150,000 (no minor units) → $1,005 → 20 in the US',
      { given: { amount: 150_000, currency: 'jpy', country: 'US' }, want: 20 },
    ],
    ['¥100,000 → $670 → 30 in the US', { given: { amount: 100_000, currency: 'jpy', country: 'US' }, want: 30 }],
  ])('%s', (_name, { given, want }) => {
    const a = assessCase(
      {
        amount_to_recover: given.amount,
        currency: given.currency,
        country: given.country,
        due_date: day('2026-11-25'),
      },
      ALL_SIGNED,
      SEED_NOW,
    );
    expect(a.preview.pricing_preview?.base_success_fee_pct).toBe(want);
  });
});

describe('assessCase: refusals', () => {
  const belowMinimum = `The amount to recover is below the minimum of USD ${MINIMUM_USD}`;
  it.each([
    [
      '$99.99 in Germany',
      {
        given: { amount: 9_999, currency: 'usd', country: 'DE' },
        want: { reason: belowMinimum, refusal: 'amount_below_minimum' },
      },
    ],
    [
      '$99.99 in the US',
      {
        given: { amount: 9_999, currency: 'usd', country: 'US' },
        want: { reason: belowMinimum, refusal: 'amount_below_minimum' },
      },
    ],
    [
      '€92.59 → $99.9972',
      {
        given: { amount: 9_259, currency: 'eur', country: 'DE' },
        want: { reason: belowMinimum, refusal: 'amount_below_minimum' },
      },
    ],
    [
      '¥14,900 → $99.83',
      {
        given: { amount: 14_900, currency: 'jpy', country: 'US' },
        want: { reason: belowMinimum, refusal: 'amount_below_minimum' },
      },
    ],
    [
      'a case in Australia',
      {
        given: { amount: 360_000, currency: 'eur', country: 'AU' },
        want: { reason: NO_PARTNER_REASON, refusal: 'no_partner_available' },
      },
    ],
    [
      'a case in Japan',
      {
        given: { amount: 360_000, currency: 'jpy', country: 'JP' },
        want: { reason: NO_PARTNER_REASON, refusal: 'no_partner_available' },
      },
    ],
    [
      'UK (not the ISO code) has no partner',
      {
        given: { amount: 360_000, currency: 'gbp', country: 'UK' },
        want: { reason: NO_PARTNER_REASON, refusal: 'no_partner_available' },
      },
    ],
    [
      'no partner wins over a small amount',
      {
        given: { amount: 1, currency: 'usd', country: 'AU' },
        want: { reason: NO_PARTNER_REASON, refusal: 'no_partner_available' },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const a = assessCase(
      {
        amount_to_recover: given.amount,
        currency: given.currency,
        country: given.country,
        due_date: SEED_INPUT.due_date,
      },
      ALL_SIGNED,
      SEED_NOW,
    );
    expect(a.preview).toEqual({
      is_eligible: false,
      ineligibility_reason: want.reason,
      partner_assignment: null,
      required_actions: [],
      pricing_preview: null,
    });
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
    const a = assessCase(
      { amount_to_recover: amount, currency, country: 'DE', due_date: day('2026-11-25') },
      ALL_SIGNED,
      SEED_NOW,
    );
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

  const POA = {
    type: 'power_of_attorney',
    message: 'Grant the collection partner a power of attorney',
    solution_url: 'https://dashboard.casapay.com/contracts/power-of-attorney',
    is_blocking: true,
  };
  const KYC = {
    type: 'kyc_verification',
    message: "Verify your company director's identity (KYC)",
    solution_url: 'https://dashboard.casapay.com/kyc',
    is_blocking: true,
  };

  it.each<[string, { given: Partial<AccountAgreements>; want: object[] }]>([
    ['everything signed', { given: {}, want: [] }],
    ['contract unsigned', { given: { contract_signed: false }, want: [CONTRACT_ACTION] }],
    ['no power of attorney', { given: { power_of_attorney: false }, want: [POA] }],
    ['KYC not verified', { given: { kyc_verified: false }, want: [KYC] }],
    [
      'power of attorney and KYC missing',
      { given: { power_of_attorney: false, kyc_verified: false }, want: [POA, KYC] },
    ],
    [
      'all three missing, in order',
      {
        given: { contract_signed: false, power_of_attorney: false, kyc_verified: false },
        want: [CONTRACT_ACTION, POA, KYC],
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const agreements = { ...ALL_SIGNED, ...given };
    expect(requiredActions(agreements)).toEqual(want);
    const a = assessCase(SEED_INPUT, agreements, SEED_NOW);
    expect(a.preview.required_actions).toEqual(want);
    expect(a.preview.is_eligible).toBe(want.length === 0);
    expect(a.blocking).toEqual(want[0]);
    expect(a.preview.pricing_preview?.total_success_fee_pct).toBe(14.5);
    expect(a.preview.ineligibility_reason).toBe(
      want.length === 0 ? null : `A required action blocks submission: ${(want[0] as { message: string }).message}`,
    );
  });

  it("the contract action links to the seeds' signing page", () => {
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
    expect(a.preview.pricing_preview).toEqual({
      base_success_fee_pct: 12.5,
      age_surcharge_pct: want.surcharge,
      total_success_fee_pct: want.total,
    });
    expect(a.fee).toBe(want.total);
  });
});

describe('baseFee', () => {
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
});

// ---- The whole submission: field rules first, then the assessment ----------------------------------

/** The seeds' preview body and a create body of the same case (its country only in the address). */
const PREVIEW: SubmissionBody = {
  amount_to_recover: 360000,
  currency: 'eur',
  due_date: '2024-11-01',
  debtor: { type: 'private', name: 'John Smith', country: 'DE' },
};
const CREATE: SubmissionBody = {
  amount_to_recover: 360000,
  currency: 'eur',
  due_date: '2024-11-01',
  debtor: {
    type: 'private',
    name: 'John Smith',
    address: { line1: 'Friedrichstraße 123', city: 'Berlin', postal_code: '10117', country: 'DE' },
  },
};
const SIGNED: AccountFacts = { agreements: ALL_SIGNED };
type Debtor = Record<string, unknown>;
const preview = (debtor: Debtor = {}, rest: Partial<SubmissionBody> = {}) =>
  ({ ...PREVIEW, ...rest, debtor: { ...PREVIEW.debtor, ...debtor } }) as SubmissionBody;
const create = (address: Debtor = {}, debtor: Debtor = {}, rest: Partial<SubmissionBody> = {}) =>
  ({
    ...CREATE,
    ...rest,
    debtor: { ...CREATE.debtor, ...debtor, address: { ...(CREATE.debtor as { address: Debtor }).address, ...address } },
  }) as SubmissionBody;

describe('assessSubmission: every field refusal, first problem first', () => {
  it.each<
    [string, { given: SubmissionBody; want: { problem: 'missing' | 'invalid'; param: string; message: string } }]
  >([
    [
      'a currency ICU does not know',
      {
        given: preview({}, { currency: 'xyz' }),
        want: { problem: 'invalid', param: 'currency', message: "'xyz' is not an ISO 4217 currency code." },
      },
    ],
    [
      'a country ISO does not assign (UK)',
      {
        given: preview({ country: 'UK' }),
        want: {
          problem: 'invalid',
          param: 'debtor[country]',
          message: "'UK' is not an ISO 3166-1 alpha-2 country code.",
        },
      },
    ],
    [
      'an unassigned country in the address',
      {
        given: create({ country: 'UK' }),
        want: {
          problem: 'invalid',
          param: 'debtor[address][country]',
          message: "'UK' is not an ISO 3166-1 alpha-2 country code.",
        },
      },
    ],
    [
      'debtor.country and the address disagree',
      {
        given: create({ country: 'FR' }, { country: 'DE' }),
        want: {
          problem: 'invalid',
          param: 'debtor[country]',
          message: 'debtor.country DE and debtor.address.country FR disagree.',
        },
      },
    ],
    [
      'no country anywhere',
      {
        given: create({ country: undefined }),
        want: {
          problem: 'missing',
          param: 'debtor[country]',
          message: "Give the debtor's country as debtor.country or debtor.address.country.",
        },
      },
    ],
    [
      'a US debtor without a state (preview)',
      {
        given: preview({ country: 'US' }),
        want: { problem: 'missing', param: 'debtor[state]', message: 'Debtors in the US need a two-letter state.' },
      },
    ],
    [
      'a US debtor with a state that is none (preview)',
      {
        given: preview({ country: 'US', state: 'ZZ' }),
        want: { problem: 'invalid', param: 'debtor[state]', message: "'ZZ' is not a US state." },
      },
    ],
    [
      'a US debtor without a state (create)',
      {
        given: create({ country: 'US' }),
        want: {
          problem: 'missing',
          param: 'debtor[address][state]',
          message: 'Debtors in the US need a two-letter state.',
        },
      },
    ],
    [
      'a US debtor with a state that is none (create)',
      {
        given: create({ country: 'US', state: 'XX' }),
        want: { problem: 'invalid', param: 'debtor[address][state]', message: "'XX' is not a US state." },
      },
    ],
    [
      'a due date that is no calendar date',
      {
        given: preview({}, { due_date: '2024-02-30' }),
        want: { problem: 'invalid', param: 'due_date', message: "'2024-02-30' is not a calendar date (YYYY-MM-DD)." },
      },
    ],
    [
      'a due date tomorrow',
      {
        given: preview({}, { due_date: '2026-11-26' }),
        want: {
          problem: 'invalid',
          param: 'due_date',
          message: 'The due date must not be in the future (today is allowed).',
        },
      },
    ],
    [
      'a bad currency is named before a bad country',
      {
        given: preview({ country: 'UK' }, { currency: 'xyz' }),
        want: { problem: 'invalid', param: 'currency', message: "'xyz' is not an ISO 4217 currency code." },
      },
    ],
    [
      'a bad country is named before a bad due date',
      {
        given: preview({ country: 'UK' }, { due_date: 'soon' }),
        want: {
          problem: 'invalid',
          param: 'debtor[country]',
          message: "'UK' is not an ISO 3166-1 alpha-2 country code.",
        },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(assessSubmission(given, SIGNED, SEED_NOW)).toEqual({ ok: false, ...want });
  });
});

describe('assessSubmission: accepted submissions', () => {
  it.each<[string, { given: SubmissionBody; want: { currency: string; country: string; dueDate: string } }]>([
    ["the seeds' preview", { given: PREVIEW, want: { currency: 'eur', country: 'DE', dueDate: '2024-11-01' } }],
    [
      'a create with its country only in the address',
      { given: CREATE, want: { currency: 'eur', country: 'DE', dueDate: '2024-11-01' } },
    ],
    [
      'a create with the country in both places, agreeing',
      { given: create({}, { country: 'DE' }), want: { currency: 'eur', country: 'DE', dueDate: '2024-11-01' } },
    ],
    [
      'an uppercase currency, stored lowercase',
      { given: preview({}, { currency: 'EUR' }), want: { currency: 'eur', country: 'DE', dueDate: '2024-11-01' } },
    ],
    [
      'a US debtor with a real state (preview)',
      {
        given: preview({ country: 'US', state: 'CA' }),
        want: { currency: 'eur', country: 'US', dueDate: '2024-11-01' },
      },
    ],
    [
      'a US debtor with a real state (create)',
      {
        given: create({ country: 'US', state: 'NY' }),
        want: { currency: 'eur', country: 'US', dueDate: '2024-11-01' },
      },
    ],
    [
      'a state is not asked of other countries',
      { given: preview({ country: 'CA' }), want: { currency: 'eur', country: 'CA', dueDate: '2024-11-01' } },
    ],
    [
      'due today',
      {
        given: preview({}, { due_date: '2026-11-25' }),
        want: { currency: 'eur', country: 'DE', dueDate: '2026-11-25' },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const verdict = assessSubmission(given, SIGNED, SEED_NOW);
    expect(
      verdict.ok && {
        currency: verdict.value.currency,
        country: verdict.value.country,
        dueDate: verdict.value.dueDate,
      },
    ).toEqual({ ...want, dueDate: day(want.dueDate) });
  });

  it("assesses the seeds' case as assessCase does", () => {
    const verdict = assessSubmission(PREVIEW, SIGNED, SEED_NOW);
    expect(verdict.ok && verdict.value.assessment).toEqual(assessCase(SEED_INPUT, ALL_SIGNED, SEED_NOW));
  });

  it.each<
    [
      string,
      {
        given: { name: string; account: AccountFacts };
        want: { blocking: string | undefined; refusal: string | undefined };
      },
    ]
  >([
    [
      'an ordinary name on a signed account',
      { given: { name: 'John Smith', account: SIGNED }, want: { blocking: undefined, refusal: undefined } },
    ],
    [
      'the magic "unsigned contract" name unsigns the contract',
      {
        given: { name: 'Unsigned Contract GmbH', account: SIGNED },
        want: { blocking: 'contract_signing', refusal: undefined },
      },
    ],
    [
      'the magic words in any case',
      {
        given: { name: 'acme (UNSIGNED CONTRACT)', account: SIGNED },
        want: { blocking: 'contract_signing', refusal: undefined },
      },
    ],
    [
      "the account's own agreements count",
      {
        given: { name: 'John Smith', account: { agreements: { ...ALL_SIGNED, kyc_verified: false } } },
        want: { blocking: 'kyc_verification', refusal: undefined },
      },
    ],
    [
      "the account's uncovered countries count",
      {
        given: { name: 'John Smith', account: { ...SIGNED, unsupportedCountries: new Set(['DE']) } },
        want: { blocking: undefined, refusal: 'no_partner_available' },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const verdict = assessSubmission(preview({ name: given.name }), given.account, SEED_NOW);
    expect(
      verdict.ok && { blocking: verdict.value.assessment.blocking?.type, refusal: verdict.value.assessment.refusal },
    ).toEqual(want);
  });
});

describe('decideCase: what a create makes of the assessment', () => {
  const decide = (input: Partial<PreviewInput>, agreements: Partial<AccountAgreements>, allowPending: boolean) => {
    const assessment = assessCase({ ...SEED_INPUT, ...input }, { ...ALL_SIGNED, ...agreements }, SEED_NOW);
    const decision = decideCase({ assessment, country: input.country ?? SEED_INPUT.country }, allowPending);
    return decision.ok
      ? { ok: true, status: decision.status, partner: decision.partner.id, fee: decision.fee }
      : decision;
  };
  const ACTIVE = { ok: true, status: 'active', partner: 'cp_partner_de_01', fee: 14.5 };
  const PENDING = { ...ACTIVE, status: 'pending_verification' };

  it.each<
    [
      string,
      {
        given: { input?: Partial<PreviewInput>; agreements?: Partial<AccountAgreements>; allowPending: boolean };
        want: object;
      },
    ]
  >([
    ['everything signed: active, priced', { given: { allowPending: false }, want: ACTIVE }],
    ['allow_pending_contracts changes nothing when all is signed', { given: { allowPending: true }, want: ACTIVE }],
    [
      'no partner',
      {
        given: { input: { country: 'AU' }, allowPending: true },
        want: {
          ok: false,
          code: 'no_partner_available',
          message: 'No collection partner covers debtors in AU. Preview a case to see where partners are available.',
          param: 'debtor[country]',
        },
      },
    ],
    [
      'below the minimum',
      {
        given: { input: { amount_to_recover: 9_259 }, allowPending: true },
        want: {
          ok: false,
          code: 'amount_below_minimum',
          message: `The amount to recover is below the minimum of USD ${MINIMUM_USD}`,
          param: 'amount_to_recover',
        },
      },
    ],
    [
      'contract unsigned',
      {
        given: { agreements: { contract_signed: false }, allowPending: false },
        want: {
          ok: false,
          code: 'missing_debt_collection_contract',
          message: 'You need to sign the collection agreement first',
          param: null,
          solution_url: SIGNING_URL,
        },
      },
    ],
    [
      'contract unsigned, pending allowed',
      { given: { agreements: { contract_signed: false }, allowPending: true }, want: PENDING },
    ],
    [
      'no power of attorney',
      {
        given: { agreements: { power_of_attorney: false }, allowPending: false },
        want: {
          ok: false,
          code: 'missing_power_of_attorney',
          message: 'Grant the collection partner a power of attorney',
          param: null,
          solution_url: 'https://dashboard.casapay.com/contracts/power-of-attorney',
        },
      },
    ],
    [
      'no power of attorney, pending allowed',
      { given: { agreements: { power_of_attorney: false }, allowPending: true }, want: PENDING },
    ],
    [
      'KYC missing is never waived',
      {
        given: { agreements: { kyc_verified: false }, allowPending: true },
        want: {
          ok: false,
          code: 'missing_kyc_verification',
          message: "Verify your company director's identity (KYC)",
          param: null,
          solution_url: 'https://dashboard.casapay.com/kyc',
        },
      },
    ],
    [
      'the first blocking action decides (contract before KYC)',
      { given: { agreements: { contract_signed: false, kyc_verified: false }, allowPending: true }, want: PENDING },
    ],
    [
      'the first blocking action decides (contract, pending not allowed)',
      {
        given: { agreements: { contract_signed: false, kyc_verified: false }, allowPending: false },
        want: {
          ok: false,
          code: 'missing_debt_collection_contract',
          message: 'You need to sign the collection agreement first',
          param: null,
          solution_url: SIGNING_URL,
        },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(decide(given.input ?? {}, given.agreements ?? {}, given.allowPending)).toEqual(want);
  });
});
