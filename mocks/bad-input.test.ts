// The answers the bad-input fuzz (bad-input-fuzz.test.ts) only judges by status and shape, held to
// their content: which param a non-finite number is named by, what a bad `Prefer` says, that an
// absolute-form or percent-encoded request line is the same request as its origin form (authenticated,
// same account), and what the HTTP layer answers for a missing Host, an OPTIONS without Origin, a body
// on DELETE, CONNECT, and an oversized head under /debitura/.
import net from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from './engine/clock.js';
import { nonFiniteParam, parseJsonBody } from './engine/json-body.js';
import { createMockServer, originForm, type MockServer } from './server.js';
import { QUICKSTART_CASE, TEST_NOW } from './test-support.js';
import { recordAnswers, undeclared, type WireAnswer } from '../spec/support/wire.js';

const KEY = 'sk_test_bad_input';
const AUTH = { authorization: `Bearer ${KEY}` };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };

/** Writes raw bytes on a fresh connection; the status line and the parsed body of the answer. */
function raw(port: number, request: string): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = body;
      }
      resolve({ status: Number(text.split(' ')[1]), body: parsed, text });
    });
  });
}

describe('non-finite numbers', () => {
  it('names the first one by its bracket path, however deep the body nests', () => {
    expect(nonFiniteParam({ a: [1, { b: Infinity }] })).toBe('a[1][b]');
    expect(nonFiniteParam({ a: 1, b: [1e308, -1e308] })).toBeUndefined();
    expect(nonFiniteParam(-Infinity)).toBe('');
    const deep = `${'['.repeat(200_000)}1e309${']'.repeat(200_000)}`;
    expect(() => parseJsonBody(deep)).toThrow(/finite/);
  });

  it('refuses `1e309` and a 400-digit integer in a JSON body as parse errors (400 naming the param)', () => {
    for (const text of ['{"amount": 1e309}', `{"amount": ${'9'.repeat(400)}}`, '{"amount": -1e400}']) {
      expect(() => parseJsonBody(text)).toThrow(expect.objectContaining({ status: 400, param: 'amount' }));
    }
    expect(() => parseJsonBody('{"a":')).toThrow(expect.objectContaining({ status: 400, code: 'body_invalid_json' }));
    expect(parseJsonBody('')).toBeUndefined();
  });
});

describe('originForm', () => {
  it.each([
    ['http://127.0.0.1:4010/v1/collection_cases?limit=1', '/v1/collection_cases?limit=1'],
    ['HTTPS://x', '/'],
    ['/%761/%63ollection_cases?q=%76', '/v1/collection_cases?q=%76'],
    ['/v1/collection_cases/dc_%2F%20', '/v1/collection_cases/dc_%2F%20'],
    ['*', '*'],
  ])('%s → %s', (url, expected) => expect(originForm(url)).toBe(expected));
});

describe('bad input on the wire', () => {
  let mock: MockServer;
  let port: number;
  // Every answer, in-process and on the socket, for the last test: each is declared by its operation.
  let answers: WireAnswer[] = [];
  const inject = async (options: InjectOptions) => {
    const response = await mock.app.inject(options);
    answers.push({
      method: options.method ?? 'GET',
      url: originForm(String(options.url)),
      status: response.statusCode,
      contentType: String(response.headers['content-type'] ?? ''),
    });
    return response;
  };
  beforeAll(async () => {
    mock = await createMockServer({
      port: 0,
      logLevel: 'silent',
      seed: 'bad-input',
      clock: createClock({ start: TEST_NOW, frozen: true }),
    });
    port = Number(new URL(mock.url).port);
    answers = recordAnswers(mock.app.server);
  });
  afterAll(() => mock.close());

  it('names a non-finite number in the body and in the query, in each API’s shape', async () => {
    const body = JSON.stringify(QUICKSTART_CASE).replace('"amount_to_recover":360000', '"amount_to_recover":1e309');
    const casapay = await inject({ method: 'POST', url: '/v1/collection_cases', headers: JSON_AUTH, payload: body });
    expect(casapay.statusCode).toBe(400);
    expect(casapay.json().error).toMatchObject({ code: 'parameter_invalid', param: 'amount_to_recover' });

    const query = await inject({ url: '/v1/collection_cases?created[gte]=1e309', headers: AUTH });
    expect(query.statusCode).toBe(400);
    expect(query.json().error).toMatchObject({ param: 'created[gte]' });
    expect((await inject({ url: '/v1/events?created[lt]=Infinity', headers: AUTH })).json().error.param).toBe(
      'created[lt]',
    );

    const debitura = await inject({
      method: 'POST',
      url: '/debitura/customer/cases/preview',
      headers: { 'content-type': 'application/json', xapikey: 'bad-input' },
      payload: `{"currencyCode":"EUR","amountToRecover":${'9'.repeat(400)},"debtor":{"type":"Company","countryAlpha2":"DE"}}`,
    });
    expect(debitura.statusCode).toBe(400);
    expect(debitura.json()).toMatchObject({
      error: 'parameter_invalid',
      message: expect.stringContaining('amountToRecover'),
    });
    // Nothing was stored with a number JSON cannot carry back.
    expect((await inject({ url: '/v1/collection_cases', headers: AUTH })).json().data).toEqual([]);
  });

  it('answers a Prefer it cannot serve with 400 naming Prefer, saying what the operation has', async () => {
    const prefer = async (value: string, url = '/v1/collection_cases', headers: Record<string, string> = AUTH) =>
      inject({ url, headers: { ...headers, prefer: value } });
    const notStatus = await prefer('code=999');
    expect(notStatus.statusCode).toBe(400);
    expect(notStatus.json().error).toMatchObject({ param: 'Prefer', message: expect.stringContaining('code=999') });
    expect((await prefer('code=418')).json().error.message).toContain(
      'listCollectionCases declares (200, 400, 401, 429, 500, 503)',
    );
    expect((await prefer('code=200, example=no-such-example')).json().error.message).toContain('has the examples');
    const debitura = await prefer('code=999', '/debitura/referral/clients', { xapikey: 'bad-input' });
    expect(debitura.statusCode).toBe(400);
    expect(debitura.json()).toMatchObject({ error: 'parameter_invalid', message: expect.stringContaining('Prefer') });
    // (Preferences the operation has are still answered by Prism: api.test.ts and debitura/mount.test.ts.)
  });

  it('serves an absolute-form and a percent-encoded request line as the origin form: authenticated, the same account', async () => {
    const created = await inject({
      method: 'POST',
      url: '/v1/collection_cases',
      headers: JSON_AUTH,
      payload: QUICKSTART_CASE,
    });
    expect(created.statusCode).toBe(201);
    const line = (target: string, headers = '') =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`;
    expect((await raw(port, line('http://127.0.0.1/v1/collection_cases'))).status).toBe(401);
    expect((await raw(port, line('/%761/collection_cases'))).status).toBe(401);
    for (const target of ['http://example.test/v1/collection_cases', '/%761/%63ollection_cases']) {
      const answer = await raw(port, line(target, `Authorization: Bearer ${KEY}\r\n`));
      expect([answer.status, answer.body.data?.[0]?.id]).toEqual([200, created.json().id]);
    }
  });

  it('answers the HTTP layer’s refusals in the API’s shape: missing Host, CONNECT, oversized head under /debitura/', async () => {
    const noHost = await raw(port, 'GET /v1/collection_cases HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect([noHost.status, noHost.body.error?.code]).toEqual([400, 'request_malformed']);
    const noHostDebitura = await raw(port, 'GET /debitura/referral/clients HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect([noHostDebitura.status, noHostDebitura.body.error]).toEqual([400, 'request_malformed']);
    // HTTP/1.0 has no Host requirement.
    expect((await raw(port, 'GET /v1/collection_cases HTTP/1.0\r\n\r\n')).status).toBe(401);

    const connect = await raw(port, 'CONNECT /v1/collection_cases HTTP/1.1\r\nHost: x\r\n\r\n');
    expect([connect.status, connect.body.error?.code]).toEqual([404, 'resource_not_found']);

    const oversized = await raw(
      port,
      `GET /debitura/customer/cases HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(oversized.status).toBe(400);
    expect(oversized.body).toMatchObject({
      error: 'headers_too_large',
      businessErrors: [{ type: 'headers_too_large' }],
    });
    const garbage = await raw(port, 'FOO /debitura/referral/clients HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(garbage.body).toMatchObject({ error: 'request_malformed' });
  });

  it('answers OPTIONS without Origin like a preflight (204), not with a text/plain 400', async () => {
    const answer = await inject({ method: 'OPTIONS', url: '/v1/collection_cases' });
    expect([answer.statusCode, answer.body]).toEqual([204, '']);
  });

  it('ignores a body on DELETE (no undeclared 413 or 415)', async () => {
    const clock = await inject({
      method: 'POST',
      url: '/v1/test_helpers/test_clocks',
      headers: JSON_AUTH,
      payload: { frozen_time: TEST_NOW },
    });
    expect(clock.statusCode).toBe(201);
    const deleted = await inject({
      method: 'DELETE',
      url: `/v1/test_helpers/test_clocks/${clock.json().id}`,
      headers: { ...AUTH, 'content-type': 'text/plain' },
      payload: 'x'.repeat(2_000_000),
    });
    expect([deleted.statusCode, deleted.json().deleted]).toEqual([200, true]);
  });

  it('ignores Idempotency-Key where Debitura’s contract does not declare it (POST /webhooks), so no undeclared 422', async () => {
    const headers = { xapikey: 'bad-input-idem', 'content-type': 'application/json', 'idempotency-key': 'same' };
    const first = await inject({
      method: 'POST',
      url: '/debitura/referral/webhooks',
      headers,
      payload: { url: 'https://127.0.0.1:9/a', events: ['case.created'] },
    });
    const second = await inject({
      method: 'POST',
      url: '/debitura/referral/webhooks',
      headers,
      payload: { url: 'https://127.0.0.1:9/b', events: ['case.created'] },
    });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().id).not.toBe(first.json().id);
  });

  it('declares the status and media type of every answer above (spec/support/wire.ts)', () => {
    expect(answers.length).toBeGreaterThan(10);
    const wrong = answers.map(undeclared).filter(Boolean);
    expect(wrong).toEqual([]);
  });
});
