// The mock signs deliveries the Standard Webhooks way when asked: per endpoint (`signature_scheme`)
// or for every endpoint (`--webhook-signing`); `both` sends the three headers beside
// X-CasaPay-Signature. The standardwebhooks package verifies what arrives; CasaPay's scheme stays the default.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from './server.js';
import { verifySignature } from '../kit/webhook-signature.js';

let receiver: http.Server;
let receiverUrl: string;
/** Deliveries by the receiver path they came to (each test uses its own). */
const arrivals = new Map<string, Array<{ headers: http.IncomingHttpHeaders; body: string }>>();

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        arrivals.set(req.url!, [
          ...(arrivals.get(req.url!) ?? []),
          { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') },
        ]);
        res.writeHead(200).end();
      });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const CASE = {
  amount_to_recover: 360000,
  currency: 'eur',
  due_date: '2024-11-01',
  debtor: {
    type: 'private',
    name: 'John Smith',
    address: { line1: 'Friedrichstraße 123', city: 'Berlin', postal_code: '10117', country: 'DE' },
  },
};

/** Registers an endpoint at /<name>, creates a case and returns the first delivery with the endpoint's secret. */
async function firstDelivery(mock: MockServer, name: string, endpoint: Record<string, unknown> = {}) {
  const call = (path: string, body: unknown) =>
    fetch(`${mock.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer sk_test_${name.replace(/-/g, '_')}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));
  const created = await call('/v1/webhook_endpoints', {
    url: `${receiverUrl}/${name}`,
    enabled_events: ['collection_case.created'],
    ...endpoint,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await call('/v1/collection_cases', CASE)).status).toBe(201);
  for (let i = 0; i < 300 && !arrivals.get(`/${name}`); i++) await new Promise((r) => setTimeout(r, 10));
  const arrival = arrivals.get(`/${name}`)?.[0];
  if (!arrival) throw new Error(`no delivery arrived at /${name}`);
  return { ...arrival, secret: created.body.secret as string, endpoint: created.body };
}

describe('Standard Webhooks signing in the mock', () => {
  let mock: MockServer;
  let standardMock: MockServer;
  beforeAll(async () => {
    mock = await createMockServer({ port: 0, logLevel: 'silent' });
    standardMock = await createMockServer({ port: 0, logLevel: 'silent', webhookSigning: 'standard' });
  });
  afterAll(async () => {
    await mock.close();
    await standardMock.close();
  });

  it("CasaPay's scheme stays the default: X-CasaPay-Signature and no webhook-* headers", async () => {
    const { headers, body, secret, endpoint } = await firstDelivery(mock, 'default');
    expect(verifySignature(body, String(headers['x-casapay-signature']), secret)).toBe(true);
    expect(headers['webhook-signature']).toBeUndefined();
    expect(endpoint.signature_scheme).toBeUndefined();
  });

  it('an endpoint with signature_scheme "standard" gets only the Standard Webhooks headers, which standardwebhooks verifies', async () => {
    const { headers, body, secret, endpoint } = await firstDelivery(mock, 'per-endpoint', {
      signature_scheme: 'standard',
    });
    expect(endpoint.signature_scheme).toBe('standard');
    expect(headers['x-casapay-signature']).toBeUndefined();
    const event = new Webhook(secret).verify(body, headers as Record<string, string>) as { id: string };
    expect(headers['webhook-id']).toBe(event.id);
  });

  it('"both" sends the three headers beside X-CasaPay-Signature, each verifying', async () => {
    const { headers, body, secret } = await firstDelivery(mock, 'both', { signature_scheme: 'both' });
    expect(verifySignature(body, String(headers['x-casapay-signature']), secret)).toBe(true);
    expect(new Webhook(secret).verify(body, headers as Record<string, string>)).toMatchObject({
      type: 'collection_case.created',
    });
  });

  it('--webhook-signing standard signs every endpoint that did not choose; an endpoint choosing casapay keeps its scheme', async () => {
    const global = await firstDelivery(standardMock, 'global');
    expect(global.headers['x-casapay-signature']).toBeUndefined();
    expect(new Webhook(global.secret).verify(global.body, global.headers as Record<string, string>)).toMatchObject({
      object: 'event',
    });
    const chosen = await firstDelivery(standardMock, 'chosen', { signature_scheme: 'casapay' });
    expect(verifySignature(chosen.body, String(chosen.headers['x-casapay-signature']), chosen.secret)).toBe(true);
    expect(chosen.headers['webhook-signature']).toBeUndefined();
  });

  it('an unknown scheme is refused with 400 naming the field, and creates no endpoint', async () => {
    const response = await fetch(`${mock.url}/v1/webhook_endpoints`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_bad_scheme', 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${receiverUrl}/bad`, enabled_events: ['*'], signature_scheme: 'svix' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('signature_scheme');
    const list = await fetch(`${mock.url}/v1/webhook_endpoints`, {
      headers: { authorization: 'Bearer sk_test_bad_scheme' },
    }).then((r) => r.json() as Promise<{ data: unknown[] }>);
    expect(list.data).toEqual([]);
  });
});
