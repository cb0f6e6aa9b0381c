// Numbers beyond what the contract allows are refused, never rounded and stored (issue 25): JSON.parse
// turns 1908000530616687152 into 1908000530616687000, a float that is still an integer, so only the
// contracts' `maximum` (checked by the mock's request validation) stops it. For each API, in a body and
// in a query: 400 in the API's own error shape naming the field, and the account unchanged after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeErrors, loadBundledContract } from '../kit/contract.js';
import { startMock, type TestMock } from './test-support.js';

/** The number: above 2^53, so a double cannot hold it (it parses as 1908000530616687000). */
const HUGE = '1908000530616687152';
/** The docs' key: the quickstart's objects (dc_a1b2c3d4, gpol_abc123, grt_def456) are seeded for it. */
const DOCS_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

const debituraError = loadBundledContract('debitura-customer.json').schema('ErrorResponse');

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

/** A JSON body with HUGE written where `"@HUGE"` stands (JSON.stringify cannot write it). */
const withHuge = (body: unknown) => JSON.stringify(body).replace('"@HUGE"', HUGE);

it("the issue's number is beyond the safe integer range and parses to an integer-valued float", () => {
  const parsed = JSON.parse(HUGE) as number;
  expect(Number.isSafeInteger(parsed)).toBe(false);
  expect(Number.isInteger(parsed)).toBe(true);
  expect(String(parsed)).not.toBe(HUGE);
});

describe('CasaPay: 400 parameter_invalid naming the param, nothing stored', () => {
  const refused = async (method: string, path: string, param: string, body?: unknown) => {
    const res = await mock.call(method, path, {
      key: DOCS_KEY,
      ...(body === undefined ? {} : { body: withHuge(body) }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param });
  };
  const get = async (path: string) => (await mock.call('GET', path, { key: DOCS_KEY })).body;

  it("a guarantee's end_date (the issue's request)", async () => {
    const before = await get('/v1/guarantees/grt_def456');
    await refused('POST', '/v1/guarantees/grt_def456', 'end_date', { end_date: '@HUGE' });
    expect(await get('/v1/guarantees/grt_def456')).toEqual(before);
  });

  it.each([
    ['deductible_amount', { deductible_amount: '@HUGE' }],
    ['coverage_percentage', { coverage_percentage: '@HUGE' }],
  ])("a new policy's %s", async (param, fields) => {
    const before = await get('/v1/guarantee_policies?limit=100');
    await refused('POST', '/v1/guarantee_policies', param, {
      name: 'Huge',
      coverage_percentage: 100,
      max_coverage_months: 12,
      ...fields,
    });
    expect(await get('/v1/guarantee_policies?limit=100')).toEqual(before);
  });

  it("a debt payment's amount and payment_date", async () => {
    const before = await get('/v1/collection_cases/dc_a1b2c3d4');
    const payments = await get('/v1/debt_payments?limit=100');
    const path = '/v1/test_helpers/collection_cases/dc_a1b2c3d4/debt_payments';
    await refused('POST', path, 'amount', { amount: '@HUGE' });
    await refused('POST', path, 'payment_date', { amount: 1000, payment_date: '@HUGE' });
    expect(await get('/v1/collection_cases/dc_a1b2c3d4')).toEqual(before);
    expect(await get('/v1/debt_payments?limit=100')).toEqual(payments);
  });

  it("a claim's evidence[due_date]", async () => {
    const before = await get('/v1/claims?limit=100');
    await refused('POST', '/v1/claims', 'evidence[due_date]', {
      guarantee: 'grt_def456',
      amount: 1000,
      currency: 'eur',
      reason: 'missed_payment',
      evidence: { invoice_id: 'inv_huge', due_date: '@HUGE' },
    });
    expect(await get('/v1/claims?limit=100')).toEqual(before);
  });

  it("a test clock's frozen_time", async () => {
    const before = await get('/v1/test_helpers/test_clocks?limit=100');
    await refused('POST', '/v1/test_helpers/test_clocks', 'frozen_time', { frozen_time: '@HUGE' });
    expect(await get('/v1/test_helpers/test_clocks?limit=100')).toEqual(before);
  });

  it.each([
    ['/v1/guarantees?created[gte]=', 'created[gte]'],
    ['/v1/collection_cases?created[lt]=', 'created[lt]'],
    ['/v1/guarantee_policies?limit=', 'limit'],
  ])('the query %s…', async (prefix, param) => {
    await refused('GET', `${prefix}${HUGE}`, param);
  });

  it('a timestamp a JavaScript Date can hold is still taken (the maximum is not below it)', async () => {
    const res = await mock.call('GET', '/v1/guarantees?created[lte]=8640000000000', { key: DOCS_KEY });
    expect(res.status).toBe(200);
    expect(res.body.data.map((g: { id: string }) => g.id)).toContain('grt_def456');
  });
});

describe('Debitura: 400 in its error shape naming the field, nothing stored', () => {
  const KEY = { XApiKey: 'safe-integers' };
  const call = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${mock.url}/debitura${path}`, {
      method,
      headers: { ...KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const refused = async (method: string, path: string, param: string, body?: unknown) => {
    const res = await call(method, path, body === undefined ? undefined : withHuge(body));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(debituraError(res.body), describeErrors(debituraError.errors)).toBe(true);
    expect(res.body.error).toBe('parameter_invalid');
    expect(res.body.message).toContain(param);
  };
  const CASE = {
    currencyCode: 'EUR',
    amountToRecover: 5000,
    date: '2025-06-01',
    dueDate: '2025-07-01',
    isTest: true,
    debtor: { type: 'Company', name: 'Debtor GmbH', countryAlpha2: 'DE' },
  };

  it('customer: a case and its preview (amountToRecover, an age bucket)', async () => {
    const before = (await call('GET', '/customer/cases?PageSize=100')).body;
    await refused('POST', '/customer/cases', 'amountToRecover', { ...CASE, amountToRecover: '@HUGE' });
    await refused('POST', '/customer/cases', 'amountToRecoverOver12Months', {
      ...CASE,
      amountToRecoverOver12Months: '@HUGE',
      amountToRecoverOver24Months: 0,
    });
    await refused('POST', '/customer/cases/preview', 'amountToRecover', {
      amountToRecover: '@HUGE',
      currencyCode: 'EUR',
      debtor: { type: 'Company', name: 'Debtor GmbH', countryAlpha2: 'DE' },
    });
    expect((await call('GET', '/customer/cases?PageSize=100')).body).toEqual(before);
  });

  it("customer: a test case's Closed:Paid amount", async () => {
    const created = await call('POST', '/customer/cases', JSON.stringify(CASE));
    expect(created.status).toBe(200);
    const id = created.body.caseId ?? created.body.id;
    const before = (await call('GET', `/customer/cases/${id}`)).body;
    await refused('POST', `/customer/test/cases/${id}/advance`, 'amount', { to: 'Closed:Paid', amount: '@HUGE' });
    expect((await call('GET', `/customer/cases/${id}`)).body).toEqual(before);
  });

  it('referral: a case submitted at onboarding (cases[0][amountToRecover])', async () => {
    const before = (await call('GET', '/referral/clients')).body;
    await refused('POST', '/referral/clients', 'cases[0][amountToRecover]', {
      externalTenantId: 'tenant-huge',
      client: { name: 'Acme GmbH', country: 'DE', supportEmail: 'support@acme.example' },
      users: [{ email: 'jane@acme.example', name: 'Jane Doe' }],
      cases: [{ ...CASE, amountToRecover: '@HUGE' }],
    });
    expect((await call('GET', '/referral/clients')).body).toEqual(before);
  });

  it.each([
    ['/customer/cases?Page=', 'Page'],
    ['/customer/Payments?Page=', 'Page'],
    ['/referral/cases?Page=', 'Page'],
  ])('the query %s…', async (prefix, param) => {
    await refused('GET', `${prefix}${HUGE}`, param);
  });
});
