// Debitura's APIs through the shared machinery, over real HTTP: authentication by key and by token on
// the virtual clock, Debitura's error body for every refusal (the framework's own included), the
// media types generated clients send, literal-colon and capitalised paths, idempotency, the journal,
// Prism examples and faults. The mock checks its own responses against the closed contract.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../engine/clock.js';
import { loadBundledContract, describeErrors } from '../../../kit/contract.js';
import { createMockServer, type MockServer } from '../../server.js';
import { TEST_NOW } from '../../test-support.js';

const customer = loadBundledContract('debitura-customer.json');
const errorBody = customer.schema('ErrorResponse');
const clock = createClock({ start: TEST_NOW, frozen: true });
let mock: MockServer;
let base: string;

const CASE = {
  currencyCode: 'EUR',
  amountToRecover: 5000.0,
  date: '2025-06-01',
  dueDate: '2025-07-01',
  claimDescription: 'Invoice INV-2025-001',
  debtor: { type: 'Company', name: 'Debtor GmbH', countryAlpha2: 'DE' },
};

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const init: RequestInit = {
    method,
    headers: {
      ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
  };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A refusal in Debitura's shape: `error` the code, `businessErrors[0].type` the same. */
function expectError(answer: { status: number; body: any }, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(errorBody(answer.body), describeErrors(errorBody.errors)).toBe(true);
  expect(answer.body.error).toBe(code);
  expect(answer.body.businessErrors[0].type).toBe(code);
}

let partner = 0;
/** A new partner with one signed client and a token for it. */
async function signedClient() {
  const key = `partner_${++partner}`;
  const created = await call(
    'POST',
    '/debitura/referral/clients',
    { XApiKey: key },
    {
      externalTenantId: 'tenant-1',
      client: { name: 'Acme GmbH', country: 'DE', supportEmail: 'support@acme.example' },
      users: [{ email: 'jane+signed@acme.example', name: 'Jane Doe' }],
    },
  );
  expect(created.status).toBe(201);
  const token = await call(
    'POST',
    '/debitura/referral/oauth/token',
    { XApiKey: key },
    { externalTenantId: 'tenant-1' },
  );
  expect(token.status).toBe(200);
  return { key, bearer: { Authorization: `Bearer ${token.body.accessToken}` } };
}

beforeAll(async () => {
  mock = await createMockServer({
    port: 0,
    logLevel: 'silent',
    clock,
    seed: 'debitura-mount',
    validateResponses: true,
  });
  base = mock.url;
});
afterAll(() => mock.close());

describe('authentication', () => {
  it.each<[string, string, Record<string, string>, number, string]>([
    ['the Referral API without XApiKey', '/debitura/referral/clients', {}, 401, 'api_key_missing'],
    [
      'the Referral API with a malformed key',
      '/debitura/referral/clients',
      { XApiKey: 'not a key' },
      401,
      'api_key_invalid',
    ],
    ['the Customer API without credentials', '/debitura/customer/cases', {}, 401, 'api_key_missing'],
    [
      'the Customer API with a token never issued',
      '/debitura/customer/cases',
      { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged' },
      401,
      'token_invalid',
    ],
    [
      'the Customer API with a Basic header',
      '/debitura/customer/cases',
      { Authorization: 'Basic dXNlcjpwYXNz' },
      401,
      'token_invalid',
    ],
  ])('%s', async (_name, path, headers, status, code) => expectError(await call('GET', path, headers), status, code));

  it('a token works for 30 minutes of the virtual clock, then 401 until a new one is minted', async () => {
    const { key, bearer } = await signedClient();
    expect((await call('GET', '/debitura/customer/cases', bearer)).status).toBe(200);
    clock.shift(1799);
    expect((await call('GET', '/debitura/customer/cases', bearer)).status).toBe(200);
    clock.shift(1);
    expectError(await call('GET', '/debitura/customer/cases', bearer), 401, 'token_expired');
    const again = await call(
      'POST',
      '/debitura/referral/oauth/token',
      { XApiKey: key },
      { externalTenantId: 'tenant-1' },
    );
    expect(
      (await call('GET', '/debitura/customer/cases', { Authorization: `Bearer ${again.body.accessToken}` })).status,
    ).toBe(200);
  });

  it("a partner's token never reaches another partner's cases", async () => {
    const a = await signedClient();
    const b = await signedClient();
    const created = await call('POST', '/debitura/customer/cases', a.bearer, CASE);
    expect(created.status).toBe(200);
    expectError(await call('GET', `/debitura/customer/cases/${created.body.id}`, b.bearer), 404, 'resource_not_found');
    expect((await call('GET', '/debitura/referral/cases', { XApiKey: b.key })).body.cases).toEqual([]);
    const listed = await call('GET', '/debitura/referral/cases', { XApiKey: a.key });
    expect(
      listed.body.cases.map((c: { id: string; attributedToPartner: boolean }) => [c.id, c.attributedToPartner]),
    ).toEqual([[created.body.id, true]]);
  });

  it('a direct creditor uses its own XApiKey on the Customer API, with nothing attributed to a partner', async () => {
    const created = await call('POST', '/debitura/customer/cases', { XApiKey: 'creditor_direct_1' }, CASE);
    expect(created.status).toBe(200);
    expect(
      (await call('GET', '/debitura/customer/cases', { XApiKey: 'creditor_direct_1' })).body.page.totalResults,
    ).toBe(1);
  });
});

describe('bodies as clients send them', () => {
  it.each([
    'application/json',
    'application/json-patch+json',
    'text/json',
    'application/vnd.api+json',
    'application/json; charset=utf-8',
  ])('%s is read as JSON', async (type) => {
    const { bearer } = await signedClient();
    const created = await call(
      'POST',
      '/debitura/customer/cases',
      { ...bearer, 'content-type': type, accept: 'application/json, text/plain, */*' },
      JSON.stringify({ ...CASE, date: '2025-06-01T00:00:00Z', comments: null, tag: null }),
    );
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it.each<[string, string, string, number, string]>([
    ['malformed JSON', 'application/json', '{"currencyCode": ', 400, 'body_invalid_json'],
    ['a text/plain body', 'text/plain', 'hello', 415, 'content_type_unsupported'],
    ['a missing debtor', 'application/json', JSON.stringify({ ...CASE, debtor: undefined }), 400, 'parameter_missing'],
    ['an unknown field', 'application/json', JSON.stringify({ ...CASE, surprise: 1 }), 400, 'parameter_unknown'],
  ])("%s is refused in Debitura's shape and creates nothing", async (_name, type, text, status, code) => {
    const { key, bearer } = await signedClient();
    expectError(
      await call('POST', '/debitura/customer/cases', { ...bearer, 'content-type': type }, text),
      status,
      code,
    );
    expect((await call('GET', '/debitura/referral/cases', { XApiKey: key })).body.page.totalResults).toBe(0);
  });

  it("the framework's own refusals use Debitura's shape under /debitura/ (bad percent-encoding)", async () => {
    const { bearer } = await signedClient();
    expectError(await call('GET', '/debitura/customer/cases/%E0%A4%A', bearer), 400, 'url_invalid');
  });

  it("an unknown route is a 404 in Debitura's shape; paths are case-sensitive (/Payments, as published)", async () => {
    const { bearer } = await signedClient();
    expectError(await call('GET', '/debitura/customer/nowhere', bearer), 404, 'resource_not_found');
    expect((await call('GET', '/debitura/customer/Payments', bearer)).status).toBe(200);
    expectError(await call('GET', '/debitura/customer/payments', bearer), 404, 'resource_not_found');
  });
});

describe('the shared machinery', () => {
  it('POST /webhooks/{id}:test (a literal colon) and /webhooks/{id}/test reach the same operation', async () => {
    const { bearer } = await signedClient();
    const receiver = await call('POST', '/debitura/customer/webhooks', bearer, {
      url: 'http://127.0.0.1:9/unreachable',
      events: ['case.created'],
    });
    expect(receiver.status).toBe(201);
    for (const path of [`/webhooks/${receiver.body.id}:test`, `/webhooks/${receiver.body.id}/test`]) {
      const tested = await call('POST', `/debitura/customer${path}`, bearer);
      expect(tested.status, path).toBe(200);
      expect(tested.body).toMatchObject({ success: false, errorCategory: 'NetworkError' });
    }
    expectError(
      await call('POST', '/debitura/customer/webhooks/3f6c2a1e-8d4b-4c1a-9e2f-7a6b5c4d3e2f:test', bearer),
      404,
      'resource_not_found',
    );
  });

  it("Idempotency-Key replays a submission; another body under the same key is Debitura's 422 IdempotencyConflict", async () => {
    const { key, bearer } = await signedClient();
    const headers = { ...bearer, 'Idempotency-Key': 'submit-1' };
    const first = await call('POST', '/debitura/customer/cases', headers, CASE);
    const again = await call('POST', '/debitura/customer/cases', headers, CASE);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await call('POST', '/debitura/customer/cases', headers, { ...CASE, amountToRecover: 1 }),
      422,
      'IdempotencyConflict',
    );
    expect((await call('GET', '/debitura/referral/cases', { XApiKey: key })).body.page.totalResults).toBe(1);
  });

  it("the journal records Debitura requests under the partner's account", async () => {
    const { key } = await signedClient();
    const found = await call(
      'POST',
      '/__admin/journal/find',
      {},
      { method: 'POST', path: '/debitura/referral/oauth/token', account: `debitura:${key}` },
    );
    expect(found.status).toBe(200);
    expect(
      found.body.data.map((entry: { status: number; request: { body: unknown } }) => [
        entry.status,
        entry.request.body,
      ]),
    ).toEqual([[200, { externalTenantId: 'tenant-1' }]]);
    // The partner's key is masked in the journal, as a bearer key is.
    expect(found.body.data[0].request.headers.xapikey).not.toBe(key);
    expect(found.body.data[0].request.headers.xapikey).toMatch(/…/);
  });

  it('/__admin/state and /__admin/reset take a Debitura account: debitura:<XApiKey>', async () => {
    const { key, bearer } = await signedClient();
    const created = await call('POST', '/debitura/customer/cases', bearer, CASE);
    const state = await call('GET', `/__admin/state?account=debitura:${key}`);
    expect(state.status).toBe(200);
    expect(
      state.body.debitura.cases.map((c: { id: string; attributedToPartner: boolean }) => [c.id, c.attributedToPartner]),
    ).toEqual([[created.body.id, true]]);
    expect((await call('POST', `/__admin/reset?account=debitura:${key}`)).status).toBe(200);
    expect((await call('GET', `/__admin/state?account=debitura:${key}`)).status).toBe(404);
    expectError(await call('GET', '/debitura/customer/cases', bearer), 401, 'token_invalid');
  });

  it("Prefer: code=… answers from the contract's examples (Prism), faults answer in Debitura's shape", async () => {
    const { bearer } = await signedClient();
    const example = await call('POST', '/debitura/customer/cases', { ...bearer, Prefer: 'code=422' }, CASE);
    expect(example.status).toBe(422);
    expect(example.headers.get('x-mock-source')).toBe('prism');
    expect(customer.responseValidator('createCase', 422)!(example.body)).toBe(true);
    const failed = await call('GET', '/debitura/customer/cases', { ...bearer, Prefer: 'fail=503' });
    expect(failed.status).toBe(503);
    expect(errorBody(failed.body)).toBe(true);
  });
});

describe('the front door', () => {
  it('lists both Debitura APIs and serves their contracts', async () => {
    const info = await call('GET', '/', { accept: 'application/json' });
    expect(info.body.apis.map((a: { base_url: string }) => a.base_url)).toEqual([
      `${base}/debitura/referral`,
      `${base}/debitura/customer`,
    ]);
    const contract = await call('GET', '/debitura/customer/openapi.json');
    expect(contract.body.info.title).toBe(customer.document.info.title);
  });
});

// A raw socket: the HTTP parser's own refusal comes before any route, so it keeps CasaPay's envelope.
it('an oversized request head under /debitura/ is still a 400 with a JSON body', async () => {
  const { port } = new URL(base);
  const answer = await new Promise<string>((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () =>
      socket.end(`GET /debitura/customer/cases HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('close', () => resolve(text));
  });
  expect(answer).toMatch(/^HTTP\/1\.1 400/);
});
