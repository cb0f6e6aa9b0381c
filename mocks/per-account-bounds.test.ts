// What one key can make the mock hold, beyond accounts (--max-accounts): stored objects
// (--max-objects, creates refused with 400 in the API's own shape, nothing changed), events
// (--max-events, a window: the oldest go with their deliveries) and idempotency keys
// (--max-idempotency-keys, the oldest completed forgotten). Each cap is set small here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from './engine/clock.js';
import { describeErrors, loadBundledContract } from '../kit/contract.js';
import { createMockEngine } from './server.js';
import { IdempotencyCache } from './engine/state/idempotency.js';
import { CASAPAY_CREATES } from './apis/casapay/module.js';
import { DEBITURA_CREATES } from './apis/debitura/module.js';
import { debituraAccount } from './apis/debitura/state.js';
import { QUICKSTART_CASE, TEST_NOW, contract, startMock, type TestMock } from './test-support.js';
import { casapayAccount } from './apis/casapay/state.js';

const referral = loadBundledContract('debitura-referral.json');
const customer = loadBundledContract('debitura-customer.json');
const POLICY = (name: string) => ({ name, coverage_percentage: 100, max_coverage_months: 6 });
const DEBITURA_CASE = {
  currencyCode: 'EUR',
  amountToRecover: 5000.0,
  date: '2025-06-01',
  dueDate: '2025-07-01',
  claimDescription: 'Invoice INV-2025-001',
  debtor: { type: 'Company', name: 'Debtor GmbH', countryAlpha2: 'DE' },
};

describe('--max-objects', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startMock({ maxObjects: 3 });
  });
  afterAll(() => mock.close());

  it('CasaPay: a create beyond the cap is 400 resource_limit_reached naming the limit and the flag, and changes nothing', async () => {
    const key = 'sk_test_object_cap';
    expect(
      (
        await mock.call('POST', '/v1/guarantee_policies', {
          key,
          body: POLICY('one'),
          headers: { 'Idempotency-Key': 'policy-1' },
        })
      ).status,
    ).toBe(201);
    expect(
      (await mock.call('POST', '/v1/test_helpers/test_clocks', { key, body: { frozen_time: TEST_NOW } })).status,
    ).toBe(201);
    const kase = await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE });
    expect(kase.status).toBe(201);
    const account = casapayAccount(mock.sandbox.store.peek(key)!);
    expect(mock.sandbox.storedObjects(account)).toBe(3);
    const events = account.events.size;

    const refused = await mock.call('POST', '/v1/collection_cases', {
      key,
      body: QUICKSTART_CASE,
      headers: { 'Idempotency-Key': 'case-2' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_limit_reached' });
    expect(refused.body.error.message).toMatch(/at most 3 stored objects/);
    expect(refused.body.error.message).toMatch(/--max-objects/);
    expect((await mock.call('POST', '/v1/guarantee_policies', { key, body: POLICY('two') })).body.error.code).toBe(
      'resource_limit_reached',
    );
    expect(mock.sandbox.storedObjects(account)).toBe(3);
    expect(account.events.size).toBe(events);
    expect((await mock.call('GET', '/v1/collection_cases', { key })).body.data).toHaveLength(1);
    // The refusal did not keep its key (a retry is judged afresh), and an earlier create still replays.
    expect(mock.sandbox.idempotency.size(key)).toBe(1);
    const replay = await mock.call('POST', '/v1/guarantee_policies', {
      key,
      body: POLICY('one'),
      headers: { 'Idempotency-Key': 'policy-1' },
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    // Reads and updates still work at the cap; another account has its own.
    expect((await mock.call('GET', `/v1/collection_cases/${kase.body.id}`, { key })).status).toBe(200);
    expect(
      (await mock.call('POST', '/v1/guarantee_policies', { key: 'sk_test_object_cap_other', body: POLICY('x') }))
        .status,
    ).toBe(201);
  });

  it("Debitura: a create beyond the cap is 400 in Debitura's shape, and changes nothing", async () => {
    const XApiKey = 'partner_object_cap';
    const call = async (body: unknown) => {
      const response = await fetch(`${mock.url}/debitura/referral/webhooks`, {
        method: 'POST',
        headers: { XApiKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    let answer = await call({ url: 'https://receiver.example/hook?n=0', events: ['case.created'] });
    const account = mock.sandbox.store.peek(`debitura:${XApiKey}`)!;
    for (let n = 1; answer.status === 201 && n < 10; n++)
      answer = await call({ url: `https://receiver.example/hook?n=${n}`, events: ['case.created'] });
    expect(answer.status).toBe(400);
    const errorShape = referral.schema('ErrorResponse');
    expect(errorShape(answer.body), describeErrors(errorShape.errors)).toBe(true);
    expect(answer.body).toMatchObject({ error: 'resource_limit_reached' });
    expect(answer.body.message).toMatch(/at most 3 stored objects.*--max-objects/);
    expect(mock.sandbox.storedObjects(account)).toBe(3);
  });

  it('every operation that stores objects is counted (a new create in a contract must be added here or to the exceptions)', () => {
    const creates = (document: any, exceptions: string[]) =>
      Object.values(document.paths as Record<string, Record<string, any>>)
        .flatMap((item) => Object.values(item))
        .filter((op) => op?.responses?.['201'] && !exceptions.includes(op.operationId))
        .map((op) => op.operationId as string);
    // fireEvent stores an event (its own window); a KYC submission replaces the client's record.
    for (const id of creates(contract.document, ['fireEvent', 'createEventWebhookDelivery']))
      expect(CASAPAY_CREATES, id).toContain(id);
    for (const id of creates(referral.document, ['submitKycVerification'])) expect(DEBITURA_CREATES, id).toContain(id);
    for (const id of creates(customer.document, [])) expect(DEBITURA_CREATES, id).toContain(id);
    // Debitura's case create and uploads answer 200.
    for (const id of ['createCase', 'uploadCaseFile', 'uploadPartnerCaseFile']) expect(DEBITURA_CREATES).toContain(id);
  });
});

describe('--max-events', () => {
  // A receiver that never answers: every delivery stays in flight or queued until forgotten.
  const held: http.ServerResponse[] = [];
  const receiver = http.createServer((_request, response) => void held.push(response));
  let receiverUrl: string;
  let mock: TestMock;
  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    mock = await startMock({ maxEvents: 3, webhookConcurrency: 1 });
  });
  afterAll(async () => {
    await mock.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('CasaPay: the oldest events go, with their deliveries; a dropped id 404s and as a cursor is a 400 naming it', async () => {
    const key = 'sk_test_event_window';
    expect(
      (await mock.call('POST', '/v1/webhook_endpoints', { key, body: { url: receiverUrl, enabled_events: ['*'] } }))
        .status,
    ).toBe(201);
    const kase = await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE });
    const fired: string[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await mock.call('POST', '/v1/test_helpers/events', {
        key,
        body: { type: 'collection_case.updated', object: kase.body.id },
      });
      expect(answer.status).toBe(201);
      fired.push(answer.body.id);
    }
    const list = await mock.call('GET', '/v1/events?limit=100', { key });
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual(fired.slice(-3).reverse());
    expect((await mock.call('GET', `/v1/events/${fired[0]}`, { key })).status).toBe(404);
    const cursor = await mock.call('GET', `/v1/events?starting_after=${fired[0]}`, { key });
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.param).toBe('starting_after');
    // Only the kept events' deliveries remain (one endpoint: one delivery each), whatever the receiver does.
    const { dispatcher, eventsWithDeliveries } = mock.sandbox.retained;
    expect(eventsWithDeliveries).toBe(3);
    expect(dispatcher.events).toBe(3);
    expect(dispatcher.unfinished).toBe(3);
  });

  it("Debitura: the partner's event log keeps the newest events", async () => {
    const XApiKey = 'partner_event_window';
    const post = async (path: string, headers: Record<string, string>, body: unknown) => {
      const response = await fetch(`${mock.url}/debitura${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    expect(
      (
        await post(
          '/referral/clients',
          { XApiKey },
          {
            externalTenantId: 'tenant-1',
            client: { name: 'Acme GmbH', country: 'DE', supportEmail: 'support@acme.example' },
            users: [{ email: 'jane+signed@acme.example', name: 'Jane Doe' }],
          },
        )
      ).status,
    ).toBe(201);
    const token = await post('/referral/oauth/token', { XApiKey }, { externalTenantId: 'tenant-1' });
    for (let i = 0; i < 4; i++)
      expect(
        (
          await post(
            '/customer/cases',
            { Authorization: `Bearer ${token.body.accessToken}` },
            { ...DEBITURA_CASE, creditorReference: `ref-${i}` },
          )
        ).status,
      ).toBe(200);
    const world = debituraAccount(mock.sandbox.store.peek(`debitura:${XApiKey}`)!).debitura!;
    expect(world.cases.size).toBe(4);
    expect(world.events).toHaveLength(3);
    const newest = [...world.cases.values()].at(-1)!.case.id;
    expect(world.events.at(-1)!.caseId).toBe(newest);
  });
});

it("scheduled tasks grow only with objects: moving a guarantee's end_date replaces its expiry task", async () => {
  const mock = await startMock();
  try {
    const key = 'sk_test_schedule_growth';
    const policy = (await mock.call('POST', '/v1/guarantee_policies', { key, body: POLICY('p') })).body;
    const g = (
      await mock.call('POST', '/v1/guarantees', {
        key,
        body: {
          policy: policy.id,
          tenant: 'cus_1',
          coverage_amount: 120000,
          currency: 'eur',
          start_date: TEST_NOW,
          end_date: TEST_NOW + 300 * 86400,
        },
      })
    ).body;
    const schedule = mock.sandbox.store.peek(key)!.schedule;
    const tasks = schedule.size;
    for (let day = 301; day < 311; day++)
      expect(
        (await mock.call('POST', `/v1/guarantees/${g.id}`, { key, body: { end_date: TEST_NOW + day * 86400 } })).status,
      ).toBe(200);
    expect(schedule.size).toBe(tasks);
    const expiries = schedule.list().filter((t) => t.kind === 'guarantee.expire');
    expect(expiries.map((t) => t.at)).toEqual([TEST_NOW + 310 * 86400]);
  } finally {
    await mock.close();
  }
});

describe('--max-idempotency-keys', () => {
  it('forgets the oldest completed key of the account first, never one in flight, and counts each account apart', () => {
    const cache = new IdempotencyCache(() => 0, 2);
    expect(cache.begin('a', 'inflight', 'p').kind).toBe('new');
    expect(cache.begin('a', 'k1', 'p1').kind).toBe('new');
    cache.complete('a', 'k1', { status: 201, body: 1 });
    expect(cache.begin('a', 'k2', 'p2').kind).toBe('new');
    cache.complete('a', 'k2', { status: 201, body: 2 });
    expect(cache.size('a')).toBe(2);
    // k1 was forgotten (the oldest completed), the reservation in flight kept.
    expect(cache.begin('a', 'inflight', 'p').kind).toBe('in_flight');
    expect(cache.begin('a', 'k2', 'p2')).toEqual({ kind: 'replay', response: { status: 201, body: 2 } });
    expect(cache.begin('b', 'k1', 'other').kind).toBe('new');
    expect(cache.size('a')).toBe(2);
    expect(cache.begin('a', 'k1', 'another body').kind).toBe('new');
  });

  it('over HTTP: a key beyond the cap runs afresh', async () => {
    const mock = await startMock({ maxIdempotencyKeys: 1 });
    try {
      const key = 'sk_test_idempotency_cap';
      const first = await mock.call('POST', '/v1/guarantee_policies', {
        key,
        body: POLICY('p'),
        headers: { 'Idempotency-Key': 'A' },
      });
      expect(
        (
          await mock.call('POST', '/v1/guarantee_policies', {
            key,
            body: POLICY('p'),
            headers: { 'Idempotency-Key': 'B' },
          })
        ).status,
      ).toBe(201);
      const again = await mock.call('POST', '/v1/guarantee_policies', {
        key,
        body: POLICY('p'),
        headers: { 'Idempotency-Key': 'A' },
      });
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(first.body.id);
      expect(mock.sandbox.idempotency.size(key)).toBe(1);
    } finally {
      await mock.close();
    }
  });
});

it('defaults: unbounded on loopback, bounded when shared or with an admin token; flags override', async () => {
  const clock = createClock({ start: TEST_NOW, frozen: true });
  const options = async (extra: Parameters<typeof createMockEngine>[0]) => {
    const engine = await createMockEngine({ logLevel: 'silent', clock, ...extra });
    const { maxObjects, maxEvents, maxIdempotencyKeys } = engine.sandbox.options;
    await engine.close();
    return { maxObjects, maxEvents, maxIdempotencyKeys };
  };
  expect(await options({})).toEqual({ maxObjects: undefined, maxEvents: undefined, maxIdempotencyKeys: undefined });
  expect(await options({ adminToken: 'a-long-token' })).toEqual({
    maxObjects: 100_000,
    maxEvents: 10_000,
    maxIdempotencyKeys: 10_000,
  });
  expect(await options({ adminToken: 'a-long-token', maxObjects: 7, maxEvents: 8, maxIdempotencyKeys: 9 })).toEqual({
    maxObjects: 7,
    maxEvents: 8,
    maxIdempotencyKeys: 9,
  });
  await expect(createMockEngine({ logLevel: 'silent', maxEvents: 0 })).rejects.toThrow(
    /max events must be a whole number/,
  );
});
