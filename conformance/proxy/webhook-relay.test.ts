// The webhook relay: the mock delivers to the relay, which checks each delivery and forwards it byte
// for byte to the receiver; the endpoint's secret is learnt from the create answer that crossed the
// proxy. With the mock's mis-signed-webhook defect the report names hook.signature; an event older than
// the last one for its object is hook.order.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../kit/webhook-signature.js';
import { createMockServer, type MockServer } from '../../mocks/server.js';
import type { CapturedExchange } from './exchange-check.js';
import { proxyOptions } from './fixtures/flows.js';
import { startProxy } from './run.js';
import { deliveryChecker } from './webhook-relay.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function receiver() {
  const got: Array<{ body: Buffer; headers: IncomingMessage['headers'] }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ body: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, got };
}

async function session(defects: string[] = []) {
  const mock: MockServer = await createMockServer({ port: 0, logLevel: 'silent', seed: 'relay', defects });
  closers.push(() => mock.close());
  const hooks = await receiver();
  const proxy = await startProxy(proxyOptions(mock.url, { webhookListen: 0, forwardTo: hooks.url }));
  closers.push(() => proxy.proxy.close());
  const key = 'sk_test_proxy_relay_0001';
  const post = (path: string, body: unknown) =>
    fetch(`${proxy.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const endpoint = (await post('/v1/webhook_endpoints', {
    url: `${proxy.webhookUrl}/casapay-webhooks`,
    enabled_events: ['*'],
  })) as {
    secret: string;
  };
  await post('/v1/collection_cases', {
    amount_to_recover: 50000,
    currency: 'eur',
    due_date: '2025-01-01',
    debtor: { type: 'private', name: 'Max Mustermann', address: { city: 'Bonn', country: 'DE' } },
  });
  await expect.poll(() => hooks.got.length, { timeout: 5000 }).toBeGreaterThan(0);
  await expect
    .poll(() => proxy.session.section().operations.some((o) => o.operationId?.startsWith('webhook ')), {
      timeout: 5000,
    })
    .toBe(true);
  return { proxy, hooks, secret: endpoint.secret };
}

describe('--webhook-listen / --forward-to', () => {
  it('checks each delivery with the secret it saw handed out, and forwards it byte for byte', async () => {
    const { proxy, hooks, secret } = await session();
    const delivered = hooks.got[0]!;
    // The receiver verifies the very bytes the mock signed.
    expect(verifySignature(delivered.body, String(delivered.headers['x-casapay-signature']), secret)).toBe(true);
    expect(JSON.parse(delivered.body.toString()).type).toBe('collection_case.created');
    expect(delivered.headers['x-casapay-signature']).toMatch(/^t=\d+,v1=/);
    const webhookGroups = proxy.session.findingGroups().filter((g) => g.operationId?.startsWith('webhook '));
    expect(webhookGroups.filter((g) => g.severity === 'error')).toEqual([]);
  });

  it('names hook.signature when the mock signs with the wrong secret', async () => {
    const { proxy } = await session(['mis-signed-webhook']);
    const errors = proxy.session.findingGroups().filter((g) => g.severity === 'error');
    expect(errors.map((g) => `${g.operationId} ${g.rule}`)).toContain('webhook collection_case.created hook.signature');
  });
});

describe('deliveryChecker', () => {
  const secret = 'whsec_relaytestsecret0123456789';
  const delivery = (event: Record<string, unknown>): CapturedExchange => {
    const body = JSON.stringify(event);
    return {
      seq: 1,
      startedMs: 0,
      durationMs: 0,
      method: 'POST',
      url: '/hooks',
      requestHeaders: {
        'content-type': 'application/json',
        'x-casapay-signature': signatureHeader(body, secret, Math.floor(Date.UTC(2030, 0, 1) / 1000)),
      },
      requestBody: Buffer.from(body),
      requestBytes: body.length,
      status: 200,
      responseHeaders: {},
      responseBody: Buffer.from('ok'),
      responseBytes: 2,
    };
  };
  it('an event older than the last one delivered for its object is hook.order', () => {
    const check = deliveryChecker({ api: 'casapay', secrets: () => [], strict: false });
    const event = (type: string, created: number) => ({
      id: `evt_${created}`,
      type,
      created,
      data: { object: { id: 'dc_order1' } },
    });
    expect(check(delivery(event('collection_case.updated', 200))).findings.map((f) => f.rule)).not.toContain(
      'hook.order',
    );
    expect(check(delivery(event('collection_case.created', 100))).findings.map((f) => f.rule)).toContain('hook.order');
  });
  it('a signature outside the tolerance is hook.signature', () => {
    const check = deliveryChecker({ api: 'casapay', secrets: () => [secret], strict: false });
    const rules = check(
      delivery({ id: 'evt_1', type: 'collection_case.created', created: 1, data: { object: {} } }),
    ).findings.map((f) => f.rule);
    expect(rules).toContain('hook.signature');
  });
});
