// The in-process route: requests to https://api.casapay.com answered by the mock's engine through
// nock — for fetch, node:https and axios — with no port opened and the network shut; and the same
// requests giving the same statuses and bodies in-process and over HTTP.
import axios from 'axios';
import { createHash } from 'node:crypto';
import https from 'node:https';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCasaPayClient } from '../../client/index.js';
import { createClock } from '../engine/clock.js';
import { QUICKSTART_CASE, TEST_NOW, startMock, type TestMock } from '../test-support.js';
import { interceptCasaPay, type CasaPayInterceptor } from './nock.js';

const KEY = 'sk_test_frontend';
const API = 'https://api.casapay.com';

/** A frontend's data layer, as a team would write it: the typed client against the real base URL. */
function casesApi(apiKey: string) {
  const client = createCasaPayClient({ apiKey });
  return {
    async submit(body: typeof QUICKSTART_CASE) {
      const { data, error } = await client.POST('/v1/collection_cases', { body });
      if (error) throw new Error(`${error.error.code}: ${error.error.message}`);
      return data;
    },
    async list(status?: 'active' | 'closed') {
      const { data, error } = await client.GET('/v1/collection_cases', { params: { query: status ? { status } : {} } });
      if (error) throw new Error(error.error.message);
      return data.data;
    },
    async lookUp(reference: string) {
      const { data, error, response } = await client.GET('/v1/collection_cases/ref/{reference}', {
        params: { path: { reference } },
      });
      return error ? { status: response.status, code: error.error.code } : { status: response.status, case: data };
    },
  };
}

describe('interceptCasaPay', () => {
  let casapay: CasaPayInterceptor;
  beforeAll(async () => {
    nock.disableNetConnect();
    casapay = await interceptCasaPay({
      seed: 'nock',
      clock: createClock({ start: TEST_NOW, frozen: true }),
      validateResponses: true,
    });
  });
  afterEach(() => casapay.reset());
  afterAll(async () => {
    await casapay.restore();
    nock.enableNetConnect();
  });

  it('serves a frontend-style flow in-process, with no port opened', async () => {
    const api = casesApi(KEY);
    const created = await api.submit(QUICKSTART_CASE);
    expect(created).toMatchObject({ object: 'collection_case', status: 'active', amount_to_recover: 360000 });
    expect((await api.list('active')).map((c) => c.id)).toEqual([created.id]);
    expect(await api.lookUp(created.reference)).toMatchObject({ status: 200, case: { id: created.id } });
    expect(await api.lookUp('NOPE0000')).toEqual({ status: 404, code: 'resource_not_found' });
    expect(casapay.engine.app.server.listening).toBe(false);
  });

  it('validates like the server: a bad body is the 400 envelope and creates nothing', async () => {
    const res = await fetch(`${API}/v1/collection_cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...QUICKSTART_CASE, currency: 7 }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'currency' } });
    expect(casapay.state(KEY)?.collection_cases).toEqual([]);
  });

  it.each([
    [
      'fetch',
      async (path: string) => {
        const res = await fetch(`${API}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
        return { status: res.status, body: await res.json(), requestId: res.headers.get('request-id') };
      },
    ],
    [
      'node:https',
      (path: string) =>
        new Promise<{ status: number; body: unknown; requestId: string | null }>((resolve, reject) => {
          https
            .get(`${API}${path}`, { headers: { authorization: `Bearer ${KEY}` } }, (res) => {
              let text = '';
              res
                .setEncoding('utf8')
                .on('data', (chunk) => (text += chunk))
                .on('end', () =>
                  resolve({
                    status: res.statusCode!,
                    body: JSON.parse(text),
                    requestId: (res.headers['request-id'] as string) ?? null,
                  }),
                );
            })
            .on('error', reject);
        }),
    ],
    [
      'axios',
      async (path: string) => {
        const res = await axios.get(`${API}${path}`, {
          headers: { authorization: `Bearer ${KEY}` },
          validateStatus: () => true,
        });
        return {
          status: res.status,
          body: res.data as unknown,
          requestId: (res.headers['request-id'] as string) ?? null,
        };
      },
    ],
  ])('answers %s', async (_client, get) => {
    const list = await get('/v1/collection_cases?limit=1');
    expect(list).toMatchObject({ status: 200, body: { object: 'list', data: [] } });
    expect(list.requestId).toMatch(/^req_/);
    expect(await get('/v1/collection_cases/dc_missing')).toMatchObject({
      status: 404,
      body: { error: { code: 'resource_not_found' } },
    });
  });

  it('carries a binary upload and its download byte for byte', async () => {
    const api = casesApi(KEY);
    const { id } = await api.submit(QUICKSTART_CASE);
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]);
    const form = new FormData();
    form.set('file', new Blob([bytes], { type: 'application/pdf' }), 'invoice.pdf');
    form.set('document_type', 'original_invoice');
    const upload = await fetch(`${API}/v1/collection_cases/${id}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body: form,
    });
    const file = (await upload.json()) as { id: string; size: number; sha256: string };
    expect(upload.status).toBe(201);
    expect(file).toMatchObject({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    const download = await fetch(`${API}/v1/collection_cases/${id}/files/${file.id}/contents`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  });

  it('received() finds what was sent, by method, path and a part of the body', async () => {
    const api = casesApi(KEY);
    await api.submit(QUICKSTART_CASE);
    await api.submit({ ...QUICKSTART_CASE, amount_to_recover: 50000 });
    await api.list();
    expect(casapay.received({ method: 'POST', path: '/v1/collection_cases' })).toHaveLength(2);
    const small = casapay.received({
      method: 'POST',
      path: '/v1/collection_cases',
      body: { amount_to_recover: 50000 },
    });
    expect(small.map((r) => r.status)).toEqual([201]);
    expect(casapay.received({ method: 'POST', body: { debtor: { name: 'Somebody Else' } } })).toEqual([]);
    expect(casapay.received({ method: 'GET', path: '/v1/collection_cases' }).map((r) => r.url)).toEqual([
      '/v1/collection_cases',
    ]);
  });

  it('faults apply in-process too: Prefer: fail=503 answers 503, Prefer: drop=true resets the connection', async () => {
    const headers = { authorization: `Bearer ${KEY}` };
    const failed = await fetch(`${API}/v1/collection_cases`, { headers: { ...headers, prefer: 'fail=503' } });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('x-mock-source')).toBe('fault');
    await expect(
      fetch(`${API}/v1/collection_cases`, { headers: { ...headers, prefer: 'drop=true' } }),
    ).rejects.toThrow();
    await expect(
      axios.get(`${API}/v1/collection_cases`, { headers: { ...headers, prefer: 'drop=true' } }),
    ).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('advances the clock: the demand letter is sent a day after the case became active', async () => {
    const { id } = await casesApi(KEY).submit(QUICKSTART_CASE);
    const timeline = async () =>
      (
        (await (
          await fetch(`${API}/v1/collection_cases/${id}/timeline`, { headers: { authorization: `Bearer ${KEY}` } })
        ).json()) as { data: { type: string }[] }
      ).data.map((e) => e.type);
    expect(await timeline()).not.toContain('demand_letter_sent');
    casapay.advance(2 * 86_400);
    expect(await timeline()).toContain('demand_letter_sent');
  });
});

describe('restore()', () => {
  it('stops intercepting: the next request goes to the (shut) network', async () => {
    nock.disableNetConnect();
    const casapay = await interceptCasaPay();
    expect((await fetch(`${API}/v1/collection_cases`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(
      200,
    );
    await casapay.restore();
    await expect(
      fetch(`${API}/v1/collection_cases`, { headers: { authorization: `Bearer ${KEY}` } }),
    ).rejects.toThrow();
    nock.enableNetConnect();
  });
});

describe('one engine, two routes', () => {
  let server: TestMock;
  let casapay: CasaPayInterceptor;
  beforeAll(async () => {
    server = await startMock({ seed: 'same' });
    casapay = await interceptCasaPay({
      seed: 'same',
      clock: createClock({ start: TEST_NOW, frozen: true }),
      logLevel: 'silent',
      validateResponses: true,
      webhookRetryDelaysMs: [20, 40],
    });
  });
  afterAll(async () => {
    await casapay.restore();
    await server.close();
  });

  it('the same requests give the same statuses and bodies in-process and over HTTP', async () => {
    const sequence: Array<[string, string, unknown?]> = [
      [
        'POST',
        '/v1/collection_case_previews',
        {
          amount_to_recover: 360000,
          currency: 'eur',
          due_date: '2024-11-01',
          debtor: { type: 'private', name: 'John Smith', country: 'DE' },
        },
      ],
      ['POST', '/v1/collection_cases', QUICKSTART_CASE],
      ['GET', '/v1/collection_cases?status=active'],
      [
        'POST',
        '/v1/collection_cases',
        {
          ...QUICKSTART_CASE,
          debtor: { ...QUICKSTART_CASE.debtor, address: { ...QUICKSTART_CASE.debtor.address, country: 'AU' } },
        },
      ],
      ['POST', '/v1/collection_cases', { ...QUICKSTART_CASE, currency: 'xx' }],
      ['GET', '/v1/events?limit=5'],
      ['GET', '/v1/collection_cases/dc_missing'],
    ];
    const run = async (base: string) => {
      const out: Array<{ status: number; body: unknown }> = [];
      for (const [method, path, body] of sequence) {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: 'Bearer sk_test_same', ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        out.push({ status: res.status, body: await res.json() });
      }
      return out;
    };
    const inProcess = await run(API);
    const overHttp = await run(server.url);
    expect(inProcess.map((r) => r.status)).toEqual([200, 201, 200, 422, 400, 200, 404]);
    expect(inProcess).toEqual(overHttp);
  });

  it('POST /__admin/journal/find answers what received() answers', async () => {
    const pattern = { method: 'POST', path: '/v1/collection_cases', body: { currency: 'eur' } };
    const res = await fetch(`${server.url}/__admin/journal/find`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(pattern),
    });
    const overHttp = (
      (await res.json()) as { data: Array<{ url: string; status: number; request: { body: unknown } }> }
    ).data;
    const inProcess = casapay.received(pattern);
    expect(overHttp.map((r) => [r.url, r.status, r.request.body])).toEqual(
      inProcess.map((r) => [r.url, r.status, r.request.body]),
    );
    expect(overHttp.map((r) => r.status)).toEqual([201, 422]);
  });
});
