// Lifecycles over HTTP on a test clock: magic debtor names script a case's future, and webhook
// endpoints registered through the API receive only the events they enabled, signed with their own
// secret, with a delivery log readable through the API.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUICKSTART_CASE, startMock, TEST_NOW, type TestMock } from '../../test-support.js';
import { verifySignature } from '../../../kit/webhook-signature.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

const DAY = 86400;

describe('magic debtor names', () => {
  it.each([
    [
      'Pays In Full',
      { status: 'closed', close_code: 'paid', remainder: 0 },
      ['case_created', 'demand_letter_sent', 'payment_received', 'case_closed'],
    ],
    [
      'Pays Partially',
      { status: 'closed', close_code: 'partially_paid', remainder: 90000 },
      ['case_created', 'demand_letter_sent', 'payment_received', 'payment_received', 'case_closed'],
    ],
    [
      'Untraceable',
      { status: 'closed', close_code: 'debtor_untraceable', remainder: 360000 },
      ['case_created', 'demand_letter_sent', 'case_closed'],
    ],
    [
      'Insolvent',
      { status: 'closed', close_code: 'debtor_insolvent_bankrupt', remainder: 360000 },
      ['case_created', 'demand_letter_sent', 'case_closed'],
    ],
    [
      'Needs Details',
      { status: 'needs_details', close_code: null, remainder: 360000 },
      ['case_created', 'demand_letter_sent', 'details_requested'],
    ],
    [
      'Ordinary Name',
      { status: 'active', close_code: null, remainder: 360000 },
      ['case_created', 'demand_letter_sent'],
    ],
  ])('%s', async (name, want, timeline) => {
    const key = `sk_test_magic_${name.replace(/ /g, '_')}`;
    const clock = (await mock.call('POST', '/v1/test_helpers/test_clocks', { key, body: { frozen_time: TEST_NOW } }))
      .body;
    const c = (
      await mock.call('POST', '/v1/collection_cases', {
        key,
        body: { ...QUICKSTART_CASE, debtor: { ...QUICKSTART_CASE.debtor, name: `${name} GmbH` }, test_clock: clock.id },
      })
    ).body;
    expect(c.test_clock).toBe(clock.id);
    await mock.call('POST', `/v1/test_helpers/test_clocks/${clock.id}/advance`, {
      key,
      body: { frozen_time: TEST_NOW + 40 * DAY },
    });
    expect((await mock.call('GET', `/v1/collection_cases/${c.id}`, { key })).body).toMatchObject(want);
    expect(
      (await mock.call('GET', `/v1/collection_cases/${c.id}/timeline`, { key })).body.data.map((e: any) => e.type),
    ).toEqual(timeline);
  });

  it('an unsigned contract blocks unless pending contracts are allowed', async () => {
    const key = 'sk_test_magic_unsigned';
    const body = { ...QUICKSTART_CASE, debtor: { ...QUICKSTART_CASE.debtor, name: 'Unsigned Contract Ltd' } };
    const preview = await mock.call('POST', '/v1/collection_case_previews', {
      key,
      body: {
        amount_to_recover: 360000,
        currency: 'eur',
        due_date: '2024-11-01',
        debtor: { type: 'company', name: 'Unsigned Contract Ltd', country: 'DE' },
      },
    });
    expect(preview.body).toMatchObject({
      is_eligible: false,
      required_actions: [{ type: 'contract_signing', is_blocking: true }],
    });
    const refused = await mock.call('POST', '/v1/collection_cases', { key, body });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'missing_debt_collection_contract',
      solution_url: 'https://dashboard.casapay.com/contracts/sign',
    });
    const pending = await mock.call('POST', '/v1/collection_cases', {
      key,
      body: { ...body, allow_pending_contracts: true },
    });
    expect(pending.body.status).toBe('pending_verification');
  });
});

describe('claims on the clock', () => {
  it('are approved after 5 business days and paid the next business day, or denied by magic', async () => {
    const key = 'sk_test_claim_clock';
    // 2026-11-25 is a Wednesday: 5 business days later is Wednesday 2026-12-02, payout Thursday.
    const clock = (await mock.call('POST', '/v1/test_helpers/test_clocks', { key, body: { frozen_time: TEST_NOW } }))
      .body;
    const policy = (
      await mock.call('POST', '/v1/guarantee_policies', {
        key,
        body: { name: 'P', coverage_percentage: 100, max_coverage_months: 12 },
      })
    ).body;
    const g = (
      await mock.call('POST', '/v1/guarantees', {
        key,
        body: {
          policy: policy.id,
          tenant: 't',
          coverage_amount: 100000,
          currency: 'eur',
          start_date: TEST_NOW - 90 * DAY,
          end_date: TEST_NOW + 300 * DAY,
          test_clock: clock.id,
        },
      })
    ).body;
    const claim = (description: string) =>
      mock.call('POST', '/v1/claims', {
        key,
        body: {
          guarantee: g.id,
          amount: 50000,
          currency: 'eur',
          reason: 'missed_payment',
          evidence: { due_date: TEST_NOW - 10 * DAY, description },
        },
      });
    const approved = (await claim('October rent')).body;
    const denied = (await claim('please deny this one')).body;
    expect(approved.review_due_by).toBe(TEST_NOW + 7 * DAY);
    await mock.call('POST', `/v1/test_helpers/test_clocks/${clock.id}/advance`, {
      key,
      body: { frozen_time: TEST_NOW + 7 * DAY },
    });
    expect((await mock.call('GET', `/v1/claims/${approved.id}`, { key })).body).toMatchObject({
      status: 'approved',
      reviewed_at: TEST_NOW + 7 * DAY,
    });
    expect((await mock.call('GET', `/v1/claims/${denied.id}`, { key })).body.status).toBe('denied');
    await mock.call('POST', `/v1/test_helpers/test_clocks/${clock.id}/advance`, {
      key,
      body: { frozen_time: TEST_NOW + 8 * DAY },
    });
    expect((await mock.call('GET', `/v1/claims/${approved.id}`, { key })).body.status).toBe('paid');
    expect((await mock.call('GET', `/v1/guarantees/${g.id}`, { key })).body).toMatchObject({
      status: 'claimed',
      amount_paid: 50000,
      remaining_coverage: 1150000,
    });
    expect(
      (
        await mock.call('POST', `/v1/test_helpers/test_clocks/${clock.id}/advance`, {
          key,
          body: { frozen_time: TEST_NOW },
        })
      ).status,
    ).toBe(400);
  });
});

describe('webhook endpoints', () => {
  let receiver: http.Server;
  let url: string;
  const got: Array<{ raw: string; signature: string }> = [];
  let status = 200;
  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        got.push({ raw, signature: String(req.headers['x-casapay-signature']) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('deliver only enabled events, signed with the endpoint secret, and log every attempt', async () => {
    const key = 'sk_test_endpoint_delivery';
    const endpoint = (
      await mock.call('POST', '/v1/webhook_endpoints', {
        key,
        body: { url, enabled_events: ['debt_payment.created', 'collection_case.closed'] },
      })
    ).body;
    const c = (await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE })).body;
    await mock.call('POST', `/v1/test_helpers/collection_cases/${c.id}/debt_payments`, {
      key,
      body: { amount: 360000 },
    });
    await mock.sandbox.dispatcher.idle();
    const events = got.map((d) => JSON.parse(d.raw));
    expect(events.map((e) => e.type)).toEqual(['debt_payment.created', 'collection_case.closed']);
    for (const d of got) expect(verifySignature(d.raw, d.signature, endpoint.secret)).toBe(true);
    const deliveries = await mock.call('GET', `/v1/events/${events[0].id}/webhook_deliveries`, { key });
    expect(deliveries.body.data).toMatchObject([
      { status: 'succeeded', webhook_endpoint: endpoint.id, attempts: [{ status_code: 200, error: null }] },
    ]);
    expect((await mock.call('GET', `/v1/events/${events[0].id}`, { key })).body.pending_webhooks).toBe(0);
    expect((await mock.call('GET', '/v1/events?delivery_success=false', { key })).body.data).toEqual([]);
    const all = (await mock.call('GET', '/v1/events?limit=100', { key })).body.data;
    expect((await mock.call('GET', '/v1/events?limit=100&delivery_success=true', { key })).body.data).toEqual(all);
  });

  it('retry a failing receiver and record the failure', async () => {
    const key = 'sk_test_endpoint_failing';
    got.length = 0;
    status = 500;
    await mock.call('POST', '/v1/webhook_endpoints', {
      key,
      body: { url, enabled_events: ['collection_case.created'] },
    });
    await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE });
    await mock.sandbox.dispatcher.idle();
    status = 200;
    expect(got).toHaveLength(3); // the first attempt and the two retries of the test schedule
    const event = (await mock.call('GET', '/v1/events?type=collection_case.created', { key })).body.data[0];
    const log = (await mock.call('GET', `/v1/events/${event.id}/webhook_deliveries`, { key })).body.data[0];
    expect(log).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(log.attempts.map((a: any) => a.status_code)).toEqual([500, 500, 500]);
    expect(
      (await mock.call('GET', '/v1/events?delivery_success=false', { key })).body.data.map((e: any) => e.id),
    ).toEqual([event.id]);
  });
});
