// Webhook endpoints (the secret only in the create response), events (listed, retrieved, filtered,
// each the same object webhooks deliver) and debt payments as plain resources.
import { beforeAll, expect, it } from 'vitest';
import type { components } from '../../../generated/casapay.js';
import { capability, needs } from '../../support/capability.js';
import {
  accountClock,
  caseParams,
  createCase,
  eligibleCountries,
  expectError,
  freshAccount,
  listAll,
  type Account,
  shown,
} from '../../support/fixtures.js';

type WebhookEndpoint = components['schemas']['WebhookEndpoint'];
type Event = components['schemas']['Event'];

capability('core', 'webhook endpoints, events and debt payments', () => {
  let account: Account;
  let endpoint: WebhookEndpoint;

  beforeAll(async () => {
    account = await freshAccount();
  });

  it('creates an endpoint (201) whose secret (whsec_…) is shown only on create', async () => {
    // A port nobody listens on, and an event type nothing here triggers: no delivery is attempted.
    const body = {
      url: 'http://127.0.0.1:9/conformance-never-called',
      enabled_events: ['guarantee.expired' as const],
      description: 'conformance endpoint',
    };
    const { data, response } = await account.api.POST('/v1/webhook_endpoints', { body });
    expect(response.status).toBe(201);
    endpoint = data!;
    expect(endpoint, 'the endpoint shows the url, events and description sent, enabled').toMatchObject(
      shown(
        endpoint,
        { url: body.url, enabled_events: body.enabled_events, description: body.description, status: 'enabled' },
        'WebhookEndpoint',
      ),
    );
    expect(endpoint.secret, 'the create response carries the signing secret').toMatch(/^whsec_\S+$/);
    const { data: got } = await account.api.GET('/v1/webhook_endpoints/{id}', {
      params: { path: { id: endpoint.id } },
    });
    expect(got!.secret, 'retrieve never shows the secret').toBeUndefined();
    const { secret: _secret, ...withoutSecret } = endpoint;
    expect(got, 'retrieve equals create without the secret').toEqual(withoutSecret);
    const listed = await listAll<WebhookEndpoint>(account, '/v1/webhook_endpoints');
    const mine = listed.filter((e) => e.id === endpoint.id);
    expect(mine.length, 'listed once').toBe(1);
    expect(mine[0]!.secret, 'the list never shows the secret').toBeUndefined();
  });

  it('two endpoints get two different ids and secrets', async () => {
    const body = { url: 'http://127.0.0.1:9/conformance-never-called', enabled_events: ['guarantee.expired' as const] };
    const [a, b] = await Promise.all([
      account.api.POST('/v1/webhook_endpoints', { body }),
      account.api.POST('/v1/webhook_endpoints', { body }),
    ]);
    expect([a.response.status, b.response.status], 'two creates').toEqual([201, 201]);
    expect(a.data!.id, 'ids differ').not.toBe(b.data!.id);
    expect(a.data!.secret, "secrets differ (a shared secret would let one endpoint forge the other's events)").not.toBe(
      b.data!.secret,
    );
    // Positive control: both endpoints exist (a stateless answer would mint two ids without storing either).
    for (const e of [a.data!, b.data!]) {
      const { data, response } = await account.api.GET('/v1/webhook_endpoints/{id}', {
        params: { path: { id: e.id } },
      });
      expect(response.status, `the endpoint ${e.id} is retrievable`).toBe(200);
      expect(data!.id, `retrieving ${e.id} answers that endpoint`).toBe(e.id);
    }
    for (const e of [a.data!, b.data!])
      await account.api.DELETE('/v1/webhook_endpoints/{id}', { params: { path: { id: e.id } } });
  });

  it('updates (disable) and deletes the endpoint; a deleted endpoint is 404', async (ctx) => {
    needs(ctx, endpoint, 'the endpoint of "creates an endpoint"');
    const { data, response } = await account.api.POST('/v1/webhook_endpoints/{id}', {
      params: { path: { id: endpoint.id } },
      body: { disabled: true, description: 'paused' },
    });
    expect(response.status).toBe(200);
    expect(data, 'the update disables the endpoint and changes its description').toMatchObject(
      shown(data, { id: endpoint.id, status: 'disabled', description: 'paused' }, 'WebhookEndpoint'),
    );
    expect(data!.secret, 'update never shows the secret').toBeUndefined();
    const { data: deleted, response: del } = await account.api.DELETE('/v1/webhook_endpoints/{id}', {
      params: { path: { id: endpoint.id } },
    });
    expect(del.status).toBe(200);
    expect(deleted, 'the delete names the endpoint, deleted: true').toMatchObject({ id: endpoint.id, deleted: true });
    expectError(
      await account.api.GET('/v1/webhook_endpoints/{id}', { params: { path: { id: endpoint.id } } }),
      { status: 404, code: 'resource_not_found' },
      'after delete',
    );
    const listed = await listAll<WebhookEndpoint>(account, '/v1/webhook_endpoints');
    expect(
      listed.map((e) => e.id),
      'a deleted endpoint is not listed',
    ).not.toContain(endpoint.id);
  });

  it('creating a case records a collection_case.created event, listed and retrievable', async () => {
    const { now } = await accountClock(account);
    const [country] = await eligibleCountries(account, now);
    const created = await createCase(account, caseParams(now, { country }));
    const events = await listAll<Event>(account, '/v1/events', { type: 'collection_case.created' });
    expect(
      events.every((e) => e.type === 'collection_case.created'),
      'the type filter lists only that type',
    ).toBe(true);
    const mine = events.filter((e) => (e.data.object as { id?: string }).id === created.id);
    expect(mine.length, 'one collection_case.created event for the new case').toBe(1);
    const event = mine[0]!;
    expect(event.data.object, 'the event carries the case as created').toMatchObject({
      id: created.id,
      object: 'collection_case',
      reference: created.reference,
    });
    const { data: got, response } = await account.api.GET('/v1/events/{id}', { params: { path: { id: event.id } } });
    expect(response.status).toBe(200);
    expect({ ...got!, pending_webhooks: 0 }, 'retrieve equals the listed event').toEqual({
      ...event,
      pending_webhooks: 0,
    });
    const { data: deliveries, response: d } = await account.api.GET('/v1/events/{id}/webhook_deliveries', {
      params: { path: { id: event.id } },
    });
    expect(d.status).toBe(200);
    // A fresh account has no endpoint subscribed to the event: its delivery list is empty and says so.
    if (account.isolated) {
      expect(deliveries!.data, 'no endpoint subscribed to the event, no delivery').toEqual([]);
      expect(deliveries!.has_more, 'an empty list has no more').toBe(false);
    }
    for (const delivery of deliveries!.data) expect(delivery.event, "each delivery is of the event's").toBe(event.id);
    expect(deliveries!.url, 'the delivery list url is its own path').toBe(`/v1/events/${event.id}/webhook_deliveries`);
    expectError(
      await account.api.GET('/v1/events/{id}', { params: { path: { id: 'evt_doesnotexist0' } } }),
      { status: 404, code: 'resource_not_found' },
      'unknown event',
    );
  });

  it('debt payments list by case (empty for a new case) and unknown ids are 404', async () => {
    const { now } = await accountClock(account);
    const [country] = await eligibleCountries(account, now);
    const created = await createCase(account, caseParams(now, { country }));
    const { data, response } = await account.api.GET('/v1/debt_payments', { params: { query: { case: created.id } } });
    expect(response.status).toBe(200);
    expect(data!.data, 'a new case has no payments').toEqual([]);
    expect(data!.has_more, 'an empty list has no more').toBe(false);
    expectError(
      await account.api.GET('/v1/debt_payments/{id}', { params: { path: { id: 'dp_doesnotexist0' } } }),
      { status: 404, code: 'resource_not_found' },
      'unknown payment',
    );
  });
});
