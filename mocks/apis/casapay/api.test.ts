// The mock over HTTP, resource by resource: create → retrieve → list → filters → pages, errors and
// idempotency. Every response is checked against the contract by the test client (test-support.ts)
// and by the mock itself (--validate-responses).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { QUICKSTART_CASE, startMock, TEST_NOW, type TestMock } from '../../test-support.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

const withDebtor = (overrides: Record<string, unknown>, address: Record<string, unknown> = {}) => ({
  ...QUICKSTART_CASE,
  debtor: { ...QUICKSTART_CASE.debtor, ...overrides, address: { ...QUICKSTART_CASE.debtor.address, ...address } },
});

describe('authentication', () => {
  it.each([
    ['no key', null, 'api_key_missing'],
    ['a malformed key', 'nope', 'api_key_invalid'],
    ['a publishable key', 'pk_test_123', 'api_key_invalid'],
  ])('%s → 401', async (_name, key, code) => {
    const res = await mock.call('GET', '/v1/collection_cases', { key: key === null ? null : key });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ type: 'authentication_error', code });
  });

  it('keeps accounts apart', async () => {
    const created = await mock.call('POST', '/v1/collection_cases', {
      body: QUICKSTART_CASE,
      key: 'sk_test_account_a',
    });
    expect(created.status).toBe(201);
    expect(
      (await mock.call('GET', `/v1/collection_cases/${created.body.id}`, { key: 'sk_test_account_b' })).status,
    ).toBe(404);
    expect((await mock.call('GET', '/v1/collection_cases', { key: 'sk_test_account_b' })).body.data).toEqual([]);
    expect(
      (await mock.call('GET', `/v1/collection_cases/${created.body.id}`, { key: 'sk_test_account_a' })).status,
    ).toBe(200);
  });
});

describe('case previews', () => {
  const key = 'sk_test_previews';
  it.each([
    [
      "the seeds' German case",
      { debtor: { type: 'private', name: 'John Smith', country: 'DE' } },
      {
        is_eligible: true,
        pricing_preview: { base_success_fee_pct: 12.5, age_surcharge_pct: 2, total_success_fee_pct: 14.5 },
      },
    ],
    [
      'an unsupported jurisdiction',
      { debtor: { type: 'company', name: 'Acme Pty', country: 'AU' } },
      { is_eligible: false, partner_assignment: null, pricing_preview: null },
    ],
    [
      'a US debtor with a state',
      { currency: 'usd', debtor: { type: 'company', name: 'Acme Inc', country: 'US', state: 'CA' } },
      { is_eligible: true, partner_assignment: { partner_country: 'US' } },
    ],
  ])('%s', async (_name, overrides, want) => {
    const res = await mock.call('POST', '/v1/collection_case_previews', {
      key,
      body: { amount_to_recover: 360000, currency: 'eur', due_date: '2024-11-01', ...overrides },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(want);
  });

  it('agrees with the case created from the same input', async () => {
    const preview = await mock.call('POST', '/v1/collection_case_previews', {
      key,
      body: {
        amount_to_recover: 360000,
        currency: 'eur',
        due_date: '2024-11-01',
        debtor: { type: 'private', name: 'John Smith', country: 'DE' },
      },
    });
    const created = await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE });
    expect(created.body.collection_partner.name).toBe(preview.body.partner_assignment.partner_name);
    expect(created.body.success_fee_pct).toBe(preview.body.pricing_preview.total_success_fee_pct);
  });
});

describe('collection case validation', () => {
  const key = 'sk_test_validation';
  it.each([
    [
      'missing amount',
      { ...QUICKSTART_CASE, amount_to_recover: undefined },
      400,
      'parameter_missing',
      'amount_to_recover',
    ],
    ['zero amount', { ...QUICKSTART_CASE, amount_to_recover: 0 }, 400, 'parameter_invalid', 'amount_to_recover'],
    [
      'amount as a string',
      { ...QUICKSTART_CASE, amount_to_recover: '360000' },
      400,
      'parameter_invalid',
      'amount_to_recover',
    ],
    ['unknown currency', { ...QUICKSTART_CASE, currency: 'xyz' }, 400, 'parameter_invalid', 'currency'],
    ['no country anywhere', withDebtor({}, { country: undefined }), 400, 'parameter_missing', 'debtor[country]'],
    ['unassigned country', withDebtor({}, { country: 'UK' }), 400, 'parameter_invalid', 'debtor[address][country]'],
    ['countries that disagree', withDebtor({ country: 'AT' }), 400, 'parameter_invalid', 'debtor[country]'],
    ['bad debtor type', withDebtor({ type: 'person' }), 400, 'parameter_invalid', 'debtor[type]'],
    [
      'US debtor without a state',
      withDebtor({}, { country: 'US' }),
      400,
      'parameter_missing',
      'debtor[address][state]',
    ],
    [
      'US debtor in no state',
      withDebtor({}, { country: 'US', state: 'XX' }),
      400,
      'parameter_invalid',
      'debtor[address][state]',
    ],
    ['due date in the future', { ...QUICKSTART_CASE, due_date: '2026-12-01' }, 400, 'parameter_invalid', 'due_date'],
    ['due date not a date', { ...QUICKSTART_CASE, due_date: '2024-02-30' }, 400, 'parameter_invalid', 'due_date'],
    ['unknown field', { ...QUICKSTART_CASE, colour: 'red' }, 400, 'parameter_unknown', 'colour'],
    [
      'creditor reference too long',
      { ...QUICKSTART_CASE, creditor_reference: 'x'.repeat(51) },
      400,
      'parameter_invalid',
      'creditor_reference',
    ],
    [
      'no partner in the jurisdiction',
      withDebtor({}, { country: 'AU' }),
      422,
      'no_partner_available',
      'debtor[country]',
    ],
    [
      'below the minimum',
      { ...QUICKSTART_CASE, amount_to_recover: 5000 },
      422,
      'amount_below_minimum',
      'amount_to_recover',
    ],
  ])('%s', async (_name, body, status, code, param) => {
    const before = (await mock.call('GET', '/v1/collection_cases?limit=100', { key })).body.data.length;
    const res = await mock.call('POST', '/v1/collection_cases', { key, body });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, param });
    expect((await mock.call('GET', '/v1/collection_cases?limit=100', { key })).body.data.length).toBe(before);
  });

  it.each([
    ['malformed JSON', '{"amount_to_recover": ', { 'content-type': 'application/json' }, 400, 'body_invalid_json'],
    [
      'a form body',
      'amount_to_recover=1',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'content_type_unsupported',
    ],
    ['text', 'hello', { 'content-type': 'text/plain' }, 415, 'content_type_unsupported'],
  ])('%s', async (_name, body, headers, status, code) => {
    const res = await mock.call('POST', '/v1/collection_cases', { key, body, headers });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('accepts the country in debtor.country alone and returns it in both places', async () => {
    const res = await mock.call('POST', '/v1/collection_cases', {
      key,
      body: withDebtor({ country: 'NL' }, { country: undefined }),
    });
    expect(res.status).toBe(201);
    expect(res.body.debtor.country).toBe('NL');
    expect(res.body.debtor.address.country).toBe('NL');
    expect(res.body.collection_partner.name).toBe('Incasso Delta B.V.');
  });

  it('refuses an unknown route with a typed 404', async () => {
    const res = await mock.call('GET', '/v1/nothing_here', { key, unchecked: true });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('resource_not_found');
  });
});

describe('collection cases: create → retrieve → list → filters → pages', () => {
  const key = 'sk_test_cases_walk';
  const ids: string[] = [];
  beforeAll(async () => {
    const countries = ['DE', 'AT', 'NL', 'FR', 'ES', 'IT', 'GB', 'DK', 'SE', 'DE', 'AT', 'NL'];
    for (const [i, country] of countries.entries()) {
      const res = await mock.call('POST', '/v1/collection_cases', {
        key,
        body: withDebtor({ type: i % 3 === 0 ? 'company' : 'private' }, { country }),
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    await mock.call('POST', `/v1/test_helpers/collection_cases/${ids[0]}/advance`, { key, body: { status: 'paused' } });
  });

  it('retrieves by id and by reference, the same object', async () => {
    const byId = await mock.call('GET', `/v1/collection_cases/${ids[3]}`, { key });
    expect(byId.body).toMatchObject({
      id: ids[3],
      object: 'collection_case',
      status: 'active',
      remainder: 360000,
      due_date: 1730419200,
      created: TEST_NOW,
    });
    expect(byId.body.reference).toMatch(/^[A-Z0-9]{8}$/);
    const byRef = await mock.call('GET', `/v1/collection_cases/ref/${byId.body.reference}`, { key });
    expect(byRef.body).toEqual(byId.body);
    expect((await mock.call('GET', '/v1/collection_cases/ref/ZZZZZZZZ', { key })).status).toBe(404);
    expect((await mock.call('GET', '/v1/collection_cases/dc_missing', { key })).body.error.param).toBe('id');
    const tooLong = await mock.call('GET', `/v1/collection_cases/dc_${'x'.repeat(120)}`, { key });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'parameter_invalid', param: 'id' });
  });

  it('lists newest first with a default limit of 10', async () => {
    const res = await mock.call('GET', '/v1/collection_cases', { key });
    expect(res.body.data.map((c: { id: string }) => c.id)).toEqual([...ids].reverse().slice(0, 10));
    expect(res.body).toMatchObject({ object: 'list', has_more: true, url: '/v1/collection_cases' });
  });

  it.each([
    ['status', 'status=paused', (c: any) => c.status === 'paused'],
    ['debtor_country', 'debtor_country=AT', (c: any) => c.debtor.country === 'AT'],
    ['debtor_type', 'debtor_type=company', (c: any) => c.debtor.type === 'company'],
    ['created[gte] now', `created[gte]=${TEST_NOW}`, () => true],
    ['created[gt] now', `created[gt]=${TEST_NOW}`, () => false],
    ['created[lt] later', `created[lt]=${TEST_NOW + 1}`, () => true],
    ['created[lte] before', `created[lte]=${TEST_NOW - 1}`, () => false],
  ])('filter %s returns only and all matches', async (_name, query, predicate) => {
    const all = (await mock.call('GET', '/v1/collection_cases?limit=100', { key })).body.data;
    const res = await mock.call('GET', `/v1/collection_cases?limit=100&${query}`, { key });
    expect(res.body.data.map((c: any) => c.id)).toEqual(all.filter(predicate).map((c: any) => c.id));
  });

  it('pages forwards and backwards, each case once, has_more exact', async () => {
    const seen: string[] = [];
    let page = await mock.call('GET', '/v1/collection_cases?limit=5', { key });
    seen.push(...page.body.data.map((c: any) => c.id));
    while (page.body.has_more) {
      page = await mock.call('GET', `/v1/collection_cases?limit=5&starting_after=${seen.at(-1)}`, { key });
      seen.push(...page.body.data.map((c: any) => c.id));
    }
    expect(seen).toEqual([...ids].reverse());
    const back = await mock.call('GET', `/v1/collection_cases?limit=5&ending_before=${ids[4]}`, { key });
    expect(back.body.data.map((c: any) => c.id)).toEqual([ids[9], ids[8], ids[7], ids[6], ids[5]]);
    expect(back.body.has_more).toBe(true);
  });

  it.each([
    ['limit 0', 'limit=0', 'limit'],
    ['limit 101', 'limit=101', 'limit'],
    ['limit not a number', 'limit=ten', 'limit'],
    ['both cursors', 'starting_after=dc_a&ending_before=dc_b', 'ending_before'],
    ['an unknown cursor', 'starting_after=dc_unknown', 'starting_after'],
    ['a bad status', 'status=open', 'status'],
    ['an unknown parameter', 'colour=red', 'colour'],
  ])('rejects %s', async (_name, query, param) => {
    const res = await mock.call('GET', `/v1/collection_cases?${query}`, { key });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe(param);
  });

  it('keeps a timeline of what happened', async () => {
    const res = await mock.call('GET', `/v1/collection_cases/${ids[0]}/timeline`, { key });
    expect(res.body.data.map((e: any) => e.type)).toEqual(['case_created', 'case_paused']);
    expect(res.body.data[0].description).toBe('Collection case created and assigned to CollectMax GmbH');
  });
});

describe('idempotency', () => {
  const key = 'sk_test_idempotency';
  it('replays the same request and refuses a different one', async () => {
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE, headers });
    const again = await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE, headers });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await mock.call('POST', '/v1/collection_cases', {
      key,
      body: { ...QUICKSTART_CASE, amount_to_recover: 1000 },
      headers,
    });
    expect(other.status).toBe(400);
    expect(other.body.error.type).toBe('idempotency_error');
    expect((await mock.call('GET', '/v1/collection_cases', { key: 'sk_test_idempotency' })).body.data).toHaveLength(1);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const headers = { 'idempotency-key': 'slow-1' };
    const slow = mock.call('POST', '/v1/collection_cases', {
      key,
      body: QUICKSTART_CASE,
      headers: { ...headers, prefer: 'latency=300' },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const meanwhile = await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE, headers });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use' });
    const first = await slow;
    expect(first.status).toBe(201);
    const after = await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE, headers });
    expect(after.body.id).toBe(first.body.id);
  });

  it('does not store a request that failed validation', async () => {
    const headers = { 'idempotency-key': 'retry-2' };
    expect(
      (await mock.call('POST', '/v1/collection_cases', { key, body: { ...QUICKSTART_CASE, currency: 'xyz' }, headers }))
        .status,
    ).toBe(400);
    expect((await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE, headers })).status).toBe(201);
  });

  it('scopes keys to the account', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const a = await mock.call('POST', '/v1/collection_cases', {
      key: 'sk_test_idem_a',
      body: QUICKSTART_CASE,
      headers,
    });
    const b = await mock.call('POST', '/v1/collection_cases', {
      key: 'sk_test_idem_b',
      body: QUICKSTART_CASE,
      headers,
    });
    expect(b.body.id).not.toBe(a.body.id);
  });
});

describe('files', () => {
  const key = 'sk_test_files';
  let caseId: string;
  beforeAll(async () => {
    caseId = (await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE })).body.id;
  });
  const form = (
    name: string,
    bytes: Buffer | string,
    fields: Record<string, string> = { document_type: 'original_invoice' },
  ) => {
    const data = new FormData();
    data.set('file', new Blob([bytes]), name);
    for (const [k, v] of Object.entries(fields)) data.set(k, v);
    return data;
  };

  it('stores an upload and gives the same bytes back', async () => {
    const bytes = Buffer.from('%PDF-1.7 a small invoice');
    const res = await mock.call('POST', `/v1/collection_cases/${caseId}/files`, {
      key,
      body: form('../../My Invoice.pdf', bytes, {
        document_type: 'original_invoice',
        description: 'Original unpaid invoice',
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'case_file',
      case: caseId,
      filename: 'My_Invoice.pdf',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content_type: 'application/pdf',
    });
    const download = await mock.call('GET', res.body.url, { key });
    expect(Buffer.compare(download.body, bytes)).toBe(0);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    const list = await mock.call('GET', `/v1/collection_cases/${caseId}/files`, { key });
    expect(list.body.data.map((f: any) => f.id)).toEqual([res.body.id]);
    const timeline = await mock.call('GET', `/v1/collection_cases/${caseId}/timeline`, { key });
    expect(timeline.body.data.at(-1).type).toBe('file_uploaded');
  });

  it.each([
    ['an .exe', form('tool.exe', 'MZ'), 415, 'file_type_unsupported', 'file'],
    [
      'a bad document_type',
      form('a.pdf', 'x', { document_type: 'passport' }),
      400,
      'parameter_invalid',
      'document_type',
    ],
    ['no document_type', form('a.pdf', 'x', {}), 400, 'parameter_missing', 'document_type'],
  ])('refuses %s', async (_name, body, status, code, param) => {
    const res = await mock.call('POST', `/v1/collection_cases/${caseId}/files`, { key, body });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, param });
  });

  it('refuses a missing file and a JSON body', async () => {
    const data = new FormData();
    data.set('document_type', 'original_invoice');
    expect(
      (await mock.call('POST', `/v1/collection_cases/${caseId}/files`, { key, body: data })).body.error.param,
    ).toBe('file');
    expect(
      (
        await mock.call('POST', `/v1/collection_cases/${caseId}/files`, {
          key,
          body: { document_type: 'original_invoice' },
        })
      ).status,
    ).toBe(415);
  });

  it('refuses a file over 25 MB with 413', async () => {
    const res = await mock.call('POST', `/v1/collection_cases/${caseId}/files`, {
      key,
      body: form('big.pdf', Buffer.alloc(25 * 1024 * 1024 + 1)),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('file_too_large');
  });
});

describe('payments and lifecycle through test helpers', () => {
  const key = 'sk_test_lifecycle';
  it('lowers the remainder, charges the fee and closes as paid', async () => {
    const c = (await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE })).body;
    const refused = await mock.call('POST', `/v1/test_helpers/collection_cases/${c.id}/advance`, {
      key,
      body: { status: 'closed', close_code: 'paid' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('state_invalid');
    const first = await mock.call('POST', `/v1/test_helpers/collection_cases/${c.id}/debt_payments`, {
      key,
      body: { amount: 120000 },
    });
    expect(first.body).toMatchObject({
      amount: 120000,
      fee_amount: 17400,
      net_amount: 102600,
      type: 'partial_payment',
      currency: 'eur',
    });
    expect((await mock.call('GET', `/v1/collection_cases/${c.id}`, { key })).body.remainder).toBe(240000);
    const over = await mock.call('POST', `/v1/test_helpers/collection_cases/${c.id}/debt_payments`, {
      key,
      body: { amount: 240001 },
    });
    expect(over.status).toBe(422);
    await mock.call('POST', `/v1/test_helpers/collection_cases/${c.id}/debt_payments`, {
      key,
      body: { amount: 240000 },
    });
    const closed = (await mock.call('GET', `/v1/collection_cases/${c.id}`, { key })).body;
    expect(closed).toMatchObject({ status: 'closed', close_code: 'paid', remainder: 0 });
    expect(
      (
        await mock.call('POST', `/v1/test_helpers/collection_cases/${c.id}/advance`, {
          key,
          body: { status: 'active' },
        })
      ).status,
    ).toBe(422);
    const payments = await mock.call('GET', `/v1/debt_payments?case=${c.id}`, { key });
    expect(payments.body.data.map((p: any) => p.amount)).toEqual([240000, 120000]);
    expect((await mock.call('GET', `/v1/debt_payments/${first.body.id}`, { key })).body).toEqual(first.body);
    const events = await mock.call('GET', '/v1/events?limit=100', { key });
    expect(events.body.data.map((e: any) => e.type).reverse()).toEqual([
      'collection_case.created',
      'collection_case.active',
      'debt_payment.created',
      'collection_case.updated',
      'debt_payment.created',
      'collection_case.updated',
      'collection_case.updated',
      'collection_case.closed',
    ]);
    const updated = events.body.data.find((e: any) => e.type === 'collection_case.updated');
    expect(updated.data.previous_attributes).toEqual({ status: 'active', close_code: null });
  });
});

describe('guarantees and claims', () => {
  const key = 'sk_test_guarantees';
  it('computes coverage, guards claims and pays them', async () => {
    const policy = (
      await mock.call('POST', '/v1/guarantee_policies', {
        key,
        body: {
          name: 'Standard Rent Guarantee',
          coverage_percentage: 100,
          max_coverage_months: 12,
          waiting_period_days: 30,
          eligible_score_minimum: 60,
        },
      })
    ).body;
    expect(policy).toMatchObject({ object: 'guarantee_policy', active: true, deductible_amount: 0 });
    const start = TEST_NOW - 60 * 86400;
    const g = (
      await mock.call('POST', '/v1/guarantees', {
        key,
        body: {
          policy: policy.id,
          tenant: 'cus_1',
          coverage_amount: 120000,
          currency: 'eur',
          start_date: start,
          end_date: TEST_NOW + 300 * 86400,
        },
      })
    ).body;
    expect(g).toMatchObject({ status: 'active', total_coverage: 1440000, remaining_coverage: 1440000 });
    const claimBody = (over: Record<string, unknown> = {}) => ({
      guarantee: g.id,
      amount: 120000,
      currency: 'eur',
      reason: 'missed_payment',
      evidence: { due_date: start + 40 * 86400, description: 'rent unpaid' },
      ...over,
    });
    for (const [over, code] of [
      [{ currency: 'gbp' }, 'currency_mismatch'],
      [{ amount: 1440001 }, 'amount_exceeds_coverage'],
      [{ evidence: { due_date: start + 10 * 86400 } }, 'outside_coverage_period'],
    ] as const) {
      const res = await mock.call('POST', '/v1/claims', { key, body: claimBody(over) });
      expect(res.status, code).toBe(422);
      expect(res.body.error.code).toBe(code);
    }
    expect(
      (await mock.call('POST', '/v1/claims', { key, body: claimBody({ guarantee: 'grt_missing' }) })).body.error.param,
    ).toBe('guarantee');
    const claim = (await mock.call('POST', '/v1/claims', { key, body: claimBody() })).body;
    expect(claim).toMatchObject({ status: 'under_review', payout: null });
    expect((await mock.call('GET', `/v1/guarantees/${g.id}`, { key })).body).toMatchObject({
      amount_claimed: 120000,
      remaining_coverage: 1320000,
      claims_filed: 1,
    });
    expect((await mock.call('POST', `/v1/test_helpers/claims/${claim.id}/approve`, { key })).body.status).toBe(
      'approved',
    );
    const paid = (await mock.call('POST', `/v1/test_helpers/claims/${claim.id}/pay`, { key })).body;
    expect(paid.status).toBe('paid');
    expect(paid.payout).toMatch(/^po_/);
    expect((await mock.call('GET', `/v1/guarantees/${g.id}`, { key })).body).toMatchObject({
      status: 'claimed',
      amount_paid: 120000,
      claims_paid: 1,
    });
    expect((await mock.call('POST', `/v1/test_helpers/claims/${claim.id}/deny`, { key })).status).toBe(422);
    const second = (await mock.call('POST', '/v1/claims', { key, body: claimBody() })).body;
    const denied = (
      await mock.call('POST', `/v1/test_helpers/claims/${second.id}/deny`, {
        key,
        body: { denial_reason: 'Paid late' },
      })
    ).body;
    expect(denied).toMatchObject({ status: 'denied', denial_reason: 'Paid late' });
    expect((await mock.call('GET', `/v1/guarantees/${g.id}`, { key })).body.remaining_coverage).toBe(1320000);
    const cancelled = await mock.call('POST', `/v1/guarantees/${g.id}/cancel`, {
      key,
      body: { cancellation_reason: 'Lease ended' },
    });
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      canceled_at: TEST_NOW,
      cancellation_reason: 'Lease ended',
    });
    expect((await mock.call('POST', `/v1/guarantees/${g.id}/cancel`, { key })).status).toBe(422);
    expect((await mock.call('POST', '/v1/claims', { key, body: claimBody() })).body.error.code).toBe('state_invalid');
    const claims = await mock.call('GET', `/v1/claims?guarantee=${g.id}&status=paid`, { key });
    expect(claims.body.data.map((c: any) => c.id)).toEqual([claim.id]);
  });

  it('updates policies and guarantees', async () => {
    const policy = (
      await mock.call('POST', '/v1/guarantee_policies', {
        key,
        body: { name: 'P', coverage_percentage: 80, max_coverage_months: 6 },
      })
    ).body;
    const renamed = await mock.call('POST', `/v1/guarantee_policies/${policy.id}`, {
      key,
      body: { name: 'Renamed', active: false },
    });
    expect(renamed.body).toMatchObject({ name: 'Renamed', active: false });
    expect(
      (await mock.call('GET', '/v1/guarantee_policies?active=false', { key })).body.data.map((p: any) => p.id),
    ).toEqual([policy.id]);
    const refused = await mock.call('POST', '/v1/guarantees', {
      key,
      body: {
        policy: policy.id,
        tenant: 't',
        coverage_amount: 1,
        currency: 'eur',
        start_date: TEST_NOW,
        end_date: TEST_NOW + 1,
      },
    });
    expect(refused.status).toBe(422);
    expect((await mock.call('POST', `/v1/guarantee_policies/${policy.id}`, { key, body: {} })).status).toBe(400);
  });
});

describe('webhook endpoints and events', () => {
  const key = 'sk_test_endpoints';
  it('shows the secret once and keeps CRUD', async () => {
    const created = await mock.call('POST', '/v1/webhook_endpoints', {
      key,
      body: { url: 'http://127.0.0.1:9/hooks', enabled_events: ['collection_case.created'] },
    });
    expect(created.body.secret).toMatch(/^whsec_/);
    const retrieved = await mock.call('GET', `/v1/webhook_endpoints/${created.body.id}`, { key });
    expect(retrieved.body.secret).toBeUndefined();
    const updated = await mock.call('POST', `/v1/webhook_endpoints/${created.body.id}`, {
      key,
      body: { disabled: true },
    });
    expect(updated.body.status).toBe('disabled');
    expect(
      (await mock.call('POST', '/v1/webhook_endpoints', { key, body: { url: 'ftp://x', enabled_events: ['*'] } })).body
        .error.param,
    ).toBe('url');
    expect(
      (
        await mock.call('POST', '/v1/webhook_endpoints', {
          key,
          body: { url: 'https://x.test', enabled_events: ['Case Nope'] },
        })
      ).status,
    ).toBe(400);
    // Any well-formed name is accepted (an endpoint may be shared with CasaPay's other products).
    expect(
      (
        await mock.call('POST', '/v1/webhook_endpoints', {
          key,
          body: { url: 'https://x.test', enabled_events: ['invoice.paid'] },
        })
      ).status,
    ).toBe(201);
    const deleted = await mock.call('DELETE', `/v1/webhook_endpoints/${created.body.id}`, { key });
    expect(deleted.body).toEqual({ id: created.body.id, object: 'webhook_endpoint', deleted: true });
    expect((await mock.call('GET', `/v1/webhook_endpoints/${created.body.id}`, { key })).status).toBe(404);
  });

  it('lists events with type filters', async () => {
    await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE });
    const all = await mock.call('GET', '/v1/events', { key });
    expect(all.body.data.map((e: any) => e.type)).toEqual(['collection_case.active', 'collection_case.created']);
    const family = await mock.call('GET', '/v1/events?type=collection_case.*', { key });
    expect(family.body.data).toHaveLength(2);
    const some = await mock.call('GET', '/v1/events?types[]=collection_case.created', { key });
    expect(some.body.data.map((e: any) => e.type)).toEqual(['collection_case.created']);
    const one = await mock.call('GET', `/v1/events/${all.body.data[0].id}`, { key });
    expect(one.body).toEqual(all.body.data[0]);
    expect(one.body.request.id).toMatch(/^req_/);
  });

  // Issue 17, finding 15: enabled_events took `*` but refused `collection_case.*` with a raw regex.
  it('subscribes an endpoint to a family (collection_case.*), as the events filter matches it', async () => {
    const own = 'sk_test_family_endpoint';
    const endpoint = await mock.call('POST', '/v1/webhook_endpoints', {
      key: own,
      body: { url: 'http://127.0.0.1:9/family', enabled_events: ['collection_case.*'] },
    });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.enabled_events).toEqual(['collection_case.*']);
    const kase = (await mock.call('POST', '/v1/collection_cases', { key: own, body: QUICKSTART_CASE })).body;
    await mock.call('POST', `/v1/test_helpers/collection_cases/${kase.id}/debt_payments`, {
      key: own,
      body: { amount: 1000 },
    });
    const events = (await mock.call('GET', '/v1/events', { key: own })).body.data as Array<{
      id: string;
      type: string;
    }>;
    const deliveredTo = async (id: string) =>
      (await mock.call('GET', `/v1/events/${id}/webhook_deliveries`, { key: own })).body.data.map(
        (d: any) => d.webhook_endpoint,
      );
    for (const event of events) {
      expect(await deliveredTo(event.id), event.type).toEqual(
        event.type.startsWith('collection_case.') ? [endpoint.body.id] : [],
      );
    }
    expect(events.map((e) => e.type)).toContain('debt_payment.created');
  });

  it.each([['collection_case'], ['Collection_case.*'], ['collection_case.'], ['*.created'], ['collection_case.**']])(
    'refuses enabled_events [%j], saying what is allowed',
    async (name) => {
      const refused = await mock.call('POST', '/v1/webhook_endpoints', {
        key: 'sk_test_family_endpoint',
        body: { url: 'http://127.0.0.1:9/family', enabled_events: [name] },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'parameter_invalid', param: 'enabled_events[0]' });
      expect(refused.body.error.message).toMatch(
        /an event name such as `collection_case\.updated`, a family such as `collection_case\.\*`, or `\*`/,
      );
      expect(refused.body.error.message).not.toMatch(/\^|\$|\[a-z\]/);
    },
  );

  // Bug 12 of issue 17: the answer was looked up by position in the account's time-ordered events,
  // so once an event was dated after now (clock moved forward, then back) it was an older event.
  it('answers the event the test helper fired, whatever the clock did before', async () => {
    const own = 'sk_test_fire_after_clock_moved_back';
    mock.clock.shift(86_400);
    const kase = (await mock.call('POST', '/v1/collection_cases', { key: own, body: QUICKSTART_CASE })).body;
    mock.clock.shift(-86_400);
    const fired = [];
    for (let i = 0; i < 3; i++) {
      const answer = await mock.call('POST', '/v1/test_helpers/events', {
        key: own,
        body: { type: 'collection_case.updated', object: kase.id },
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        type: 'collection_case.updated',
        created: TEST_NOW,
        data: { object: { id: kase.id } },
      });
      fired.push(answer.body.id);
    }
    expect(new Set(fired).size).toBe(3);
    const stored = await Promise.all(
      fired.map(async (id) => (await mock.call('GET', `/v1/events/${id}`, { key: own })).body.type),
    );
    expect(stored).toEqual(['collection_case.updated', 'collection_case.updated', 'collection_case.updated']);
  });
});

describe('Prism fallback', () => {
  it('answers Prefer: code=…, example=… from the contract', async () => {
    const res = await mock.call('GET', '/v1/collection_cases/dc_anything', {
      key: 'sk_test_prefer',
      headers: { prefer: 'code=404' },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('resource_not_found');
    expect(res.headers.get('x-mock-source')).toBe('prism');
    const example = await mock.call('POST', '/v1/collection_case_previews', {
      key: 'sk_test_prefer',
      headers: { prefer: 'code=200, example=ineligible' },
      body: {
        amount_to_recover: 1,
        currency: 'eur',
        due_date: '2024-01-01',
        debtor: { type: 'private', name: 'x', country: 'DE' },
      },
    });
    expect(example.body.is_eligible).toBe(false);
  });
});

describe('CORS', () => {
  it('answers a preflight and exposes headers', async () => {
    const res = await fetch(`${mock.url}/v1/collection_cases`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
  });
});
