// Required means guaranteed: objects shaped the way CasaPay's public pages describe them (events with
// only id/object/type/data.object/created, ids with underscores after the prefix, endpoints
// subscribed to other products' events, policies and endpoints without metadata, a create response
// without enabled_events, a `whsec_` secret with other characters) validate against the contract.
// The examples are written here from the pages' descriptions, not copied. The closed view the mock
// holds itself to still rejects unknown fields, and the open contract does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeErrors } from '../kit/contract.js';
import { contract, startMock, type TestMock } from '../mocks/test-support.js';

const webhookSchema = (type: string) => contract.webhookValidator(type)!;
const expectValid = (validate: ReturnType<typeof contract.schema>, value: unknown) =>
  expect(validate(value), describeErrors(validate.errors)).toBe(true);

const shapes: [name: string, pointer: () => ReturnType<typeof contract.schema>, value: unknown][] = [
  [
    'an event with only id, object, type, data.object and created',
    () => contract.schema('Event'),
    {
      id: 'evt_dc_case_7',
      object: 'event',
      type: 'collection_case.updated',
      created: 1707000000,
      data: {
        object: {
          id: 'dc_case_7',
          object: 'collection_case',
          reference: 'K2M4P6R8',
          status: 'active',
          amount_to_recover: 250000,
          remainder: 125000,
          currency: 'eur',
        },
      },
    },
  ],
  [
    'the same minimal event as a collection_case.updated webhook payload',
    () => webhookSchema('collection_case.updated'),
    {
      id: 'evt_dc_case_7',
      object: 'event',
      type: 'collection_case.updated',
      created: 1707000000,
      data: {
        object: {
          id: 'dc_case_7',
          object: 'collection_case',
          reference: 'K2M4P6R8',
          status: 'active',
          amount_to_recover: 250000,
          remainder: 125000,
          currency: 'eur',
        },
      },
    },
  ],
  [
    'an event of a type of another CasaPay product',
    () => contract.schema('Event'),
    {
      id: 'evt_inv_42',
      object: 'event',
      type: 'invoice.paid',
      created: 1707000000,
      data: { object: { id: 'in_42', object: 'invoice' } },
    },
  ],
  [
    'a debt payment whose id and payout carry underscores',
    () => contract.schema('DebtPayment'),
    {
      id: 'dp_pay_42',
      object: 'debt_payment',
      case: 'dc_case_7',
      amount: 50000,
      currency: 'eur',
      type: 'installment',
      payment_date: 1707000000,
      payout: 'po_debt_42',
      fee_amount: 7250,
      net_amount: 42750,
      created: 1707000000,
    },
  ],
  [
    'a guarantee policy without metadata',
    () => contract.schema('GuaranteePolicy'),
    {
      id: 'gpol_std_1',
      object: 'guarantee_policy',
      name: 'Basic cover',
      coverage_percentage: 80,
      max_coverage_months: 6,
      waiting_period_days: 14,
      eligible_score_minimum: 55,
      deductible_amount: 0,
      active: true,
      created: 1707000000,
    },
  ],
  [
    "a webhook endpoint without metadata, subscribed to other products' events",
    () => contract.schema('WebhookEndpoint'),
    {
      id: 'we_prod_1',
      object: 'webhook_endpoint',
      url: 'https://receiver.example.org/hooks',
      enabled_events: ['invoice.paid', 'payment_intent.payment_failed'],
      status: 'enabled',
      api_version: '2025-01-15',
      description: 'All products',
      created: 1707000000,
    },
  ],
  [
    'a webhook endpoint create response with neither enabled_events, api_version nor description, its secret not alphanumeric',
    () => contract.responseValidator('createWebhookEndpoint', 201)!,
    {
      id: 'we_prod_2',
      object: 'webhook_endpoint',
      url: 'https://receiver.example.org/hooks',
      status: 'enabled',
      secret: 'whsec_9f8e7d...',
      created: 1707000000,
    },
  ],
  [
    "a webhook endpoint create request naming other products' events",
    () =>
      contract.validator(
        contract.operationsById.get('createWebhookEndpoint')!.requestBody!.content['application/json']!,
      ),
    {
      url: 'https://receiver.example.org/hooks',
      enabled_events: ['invoice.paid', 'payment_intent.succeeded', 'verification_session.completed'],
      description: 'Shared receiver',
    },
  ],
];

describe('objects shaped as CasaPay documents them validate', () => {
  it.each(shapes)('%s', (_name, validator, value) => expectValid(validator(), value));

  it('ill-formed event names are still refused in enabled_events', () => {
    const validate = contract.validator(
      contract.operationsById.get('createWebhookEndpoint')!.requestBody!.content['application/json']!,
    );
    for (const bad of ['invoice', 'Invoice.Paid', 'invoice..paid', '.paid', 'invoice.paid ']) {
      expect(validate({ url: 'https://x.example/h', enabled_events: [bad] }), bad).toBe(false);
    }
  });

  it('ids stay prefixed: another prefix or characters outside [A-Za-z0-9_] are refused', () => {
    const validate = contract.schema('DebtPayment');
    const payment = {
      object: 'debt_payment',
      case: 'dc_1',
      amount: 1,
      currency: 'eur',
      type: 'installment',
      payment_date: 1,
      payout: null,
      fee_amount: 0,
      net_amount: 1,
      created: 1,
    };
    for (const id of ['pay_001', 'dp_', 'dp_pay-001', 'dp_pay 001'])
      expect(validate({ ...payment, id }), id).toBe(false);
  });

  it('the contract accepts an unknown response field; the closed view the mock holds itself to rejects it', () => {
    const event = {
      id: 'evt_1',
      object: 'event',
      type: 'collection_case.updated',
      created: 1,
      data: { object: { object: 'collection_case' } },
      brand_new: true,
    };
    expect(contract.schema('Event')(event)).toBe(true);
    const closed = contract.closed().schema('Event');
    expect(closed(event)).toBe(false);
    expect(closed.errors?.[0]).toMatchObject({
      keyword: 'additionalProperties',
      params: { additionalProperty: 'brand_new' },
    });
    // Webhook payloads overlay Event with allOf: closing must not make the overlay reject Event's own fields.
    const full = {
      ...event,
      brand_new: undefined,
      api_version: '2024-11-01',
      livemode: false,
      request: { id: null, idempotency_key: null },
      pending_webhooks: 0,
      data: {
        object: {
          id: 'dc_1',
          object: 'collection_case',
          reference: 'ABCDEFGH',
          status: 'active',
          amount_to_recover: 1,
          remainder: 1,
          currency: 'eur',
          created: 1,
        },
        previous_attributes: { remainder: 2 },
      },
    };
    delete (full as Record<string, unknown>).brand_new;
    const hook = contract.closed().webhookValidator('collection_case.updated')!;
    expect(hook(full), describeErrors(hook.errors)).toBe(true);
  });
});

describe('the mock accepts the documented webhook endpoint request', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(() => mock.close());

  it("creates an endpoint subscribed to other products' event names (201, not 400) and keeps them", async () => {
    const body = {
      url: 'https://receiver.example.org/hooks',
      enabled_events: ['invoice.paid', 'payment_intent.payment_failed'],
      description: 'Shared receiver',
    };
    const created = await mock.call('POST', '/v1/webhook_endpoints', { body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.enabled_events).toEqual(body.enabled_events);
    expect(created.body.secret).toMatch(/^whsec_/);
  });
});
