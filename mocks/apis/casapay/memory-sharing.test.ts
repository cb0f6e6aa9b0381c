// What keeps a stored case and its webhooks small (issue 24; scripts/memory-profile.ts measures the
// bytes): the case's events hold the case itself, not copies; a new case keeps no timeline entry of its
// own (its first entry is read from the case as created) and its timeline still reads exactly as it
// did; and CasaPay's event log stops following an event once its deliveries are done. Each assertion
// here fails if that sharing is lost, whatever the answers on the wire (the contract tests guard those).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../engine/clock.js';
import { createMockEngine, type MockEngine } from '../../server.js';
import { QUICKSTART_CASE, TEST_NOW } from '../../test-support.js';
import { casapayAccount } from './state.js';
import { timelineOf } from './timelines.js';

let engine: MockEngine;
let receiver: http.Server;
let receiverUrl: string;

beforeAll(async () => {
  engine = await createMockEngine({
    logLevel: 'silent',
    seed: 'memory-sharing',
    validateResponses: true,
    clock: createClock({ start: TEST_NOW, frozen: true }),
    webhookRetryDelaysMs: [],
  });
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
});
afterAll(async () => {
  await engine.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function call(key: string, method: 'GET' | 'POST', url: string, body?: unknown) {
  const answer = await engine.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: answer.statusCode, body: answer.json() };
}

describe('a stored case and its events', () => {
  it('the events of a create hold the stored case itself, and share one `data`', async () => {
    const key = 'sk_test_sharing_events';
    const created = await call(key, 'POST', '/v1/collection_cases', QUICKSTART_CASE);
    expect(created.status).toBe(201);
    const account = casapayAccount(engine.sandbox.store.peek(key)!);
    const stored = account.cases.get(created.body.id)!;
    const events = account.events.values().filter((e) => (e.data.object as { id?: string }).id === stored.id);
    expect(events.map((e) => e.type)).toEqual(['collection_case.created', 'collection_case.active']);
    for (const event of events) expect(event.data.object).toBe(stored);
    expect(events[0]!.data).toBe(events[1]!.data);
    // Still the same bytes on the wire as the case's own.
    const listed = await call(key, 'GET', '/v1/events?limit=2');
    expect(listed.body.data[0].data.object).toEqual(created.body);
  });

  it('a new case keeps no timeline entry of its own, and its timeline reads as its creation wrote it', async () => {
    const key = 'sk_test_sharing_timeline';
    const created = await call(key, 'POST', '/v1/collection_cases', QUICKSTART_CASE);
    const account = casapayAccount(engine.sandbox.store.peek(key)!);
    // The case as created stands for its timeline: no entry, list or text per case.
    expect(account.timelines.get(created.body.id)).toBe(account.cases.get(created.body.id));
    const timeline = await call(key, 'GET', `/v1/collection_cases/${created.body.id}/timeline`);
    expect(timeline.body.data).toEqual([
      {
        date: TEST_NOW,
        type: 'case_created',
        title: 'Case submitted',
        description: 'Collection case created and assigned to CollectMax GmbH',
      },
    ]);
  });

  it('a pending case moved to active keeps its creation entry as written then, and the move after it', async () => {
    const key = 'sk_test_sharing_pending';
    const body = { ...QUICKSTART_CASE, debtor: { ...QUICKSTART_CASE.debtor, name: 'Unsigned Contract Ltd' } };
    const created = await call(key, 'POST', '/v1/collection_cases', { ...body, allow_pending_contracts: true });
    expect(created.body.status).toBe('pending_verification');
    const waiting = 'Collection case created; waiting for a contract signature before CollectMax GmbH starts';
    const before = await call(key, 'GET', `/v1/collection_cases/${created.body.id}/timeline`);
    expect(before.body.data.map((e: { description: string }) => e.description)).toEqual([waiting]);
    const moved = await call(key, 'POST', `/v1/test_helpers/collection_cases/${created.body.id}/advance`, {
      status: 'active',
    });
    expect(moved.body.status).toBe('active');
    const after = await call(key, 'GET', `/v1/collection_cases/${created.body.id}/timeline`);
    expect(after.body.data[0]).toEqual(before.body.data[0]);
    expect(after.body.data.length).toBe(2);
    // The second entry made a list of its own; the admin dump shows the same entries.
    const account = casapayAccount(engine.sandbox.store.peek(key)!);
    expect(Array.isArray(account.timelines.get(created.body.id))).toBe(true);
    expect(timelineOf(account.timelines, created.body.id)).toEqual(after.body.data);
  });
});

describe('delivery logs', () => {
  it('an event is followed while a delivery is pending, then only its log is kept; a resend follows it again', async () => {
    const key = 'sk_test_sharing_deliveries';
    const endpoint = await call(key, 'POST', '/v1/webhook_endpoints', { url: receiverUrl, enabled_events: ['*'] });
    expect(endpoint.status).toBe(201);
    const before = engine.sandbox.retained.eventsWithDeliveries as number;
    await call(key, 'POST', '/v1/collection_cases', QUICKSTART_CASE);
    await engine.sandbox.dispatcher.idle();
    const events = (await call(key, 'GET', '/v1/events?limit=2')).body.data as Array<{ id: string }>;
    for (const event of events) {
      const log = await call(key, 'GET', `/v1/events/${event.id}/webhook_deliveries`);
      expect(log.body.data.map((d: { status: string }) => d.status)).toEqual(['succeeded']);
      expect((await call(key, 'GET', `/v1/events/${event.id}`)).body.pending_webhooks).toBe(0);
    }
    expect(engine.sandbox.retained.eventsWithDeliveries).toBe(before);
    const resent = await call(key, 'POST', `/v1/events/${events[0]!.id}/webhook_deliveries`, {
      webhook_endpoint: endpoint.body.id,
    });
    expect(resent.status).toBe(201);
    expect((await call(key, 'GET', `/v1/events/${events[0]!.id}`)).body.pending_webhooks).toBe(1);
    await engine.sandbox.dispatcher.idle();
    expect((await call(key, 'GET', `/v1/events/${events[0]!.id}`)).body.pending_webhooks).toBe(0);
    expect(
      (await call(key, 'GET', `/v1/events/${events[0]!.id}/webhook_deliveries`)).body.data.map(
        (d: { status: string }) => d.status,
      ),
    ).toEqual(['succeeded', 'succeeded']);
    expect(engine.sandbox.retained.eventsWithDeliveries).toBe(before);
  });
});
