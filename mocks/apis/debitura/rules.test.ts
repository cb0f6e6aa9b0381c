// The submission rules, table by table: each row an input the docs speak about and the answer.
import { describe, expect, it } from 'vitest';
import { parseDate } from '../common/calendar.js';
import { debituraPartnerFor } from './partners.js';
import {
  caseRequestProblem,
  combinedSigningUrl,
  previewRequestProblem,
  gatesFor,
  pricingFor,
  readDate,
  refusalErrors,
  sanitizeReturnUrl,
  usState,
  type CreateCaseRequest,
} from './rules.js';
import type { DebituraClient } from './state.js';

const NOW = parseDate('2026-12-01')! + 12 * 3600;
const base: CreateCaseRequest = {
  currencyCode: 'EUR',
  amountToRecover: 5000,
  date: '2025-06-01',
  dueDate: '2025-07-01',
  debtor: { type: 'Company', name: 'Debtor GmbH', countryAlpha2: 'DE' },
};

describe('caseRequestProblem: what the docs add to the schema', () => {
  it.each<[string, Partial<CreateCaseRequest>, string | null]>([
    ['the docs example', {}, null],
    [
      'a date-time date (generated clients)',
      { date: '2025-06-01T00:00:00Z', dueDate: '2025-07-01T00:00:00.000Z' },
      null,
    ],
    ['dueDate today is allowed', { dueDate: '2026-12-01' }, null],
    ['no dueDate', { dueDate: null }, null],
    ['date in the future', { date: '2026-12-02' }, 'date'],
    ['dueDate in the future', { dueDate: '2026-12-02' }, 'dueDate'],
    ['dueDate before date', { date: '2025-07-02', dueDate: '2025-07-01' }, 'dueDate'],
    ['not a date', { date: '2025-13-01' }, 'date'],
    ['unknown currency', { currencyCode: 'XXQ' }, 'currencyCode'],
    ['zero amount', { amountToRecover: 0 }, 'amountToRecover'],
    ['unknown country', { debtor: { type: 'Company', name: 'X', countryAlpha2: 'QQ' } }, 'debtor[countryAlpha2]'],
    ['US without a state', { debtor: { type: 'Company', name: 'X', countryAlpha2: 'US' } }, 'debtor[stateAlpha2]'],
    ['US with a state', { debtor: { type: 'Company', name: 'X', countryAlpha2: 'US', stateAlpha2: 'CA' } }, null],
    ['US with US-NY', { debtor: { type: 'Company', name: 'X', countryAlpha2: 'US', stateAlpha2: 'US-NY' } }, null],
    ['one age bucket alone', { amountToRecoverOver12Months: 100 }, 'amountToRecoverOver24Months'],
    [
      'age buckets out of order',
      { amountToRecoverOver12Months: 100, amountToRecoverOver24Months: 200 },
      'amountToRecoverOver12Months',
    ],
  ])('%s', (_name, change, param) => {
    expect(caseRequestProblem({ ...base, ...change }, NOW)?.param ?? null).toBe(param);
  });
});

describe('previewRequestProblem: the preview holds the same rules, without an invoice date', () => {
  const preview = {
    currencyCode: 'USD',
    amountToRecover: 50000,
    debtor: { type: 'Company', countryAlpha2: 'US', stateAlpha2: 'CA' },
  };
  it.each<[string, Record<string, unknown>, string | null]>([
    ['the published example', {}, null],
    ['a dueDate today', { dueDate: '2026-12-01T08:00:00Z' }, null],
    ['a dueDate tomorrow', { dueDate: '2026-12-02' }, 'dueDate'],
    ['US without a state', { debtor: { type: 'Company', countryAlpha2: 'US' } }, 'debtor[stateAlpha2]'],
    ['an unknown currency', { currencyCode: 'XXQ' }, 'currencyCode'],
    ['one age bucket alone', { amountToRecoverOver24Months: 100 }, 'amountToRecoverOver12Months'],
  ])('%s', (_name, change, param) => {
    expect(previewRequestProblem({ ...preview, ...change }, NOW)?.param ?? null).toBe(param);
  });
});

describe('sanitizeReturnUrl: invalid values are dropped, never refused', () => {
  const long = (n: number) => `https://a.example/${'x'.repeat(n - 18)}`;
  it.each<[string, string | null | undefined, boolean]>([
    ['an https URL', 'https://yourapp.com/done', true],
    ['an http URL with a port and query', 'http://localhost:3000/back?x=1', true],
    ['2048 characters', long(2048), true],
    ['2049 characters', long(2049), false],
    ['a relative path', '/relative/path', false],
    ['a javascript: URL', 'javascript:alert(1)', false],
    ['an ftp URL', 'ftp://files.example.com', false],
    ['empty', '', false],
    ['null', null, false],
  ])('%s', (_name, input, kept) => expect(sanitizeReturnUrl(input)).toBe(kept ? input : null));

  it('the combined signing URL carries the returnUrl, encoded', () => {
    expect(combinedSigningUrl('https://yourapp.com/done')).toBe(
      'https://app.debitura.com/Signing/PendingContracts?returnUrl=https%3A%2F%2Fyourapp.com%2Fdone',
    );
    expect(combinedSigningUrl(null)).toBe('https://app.debitura.com/Signing/PendingContracts');
  });
});

const client = (contracts: DebituraClient['contracts'], kyc = false): DebituraClient => ({
  id: 'c',
  externalTenantId: 't',
  name: 'Acme',
  country: 'GB',
  registrationNumber: null,
  supportEmail: 's@acme.com',
  users: [],
  linkStatus: 'Active',
  contracts,
  kyc: kyc ? ({} as never) : null,
  dateCreated: '',
});
const SIGNED = { debtCollectionAgreement: 'Signed', powerOfAttorney: 'Signed' } as const;
const UNSIGNED = { debtCollectionAgreement: 'Pending', powerOfAttorney: 'Pending' } as const;

describe('gatesFor and refusalErrors: the business rules of a submission', () => {
  it.each<[string, DebituraClient, string, 'api_key' | 'bearer', string[]]>([
    ['signed, covered', client(SIGNED), 'DE', 'bearer', []],
    ['no partner for JP', client(SIGNED), 'JP', 'bearer', ['NoPartnerAvailable']],
    [
      'unsigned',
      client(UNSIGNED),
      'DE',
      'bearer',
      ['PendingContractSigning', 'MissingDebtCollectionContract', 'MissingPowerOfAttorney'],
    ],
    ['GB partner needs KYC with a token', client(SIGNED), 'GB', 'bearer', ['MissingKycVerification']],
    ['KYC is not checked for a direct XApiKey', client(SIGNED), 'GB', 'api_key', []],
    ['KYC on file', client(SIGNED, true), 'GB', 'bearer', []],
    [
      'unsigned and KYC missing',
      client(UNSIGNED),
      'GB',
      'bearer',
      ['PendingContractSigning', 'MissingDebtCollectionContract', 'MissingPowerOfAttorney', 'MissingKycVerification'],
    ],
  ])('%s', (_name, who, country, via, types) => {
    expect(refusalErrors(gatesFor(who, debituraPartnerFor(country), via, null)).map((e) => e.type)).toEqual(types);
  });

  it('a scenario can leave a covered country without a partner', () => {
    expect(debituraPartnerFor('DE', new Set(['DE']))).toBeUndefined();
    expect(debituraPartnerFor('DE', new Set(['*']))).toBeUndefined();
  });
});

describe('pricingFor: the SDCA brackets plus the age surcharge', () => {
  const de = debituraPartnerFor('DE')!;
  const us = debituraPartnerFor('US')!;
  it.each<[string, Parameters<typeof pricingFor>[1], ReturnType<typeof debituraPartnerFor>, number, number]>([
    [
      'EUR 5,000 in Europe, 17 months old',
      { amountToRecover: 5000, currencyCode: 'EUR', dueDate: '2025-07-01' },
      de,
      9.5,
      10,
    ],
    ['EUR 500 in Europe', { amountToRecover: 500, currencyCode: 'EUR', dueDate: '2026-11-01' }, de, 20, 0],
    [
      'EUR 200,000 in Europe, 25 months old',
      { amountToRecover: 200000, currencyCode: 'EUR', dueDate: '2024-10-01' },
      de,
      6,
      20,
    ],
    [
      'USD 50,000 with age buckets',
      {
        amountToRecover: 50000,
        currencyCode: 'USD',
        amountToRecoverOver12Months: 30000,
        amountToRecoverOver24Months: 15000,
      },
      us,
      15,
      9,
    ],
    // Near the largest double: GBP converts to Infinity USD (the top bracket), the buckets' blend must not overflow.
    ['GBP 1.7e308 in Europe', { amountToRecover: 1.7e308, currencyCode: 'GBP' }, de, 6, 0],
    [
      'USD 1e308 all older than 24 months',
      {
        amountToRecover: 1e308,
        currencyCode: 'USD',
        amountToRecoverOver12Months: 1e308,
        amountToRecoverOver24Months: 1e308,
      },
      us,
      7.5,
      20,
    ],
  ])('%s', (_name, input, partner, baseFee, surcharge) => {
    const price = pricingFor(partner!, input, NOW);
    expect([price.baseSuccessFeePercentage, price.ageSurchargePercentage, price.totalSuccessFeePercentage]).toEqual([
      baseFee,
      surcharge,
      baseFee + surcharge,
    ]);
  });
});

describe('dates and states as clients send them', () => {
  it.each<[string, number | undefined]>([
    ['2025-06-01', parseDate('2025-06-01')],
    ['2025-06-01T15:30:00Z', parseDate('2025-06-01')],
    ['2025-06-01T23:30:00-02:00', parseDate('2025-06-02')],
    ['June 1st', undefined],
  ])('readDate(%s)', (value, expected) => expect(readDate(value)).toBe(expected));

  it.each<[string | null, string | undefined]>([
    ['CA', 'CA'],
    ['ny', 'NY'],
    ['US-TX', 'TX'],
    ['XX', undefined],
    [null, undefined],
  ])('usState(%s)', (value, expected) => expect(usState(value)).toBe(expected));
});
