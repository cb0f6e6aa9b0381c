// The console and /__admin closed to web pages: no CORS on them, cross-site requests refused (a
// "simple" POST included, which CORS alone would let through), DNS rebinding refused on loopback by
// the Host header; the API routes keep their CORS. Requests through app.inject() (full control of
// Host, Origin and Sec-Fetch-*), and one over real HTTP to 127.0.0.1.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../engine/clock.js';
import { createMockEngine, createMockServer, type MockEngine } from '../server.js';
import { isBrowserClosed, loopbackHostHeader } from './browser-guard.js';
import { TEST_NOW } from '../test-support.js';

describe('loopbackHostHeader', () => {
  it.each([
    ['localhost', true],
    ['localhost:4010', true],
    ['LOCALHOST:4010', true],
    ['127.0.0.1', true],
    ['127.0.0.1:4010', true],
    ['127.9.8.7:1', true],
    ['[::1]', true],
    ['[::1]:4010', true],
    [undefined, true],
    ['app.localhost:4010', true],
    ['localhost.:4010', false],
    ['localhost.evil.example', false],
    ['evil.example.localhost.nip.io', false],
    ['rebind.example:4010', false],
    ['127.0.0.1.nip.io:4010', false],
    ['10.0.0.1:4010', false],
    ['[::2]:4010', false],
    ['0.0.0.0:4010', false],
    ['::1', false],
    ['[::1]x', false],
    ['localhost:4010:1', false],
  ])('%s → %s', (host, loopback) => {
    expect(loopbackHostHeader(host)).toBe(loopback);
  });
});

describe('isBrowserClosed', () => {
  it.each([
    ['/', true],
    ['/?x=1', true],
    ['/__admin/accounts', true],
    ['/__admin', true],
    ['/__console/assets/main.js', true],
    ['http://x/__admin/state', true],
    ['/%5F%5Fadmin/accounts', true],
    ['/_%5fadmin/clock', true],
    ['/%5F_console/assets/main.js', true],
    ['/v1/collection_cases', false],
    ['/debitura/customer/cases', false],
    ['/openapi.json', false],
    ['/__adminx', false],
  ])('%s → %s', (url, closed) => {
    expect(isBrowserClosed(url)).toBe(closed);
  });
});

const EVIL = 'http://evil.example';
const KEY = 'sk_test_browser_guard';

describe('a loopback mock', () => {
  let engine: MockEngine;
  beforeAll(async () => {
    engine = await createMockEngine({ logLevel: 'silent', clock: createClock({ start: TEST_NOW, frozen: true }) });
  });
  afterAll(() => engine.close());

  const inject = (
    method: 'GET' | 'POST' | 'OPTIONS',
    url: string,
    headers: Record<string, string> = {},
    payload?: unknown,
  ) =>
    engine.app.inject({
      method,
      url,
      headers: { host: 'localhost:4010', ...headers },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
  const refused = (answer: Awaited<ReturnType<typeof inject>>, code: string) => {
    expect(answer.statusCode).toBe(403);
    expect(answer.json().error).toMatchObject({ type: 'invalid_request_error', code, param: null });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  };

  it('a page on another site can neither read nor preflight /__admin', async () => {
    refused(await inject('GET', '/__admin/accounts', { origin: EVIL }), 'cross_site_request');
    refused(
      await inject('GET', '/__admin/state?account=sk_test_x', {
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'cors',
      }),
      'cross_site_request',
    );
    refused(
      await inject('OPTIONS', '/__admin/reset', {
        origin: EVIL,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      }),
      'cross_site_request',
    );
    refused(await inject('GET', '/', { origin: EVIL, accept: 'application/json' }), 'cross_site_request');
    refused(
      await inject('GET', '/__console/assets/main.js', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }),
      'cross_site_request',
    );
  });

  it('a "simple" cross-site POST (no preflight) changes nothing: no reset, no clock move', async () => {
    expect(
      (await engine.app.inject({ url: '/v1/collection_cases', headers: { authorization: `Bearer ${KEY}` } }))
        .statusCode,
    ).toBe(200);
    const before = engine.clock.now();
    refused(
      await inject('POST', '/__admin/reset', { origin: EVIL, 'content-type': 'text/plain' }, 'x'),
      'cross_site_request',
    );
    refused(
      await inject('POST', '/__admin/reset', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }),
      'cross_site_request',
    );
    // another local port is another origin (a different dev server's page)
    refused(
      await inject(
        'POST',
        '/__admin/clock',
        { origin: 'http://localhost:3000', 'content-type': 'application/json' },
        JSON.stringify({ shift_seconds: 86400 }),
      ),
      'cross_site_request',
    );
    refused(
      await inject(
        'POST',
        '/__admin/clock',
        { origin: 'null', 'content-type': 'application/json' },
        JSON.stringify({ shift_seconds: 86400 }),
      ),
      'cross_site_request',
    );
    expect(engine.clock.now()).toBe(before);
    expect(engine.sandbox.store.peek(KEY)).toBeDefined();
  });

  it('DNS rebinding: a Host that is not loopback is refused on every admin and console route but health', async () => {
    for (const url of [
      '/__admin/accounts',
      '/__admin/state?account=sk_test_x',
      '/',
      '/__console/assets/main.js',
      '/%5F%5Fadmin/accounts',
      '/_%5Fadmin/clock',
      '/__admin/accounts;x',
    ]) {
      refused(await inject('GET', url, { host: 'rebind.example:4010' }), 'host_not_allowed');
    }
    refused(
      await inject('POST', '/__admin/reset', { host: 'rebind.example:4010', origin: 'http://rebind.example:4010' }),
      'host_not_allowed',
    );
    expect((await inject('GET', '/__admin/health', { host: 'rebind.example:4010' })).statusCode).toBe(200);
    expect(engine.sandbox.store.peek(KEY)).toBeDefined();
  });

  it("the console's own page, programs, and a page opened in a tab still work", async () => {
    for (const host of ['localhost:4010', '127.0.0.1:4010', '127.1.2.3', '[::1]:4010', 'localhost']) {
      expect((await inject('GET', '/__admin/accounts', { host })).statusCode, host).toBe(200);
    }
    const own = {
      origin: 'http://localhost:4010',
      'sec-fetch-site': 'same-origin',
      'sec-fetch-mode': 'cors',
      'content-type': 'application/json',
    };
    expect((await inject('POST', '/__admin/clock', own, '{}')).statusCode).toBe(200);
    expect(
      (await inject('GET', '/__admin/lifecycle', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await inject('GET', '/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', accept: 'text/html' }))
        .statusCode,
    ).toBe(200);
    expect((await inject('GET', '/', { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' })).statusCode).toBe(200);
  });

  it('no CORS headers on admin and console routes, even for a program', async () => {
    const answer = await inject('GET', '/__admin/accounts');
    expect(answer.statusCode).toBe(200);
    expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('the API routes keep their CORS (browsers call the mock)', async () => {
    const list = await inject('GET', '/v1/collection_cases', { origin: EVIL, authorization: `Bearer ${KEY}` });
    expect(list.statusCode).toBe(200);
    expect(list.headers['access-control-allow-origin']).toBe('*');
    const preflight = await inject('OPTIONS', '/v1/collection_cases', {
      origin: EVIL,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    const debitura = await inject('GET', '/debitura/referral/clients', { origin: EVIL, xapikey: 'browser_partner' });
    expect(debitura.headers['access-control-allow-origin']).toBe('*');
    // any Host: API routes are not the admin's
    expect(
      (await inject('GET', '/v1/collection_cases', { host: 'rebind.example:4010', authorization: `Bearer ${KEY}` }))
        .statusCode,
    ).toBe(200);
  });
});

describe('--allowed-host', () => {
  it('adds a name (a port-forwarding proxy) to the loopback ones, any port, and nothing else', async () => {
    const engine = await createMockEngine({ logLevel: 'silent', allowedHosts: ['mock-4010.preview.example'] });
    try {
      const status = async (host: string) =>
        (await engine.app.inject({ url: '/__admin/accounts', headers: { host } })).statusCode;
      expect(await status('mock-4010.preview.example')).toBe(200);
      expect(await status('MOCK-4010.preview.example:443')).toBe(200);
      expect(await status('localhost:4010')).toBe(200);
      expect(await status('other.preview.example')).toBe(403);
    } finally {
      await engine.close();
    }
  });
});

describe('a shared mock (0.0.0.0 with an admin token)', () => {
  let engine: MockEngine;
  const TOKEN = 'adm_browser_guard_token';
  beforeAll(async () => {
    engine = await createMockEngine({ logLevel: 'silent', host: '0.0.0.0', adminToken: TOKEN });
  });
  afterAll(() => engine.close());

  it('answers any Host (the token governs) but still no other web page', async () => {
    const ok = await engine.app.inject({
      url: '/__admin/clock',
      headers: { host: 'sandbox.internal:4010', 'x-admin-token': TOKEN },
    });
    expect(ok.statusCode).toBe(200);
    const page = await engine.app.inject({
      url: '/__admin/clock',
      headers: { host: 'sandbox.internal:4010', 'x-admin-token': TOKEN, origin: EVIL },
    });
    expect(page.statusCode).toBe(403);
    expect(page.json().error.code).toBe('cross_site_request');
  });
});

describe('over real HTTP', () => {
  it('a rebinding Host reaching 127.0.0.1 is refused', async () => {
    const mock = await createMockServer({ port: 0, logLevel: 'silent' });
    try {
      const { port } = new URL(mock.url);
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: Number(port), path: '/__admin/accounts', headers: { host } }, (res) => {
              res.resume();
              resolve(res.statusCode!);
            })
            .on('error', reject);
        });
      expect(await status(`attacker.example:${port}`)).toBe(403);
      expect(await status(`127.0.0.1:${port}`)).toBe(200);
    } finally {
      await mock.close();
    }
  });
});
