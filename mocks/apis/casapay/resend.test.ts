// POST /v1/events/{id}/webhook_deliveries (resend) over HTTP: a delivery that failed for good is sent
// again as a new delivery once the receiver is fixed, signed with the endpoint's secret; refused
// requests (unknown event, unknown or disabled endpoint, bad body) get a typed 4xx and send nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUICKSTART_CASE, startMock, type TestMock } from '../../test-support.js';
import { verifySignature } from '../../../kit/webhook-signature.js';

let mock: TestMock;
let receiver: http.Server;
let receiverUrl: string;
let answer = 500;
const got: Array<{ raw: string; signature: string }> = [];

beforeAll(async () => {
  mock = await startMock();
  receiver = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      got.push({ raw, signature: String(req.headers['x-casapay-signature']) });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await mock.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const key = 'sk_test_resend';

describe('resending an event', () => {
  it('sends a failed event again as a new delivery, and keeps the failed one', async () => {
    answer = 500;
    const endpoint = (
      await mock.call('POST', '/v1/webhook_endpoints', {
        key,
        body: { url: receiverUrl, enabled_events: ['collection_case.created'] },
      })
    ).body;
    const c = (await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE })).body;
    await mock.sandbox.dispatcher.idle();
    const event = (await mock.call('GET', '/v1/events?type=collection_case.created', { key })).body.data.find(
      (e: any) => e.data.object.id === c.id,
    );
    const failed = (await mock.call('GET', `/v1/events/${event.id}/webhook_deliveries`, { key })).body.data;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 'failed', webhook_endpoint: endpoint.id });
    expect(failed[0].attempts.map((a: any) => a.status_code)).toEqual([500, 500, 500]);
    expect(
      (await mock.call('GET', '/v1/events?delivery_success=false', { key })).body.data.map((e: any) => e.id),
    ).toContain(event.id);

    answer = 200;
    got.length = 0;
    const resent = await mock.call('POST', `/v1/events/${event.id}/webhook_deliveries`, {
      key,
      body: { webhook_endpoint: endpoint.id },
    });
    expect(resent.status).toBe(201);
    expect(resent.body).toMatchObject({
      object: 'webhook_delivery',
      event: event.id,
      webhook_endpoint: endpoint.id,
      url: receiverUrl,
      status: 'pending',
      attempts: [],
    });
    await mock.sandbox.dispatcher.idle();

    const after = (await mock.call('GET', `/v1/events/${event.id}/webhook_deliveries`, { key })).body.data;
    expect(after.map((d: any) => [d.id, d.status])).toEqual([
      [failed[0].id, 'failed'],
      [resent.body.id, 'succeeded'],
    ]);
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.raw).id).toBe(event.id);
    expect(() => verifySignature(got[0]!.raw, got[0]!.signature, endpoint.secret)).not.toThrow();
    expect((await mock.call('GET', `/v1/events/${event.id}`, { key })).body.pending_webhooks).toBe(0);
    // An event whose latest delivery succeeded still counts as failed: the first delivery failed.
    expect(
      (await mock.call('GET', '/v1/events?delivery_success=false', { key })).body.data.map((e: any) => e.id),
    ).toContain(event.id);
  });

  it('reaches an endpoint registered after the event', async () => {
    answer = 200;
    const k = 'sk_test_resend_late';
    await mock.call('POST', '/v1/collection_cases', { key: k, body: QUICKSTART_CASE });
    const event = (await mock.call('GET', '/v1/events?type=collection_case.created', { key: k })).body.data[0];
    expect((await mock.call('GET', `/v1/events/${event.id}/webhook_deliveries`, { key: k })).body.data).toEqual([]);
    const endpoint = (
      await mock.call('POST', '/v1/webhook_endpoints', { key: k, body: { url: receiverUrl, enabled_events: ['*'] } })
    ).body;
    got.length = 0;
    expect(
      (
        await mock.call('POST', `/v1/events/${event.id}/webhook_deliveries`, {
          key: k,
          body: { webhook_endpoint: endpoint.id },
        })
      ).status,
    ).toBe(201);
    await mock.sandbox.dispatcher.idle();
    expect(got.map((g) => JSON.parse(g.raw).id)).toEqual([event.id]);
  });

  it.each([
    ['an unknown event', 'evt_nope', { webhook_endpoint: 'we_x' }, 404, 'resource_not_found', 'id'],
    ['an unknown endpoint', null, { webhook_endpoint: 'we_nope' }, 400, 'resource_not_found', 'webhook_endpoint'],
    ['no endpoint', null, {}, 400, 'parameter_missing', 'webhook_endpoint'],
    ['an unknown field', null, { webhook_endpoint: 'we_x', force: true }, 400, 'parameter_unknown', 'force'],
  ])('refuses %s and sends nothing', async (_what, eventId, body, status, code, param) => {
    const k = 'sk_test_resend_refused';
    await mock.call('POST', '/v1/collection_cases', { key: k, body: QUICKSTART_CASE });
    const event = (await mock.call('GET', '/v1/events', { key: k })).body.data[0];
    const before = mock.sandbox.deliveries(event.id).length;
    const res = await mock.call('POST', `/v1/events/${eventId ?? event.id}/webhook_deliveries`, { key: k, body });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, param });
    expect(mock.sandbox.deliveries(event.id)).toHaveLength(before);
  });

  it('refuses a disabled endpoint with 422', async () => {
    const k = 'sk_test_resend_disabled';
    const endpoint = (
      await mock.call('POST', '/v1/webhook_endpoints', { key: k, body: { url: receiverUrl, enabled_events: ['*'] } })
    ).body;
    await mock.call('POST', `/v1/webhook_endpoints/${endpoint.id}`, { key: k, body: { disabled: true } });
    await mock.call('POST', '/v1/collection_cases', { key: k, body: QUICKSTART_CASE });
    await mock.sandbox.dispatcher.idle();
    const event = (await mock.call('GET', '/v1/events', { key: k })).body.data[0];
    const res = await mock.call('POST', `/v1/events/${event.id}/webhook_deliveries`, {
      key: k,
      body: { webhook_endpoint: endpoint.id },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      type: 'validation_error',
      code: 'state_invalid',
      param: 'webhook_endpoint',
    });
    expect(mock.sandbox.deliveries(event.id)).toHaveLength(0);
  });
});
