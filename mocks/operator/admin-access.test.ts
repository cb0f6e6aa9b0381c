// A shared mock over real HTTP: listening on 0.0.0.0 (traffic only ever sent to 127.0.0.1), the
// console and /__admin need the admin token, an account's admin data needs its own key, resetting
// everything needs the token, and accounts are bounded (least recently used evicted). Also the admin
// routes the console reads: accounts, lifecycle, scenarios. And loopback stays open, as before.
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessFor, isLoopbackHost } from './admin-access.js';
import { maskKey } from './journal.js';
import { CASE_MOVES, CLAIM_MOVES, GUARANTEE_MOVES } from '../apis/casapay/domain/lifecycle.js';
import { createMockServer } from '../server.js';
import { DOCS_API_KEY } from '../server.js';
import { QUICKSTART_CASE, startMock, type TestMock } from '../test-support.js';
import { casapayAccount } from '../apis/casapay/state.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = 'admin-token-for-tests';
const A = 'sk_test_team_a';
const B = 'sk_test_team_b';

describe('which addresses are loopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['10.0.0.1', false],
  ])('%s → %s', (host, loopback) => expect(isLoopbackHost(host)).toBe(loopback));

  it('a non-loopback address without a token is refused, saying why and how', () => {
    expect(() => accessFor('0.0.0.0', undefined)).toThrow(
      /refusing to listen on 0\.0\.0\.0 without an admin token.*--admin-token.*CASAPAY_MOCK_ADMIN_TOKEN/,
    );
    expect(() => accessFor('0.0.0.0', 'short')).toThrow(/at least 8/);
    expect(accessFor('127.0.0.1', undefined)).toEqual({ shared: false, token: undefined });
  });

  it('the CLI refuses to start on 0.0.0.0 without a token, and exits 1', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'mocks/cli.ts', '--host', '0.0.0.0', '--port', '0'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CASAPAY_MOCK_ADMIN_TOKEN: '' },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/casapay-mock: refusing to listen on 0\.0\.0\.0 without an admin token/);
  });

  it('createMockServer refuses before listening', async () => {
    await expect(createMockServer({ host: '0.0.0.0', port: 0, logLevel: 'silent' })).rejects.toThrow(
      /without an admin token/,
    );
  });
});

describe('a shared mock (listening on 0.0.0.0 with an admin token)', () => {
  let mock: TestMock;
  let base: string;
  beforeAll(async () => {
    mock = await startMock({ host: '0.0.0.0', adminToken: TOKEN });
    // Listening on every address; talk to it over loopback only.
    base = `http://127.0.0.1:${(mock.app.server.address() as AddressInfo).port}`;
    for (const key of [A, B]) {
      const res = await fetch(`${base}/v1/collection_cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(QUICKSTART_CASE),
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => mock.close());

  const send = async (method: string, route: string, headers: Record<string, string> = {}, body?: unknown) => {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  const admin = { 'x-admin-token': TOKEN };
  const as = (key: string) => ({ ...admin, authorization: `Bearer ${key}` });

  it('admin routes need the token (health stays open)', async () => {
    expect((await send('GET', '/__admin/health')).status).toBe(200);
    const missing = await send('GET', '/__admin/clock');
    expect(missing.status).toBe(401);
    expect(missing.json.error).toMatchObject({ type: 'authentication_error', code: 'api_key_missing', param: null });
    const wrong = await send('GET', '/__admin/clock', { 'x-admin-token': 'not-the-token' });
    expect(wrong.json.error.code).toBe('api_key_invalid');
    expect((await send('GET', '/__admin/clock', admin)).status).toBe(200);
    // The clock is frozen: a refused shift leaves its now where it was (offset_seconds follows real time, so it is not compared).
    const nowBefore = (await send('GET', '/__admin/clock', admin)).json.now;
    expect((await send('POST', '/__admin/clock', {}, { shift_seconds: 3600 })).status).toBe(401);
    expect((await send('GET', '/__admin/clock', admin)).json).toMatchObject({ now: nowBefore, frozen: true });
  });

  it("an account's state needs its own key as well as the token", async () => {
    expect((await send('GET', `/__admin/state?account=${A}`, admin)).json.error.code).toBe('api_key_missing');
    const other = await send('GET', `/__admin/state?account=${A}`, as(B));
    expect(other.status).toBe(401);
    expect(other.json.error).toMatchObject({ code: 'api_key_invalid' });
    expect(other.text).not.toContain('collection_case');
    const own = await send('GET', `/__admin/state?account=${A}`, as(A));
    expect(own.status).toBe(200);
    expect(own.json.collection_cases).toHaveLength(1);
  });

  it("a Debitura partner's state needs its own XApiKey as well as the token", async () => {
    const created = await send(
      'POST',
      '/debitura/referral/clients',
      { XApiKey: 'partner_team_a' },
      {
        externalTenantId: 'shared-1',
        client: { name: 'Acme GmbH', country: 'DE', supportEmail: 's@acme.example' },
        users: [{ email: 'a@acme.example', name: 'A' }],
      },
    );
    expect(created.status).toBe(202);
    const route = '/__admin/state?account=debitura:partner_team_a';
    expect((await send('GET', route, admin)).json.error.code).toBe('api_key_missing');
    expect((await send('GET', route, { ...admin, XApiKey: 'partner_team_b' })).status).toBe(401);
    // A CasaPay key does not open a Debitura account either.
    expect((await send('GET', route, as(A))).status).toBe(401);
    const own = await send('GET', route, { ...admin, XApiKey: 'partner_team_a' });
    expect(own.status).toBe(200);
    expect(own.json.debitura.clients.map((c: { externalTenantId: string }) => c.externalTenantId)).toEqual([
      'shared-1',
    ]);
  });

  it("the journal shows one account's requests, to that account only", async () => {
    const all = await send('GET', '/__admin/journal', admin);
    expect(all.status).toBe(400);
    expect(all.json.error).toMatchObject({ code: 'parameter_missing', param: 'account' });
    expect((await send('GET', `/__admin/journal?account=${A}`, as(B))).status).toBe(401);
    const own = await send('GET', `/__admin/journal?account=${A}`, as(A));
    expect(own.status).toBe(200);
    expect(own.json.data.length).toBeGreaterThan(0);
    expect(new Set(own.json.data.map((e: any) => e.account))).toEqual(new Set([maskKey(A)]));
    expect(JSON.stringify(own.json)).not.toContain('team_b');
    // The admin token never shows in a journal, as header or cookie.
    await fetch(`${base}/v1/collection_cases`, {
      headers: { authorization: `Bearer ${A}`, cookie: `casapay_admin_token=${TOKEN}`, 'x-admin-token': TOKEN },
    });
    expect(JSON.stringify((await send('GET', `/__admin/journal?account=${A}`, as(A))).json)).not.toContain(TOKEN);
  });

  it("one team cannot reset another's account; resetting all needs the token", async () => {
    expect((await send('POST', `/__admin/reset?account=${B}`, as(A))).status).toBe(401);
    expect(mock.sandbox.store.peek(B)).toBeDefined();
    const noToken = await send('POST', '/__admin/reset', { authorization: `Bearer ${A}` });
    expect(noToken.status).toBe(401);
    expect(mock.sandbox.store.peek(A)).toBeDefined();
    expect((await send('POST', `/__admin/reset?account=${B}`, as(B))).json).toEqual({ reset: B });
    expect(mock.sandbox.store.peek(B)).toBeUndefined();
  });

  it('lists accounts with masked keys only, and bounds them by default', async () => {
    const accounts = await send('GET', '/__admin/accounts', admin);
    expect(accounts.status).toBe(200);
    expect(accounts.json.max_accounts).toBe(1000);
    expect(accounts.json.data.map((a: any) => a.key)).toEqual(accounts.json.data.map(() => null));
    expect(accounts.text).not.toContain(A);
  });

  it('the console asks for the token; signing in sets an HttpOnly cookie that opens it', async () => {
    const page = await send('GET', '/', { accept: 'text/html' });
    expect(page.status).toBe(401);
    expect(page.text).toContain('name="token"');
    expect(page.text).not.toContain('/__console/assets/main.js');
    // The JSON front door (what is this server?) stays as it was.
    expect((await send('GET', '/', { accept: 'application/json' })).status).toBe(200);
    expect((await send('GET', '/__console/assets/main.js')).status).toBe(401);

    const bad = await fetch(`${base}/__console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=wrong-token-x',
      redirect: 'manual',
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    const good = await fetch(`${base}/__console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}`,
      redirect: 'manual',
    });
    expect(good.status).toBe(303);
    const cookie = good.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const jar = { cookie: cookie.split(';')[0]! };
    const signedIn = await send('GET', '/', { ...jar, accept: 'text/html' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.text).toContain('/__console/assets/main.js');
    expect((await send('GET', '/__admin/clock', jar)).status).toBe(200);
  });
});

describe('bounded accounts: the least recently used goes first', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startMock({ maxAccounts: 2 });
  });
  afterAll(() => mock.close());

  it('evicts the account used longest ago, and its key opens a new, empty account', async () => {
    const create = (key: string) => mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE });
    await create('sk_test_lru_1');
    await create('sk_test_lru_2');
    await mock.call('GET', '/v1/collection_cases', { key: 'sk_test_lru_1' }); // 1 is now the most recent
    await create('sk_test_lru_3');
    expect(mock.sandbox.store.peek('sk_test_lru_2')).toBeUndefined();
    expect(mock.sandbox.store.peek('sk_test_lru_1')).toBeDefined();
    const accounts = (await (await fetch(`${mock.url}/__admin/accounts`)).json()) as any;
    expect(accounts).toMatchObject({ max_accounts: 2, evicted: 1 });
    // On loopback the console may offer the full keys.
    expect(accounts.data.map((a: any) => a.key)).toEqual(['sk_test_lru_1', 'sk_test_lru_3']);
    expect((await mock.call('GET', '/v1/collection_cases', { key: 'sk_test_lru_2' })).body.data).toEqual([]);
  });
});

describe('admin routes the console reads', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(() => mock.close());

  const post = async (route: string, body: unknown) => {
    const res = await fetch(`${mock.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('GET /__admin/lifecycle is the lifecycle module', async () => {
    const body = (await (await fetch(`${mock.url}/__admin/lifecycle`)).json()) as any;
    expect(body.collection_case.moves).toEqual(CASE_MOVES);
    expect(body.guarantee.moves).toEqual(GUARANTEE_MOVES);
    expect(body.claim.moves).toEqual(CLAIM_MOVES);
  });

  it('loads a scenario into a new account, or into the given one', async () => {
    const fresh = await post('/__admin/scenarios', { scenario: 'paid-in-full' });
    expect(fresh.status).toBe(201);
    expect(fresh.body).toMatchObject({ object: 'scenario_load', scenario: 'paid-in-full', new_account: true });
    expect(fresh.body.account).toMatch(/^sk_test_[A-Za-z0-9]{32}$/);
    expect((await mock.call('GET', '/v1/collection_cases', { key: fresh.body.account })).body.data).toHaveLength(1);

    const key = 'sk_test_scenario_here';
    await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE });
    const here = await post('/__admin/scenarios', { scenario: 'paid-in-full', account: key });
    expect(here.body).toMatchObject({ account: key, new_account: false });
    expect((await mock.call('GET', '/v1/collection_cases', { key })).body.data).toHaveLength(2);
  });

  it.each([
    [{}, 400, 'parameter_missing', 'scenario'],
    [{ scenario: 'no-such' }, 400, 'parameter_invalid', 'scenario'],
    [{ scenario: 'demo', extra: 1 }, 400, 'parameter_unknown', 'extra'],
    [{ scenario: 'demo', account: 'not-a-key' }, 400, 'parameter_invalid', 'account'],
    [{ scenario: 'quickstart', account: DOCS_API_KEY }, 422, 'state_invalid', 'scenario'],
  ])('refuses %j and changes nothing', async (body, status, code, param) => {
    await mock.call('GET', '/v1/collection_cases', { key: DOCS_API_KEY });
    const before = mock.sandbox.store
      .all()
      .map(casapayAccount)
      .map((a) => [a.key, a.cases.size, a.events.size]);
    const res = await post('/__admin/scenarios', body);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, param });
    expect(
      mock.sandbox.store
        .all()
        .map(casapayAccount)
        .map((a) => [a.key, a.cases.size, a.events.size]),
    ).toEqual(before);
  });
});
