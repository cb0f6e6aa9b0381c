// No SSRF when shared, over real HTTP: webhook URLs into loopback, private and metadata ranges are
// refused at registration on both APIs (400 naming `url`, each API's shape, nothing stored), and again
// when the delivery dials — a name that resolved to a public address at registration and to 127.0.0.1
// later (a custom resolver, so no DNS is asked and nothing leaves loopback) is never dialled. Which
// mocks block by default (shared, or an admin token) and which do not (loopback: local receivers).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockEngine } from './server.js';
import { startMock, type TestMock, QUICKSTART_CASE } from './test-support.js';
import { BLOCKED_CODE, type Resolve } from './engine/webhooks/url-guard.js';

const hits: string[] = [];
let receiver: http.Server;
let port: number;
/** What the custom resolver answers for each name; tests change it to move a name between looks. */
const dns: Record<string, string[]> = {};
const resolve: Resolve = async (host) => dns[host] ?? [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => receiver.close(() => done())));

const FORBIDDEN = [
  'http://127.0.0.1:4000/hooks',
  'http://localhost:4000/hooks',
  'http://localhost.:4000/hooks',
  'http://[::1]:4000/hooks',
  'http://[::ffff:127.0.0.1]/hooks',
  'http://0.0.0.0/hooks',
  'http://[::]/hooks',
  'http://2130706433/hooks',
  'http://0x7f.0.0.1/hooks',
  'http://0177.0.0.1/hooks',
  'http://user:secret@127.0.0.1/hooks',
  'https://10.1.2.3/hooks',
  'https://172.16.0.1/hooks',
  'https://192.168.1.1/hooks',
  'https://100.64.0.1/hooks',
  'https://169.254.1.1/hooks',
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'https://[fe80::1]/hooks',
  'https://[fc00::1]/hooks',
  'https://inside.test/hooks',
];

describe('a mock that blocks private webhooks (--block-private-webhooks)', () => {
  let mock: TestMock;
  beforeAll(async () => {
    Object.assign(dns, { 'inside.test': ['192.168.7.7'], 'public.test': ['8.8.8.8'] });
    mock = await startMock({ blockPrivateWebhooks: true, webhookResolve: resolve, webhookRetryDelaysMs: [] });
  });
  afterAll(() => mock.close());

  it.each(FORBIDDEN)('POST /v1/webhook_endpoints refuses %s (400 naming url, nothing stored)', async (url) => {
    const answer = await mock.call('POST', '/v1/webhook_endpoints', {
      body: { url, enabled_events: ['*'] },
      key: 'sk_test_ssrf_create',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param: 'url' });
    expect(answer.body.error.message).toMatch(/only to public addresses/);
    expect((await mock.call('GET', '/v1/webhook_endpoints', { key: 'sk_test_ssrf_create' })).body.data).toEqual([]);
  });

  it("a name's resolved address is not read back to the caller", async () => {
    const answer = await mock.call('POST', '/v1/webhook_endpoints', {
      body: { url: 'https://inside.test/hooks', enabled_events: ['*'] },
    });
    expect(answer.body.error.message).toMatch(/inside\.test resolves to a private/);
    expect(answer.body.error.message).not.toContain('192.168.7.7');
  });

  it('POST /v1/webhook_endpoints/{id} refuses a move to a private URL and keeps the old one', async () => {
    const key = 'sk_test_ssrf_update';
    const created = await mock.call('POST', '/v1/webhook_endpoints', {
      body: { url: 'https://public.test/hooks', enabled_events: ['*'] },
      key,
    });
    expect(created.status).toBe(201);
    const moved = await mock.call('POST', `/v1/webhook_endpoints/${created.body.id}`, {
      body: { url: 'http://169.254.169.254/' },
      key,
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error.param).toBe('url');
    expect((await mock.call('GET', `/v1/webhook_endpoints/${created.body.id}`, { key })).body.url).toBe(
      'https://public.test/hooks',
    );
  });

  it("Debitura subscriptions on both APIs refuse private URLs in Debitura's shape", async () => {
    const partner = { XApiKey: 'ssrf_partner', 'content-type': 'application/json' };
    const referral = await fetch(`${mock.url}/debitura/referral/webhooks`, {
      method: 'POST',
      headers: partner,
      body: JSON.stringify({ url: 'https://169.254.169.254/', events: ['case.created'] }),
    });
    expect(referral.status).toBe(400);
    const body = (await referral.json()) as { error: string; message: string };
    expect(body).toMatchObject({ error: 'parameter_invalid' });
    expect(body.message).toMatch(/^Invalid url: .*cloud metadata/);
    const bearer = await customerToken(mock.url, 'ssrf_partner_2');
    for (const url of ['https://10.0.0.1/', 'http://localhost:4000/', 'https://inside.test/']) {
      const customer = await fetch(`${mock.url}/debitura/customer/webhooks`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ url, events: ['case.created'] }),
      });
      expect(customer.status, url).toBe(400);
      expect(((await customer.json()) as { message: string }).message).toMatch(/^Invalid url: /);
    }
    const listed = await fetch(`${mock.url}/debitura/customer/webhooks`, { headers: bearer });
    expect(await listed.json()).toEqual([]);
  });

  it('checks again when dialling: a name that now resolves to 127.0.0.1 is not dialled, and the log says why in a code', async () => {
    const key = 'sk_test_ssrf_dial';
    dns['flip.test'] = ['8.8.8.8'];
    const endpoint = await mock.call('POST', '/v1/webhook_endpoints', {
      body: { url: `http://flip.test:${port}/hooks`, enabled_events: ['collection_case.created'] },
      key,
    });
    expect(endpoint.status).toBe(201);
    dns['flip.test'] = ['127.0.0.1'];
    hits.length = 0;
    const created = await mock.call('POST', '/v1/collection_cases', { body: QUICKSTART_CASE, key });
    expect(created.status).toBe(201);
    await mock.sandbox.dispatcher.idle();
    const events = await mock.call('GET', '/v1/events?type=collection_case.created', { key });
    const deliveries = await mock.call('GET', `/v1/events/${events.body.data[0].id}/webhook_deliveries`, { key });
    expect(deliveries.body.data).toHaveLength(1);
    expect(deliveries.body.data[0]).toMatchObject({
      status: 'failed',
      attempts: [{ status_code: null, error: BLOCKED_CODE }],
    });
    expect(hits).toEqual([]);
  });

  it("Debitura's test delivery reports only failure, not the target's text, and does not dial a name that now resolves inside", async () => {
    dns['flip2.test'] = ['8.8.8.8'];
    const bearer = await customerToken(mock.url, 'ssrf_partner_3');
    const created = await fetch(`${mock.url}/debitura/customer/webhooks`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `https://flip2.test:${port}/hooks`, events: ['case.created'] }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    dns['flip2.test'] = ['127.0.0.1'];
    hits.length = 0;
    const tested = await fetch(`${mock.url}/debitura/customer/webhooks/${id}/test`, {
      method: 'POST',
      headers: bearer,
    });
    expect(tested.status).toBe(200);
    expect(await tested.json()).toMatchObject({
      success: false,
      httpStatusCode: null,
      errorCategory: 'NetworkError',
      errorMessage: "The endpoint's address is not public, and this mock delivers only to public addresses.",
    });
    expect(hits).toEqual([]);
  });
});

/** A Debitura partner with one client, and a Customer-API token for it. */
async function customerToken(base: string, key: string): Promise<Record<string, string>> {
  const headers = { XApiKey: key, 'content-type': 'application/json' };
  const client = await fetch(`${base}/debitura/referral/clients`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      externalTenantId: 'tenant-1',
      client: { name: 'Acme GmbH', country: 'DE', supportEmail: 'support@acme.example' },
      users: [{ email: 'jane+signed@acme.example', name: 'Jane Doe' }],
    }),
  });
  expect(client.status).toBe(201);
  const token = (await (
    await fetch(`${base}/debitura/referral/oauth/token`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ externalTenantId: 'tenant-1' }),
    })
  ).json()) as { accessToken: string };
  return { Authorization: `Bearer ${token.accessToken}` };
}

describe('who blocks by default', () => {
  const tryRegister = async (options: Parameters<typeof createMockEngine>[0]) => {
    const engine = await createMockEngine({ logLevel: 'silent', webhookResolve: resolve, ...options });
    try {
      const answer = await engine.app.inject({
        method: 'POST',
        url: '/v1/webhook_endpoints',
        headers: { authorization: 'Bearer sk_test_defaults' },
        payload: { url: `http://127.0.0.1:${port}/hooks`, enabled_events: ['*'] },
      });
      return answer.statusCode;
    } finally {
      await engine.close();
    }
  };

  it('a loopback mock delivers to local receivers (the point of a local mock)', async () => {
    expect(await tryRegister({})).toBe(201);
  });
  it('a shared mock (non-loopback host) blocks', async () => {
    expect(await tryRegister({ host: '0.0.0.0', adminToken: 'adm_shared_token' })).toBe(400);
  });
  it('a loopback mock with an admin token blocks', async () => {
    expect(await tryRegister({ adminToken: 'adm_local_token' })).toBe(400);
  });
  it('--allow-private-webhooks (false) lifts it even when shared', async () => {
    expect(await tryRegister({ host: '0.0.0.0', adminToken: 'adm_shared_token', blockPrivateWebhooks: false })).toBe(
      201,
    );
  });
  it('--webhook-url into a private range refuses to start, naming the flag', async () => {
    await expect(
      createMockEngine({ logLevel: 'silent', blockPrivateWebhooks: true, webhookUrl: 'http://10.0.0.5/hooks' }),
    ).rejects.toThrow(/^--webhook-url http:\/\/10\.0\.0\.5\/hooks: its host 10\.0\.0\.5 is a private/);
    await expect(
      createMockEngine({
        logLevel: 'silent',
        blockPrivateWebhooks: true,
        webhookUrl: 'http://inside.test/hooks',
        webhookResolve: resolve,
      }),
    ).rejects.toThrow(/resolves to a private/);
  });
});
