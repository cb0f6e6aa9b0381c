// /__admin over HTTP. First against a bare Fastify app with a Sandbox built the way server.ts builds
// it (state is created by calling the real handlers), then — once server.ts registers the admin
// routes — a smoke test against createMockServer itself.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerAdmin } from './admin.js';
import { createClock, type Clock } from '../engine/clock.js';
import { loadContract } from '../../kit/contract.js';
import type { Handler } from '../apis/casapay/handlers/context.js';
import { handlers } from '../apis/casapay/handlers/index.js';
import { installJournal, type Journal } from './journal.js';
import { Sandbox } from '../engine/sandbox.js';
import { attachModules } from '../engine/api-module.js';
import type { Account } from '../engine/state/accounts.js';
import { createCasaPay, type CasaPayModule } from '../apis/casapay/module.js';
import { renderCasaPayError } from '../apis/casapay/errors.js';
import { casapayAccount } from '../apis/casapay/state.js';
import { timelineOf } from '../apis/casapay/timelines.js';
import { parseVariants, variantHooks } from '../apis/casapay/variants.js';

const contract = loadContract();
/** 2026-11-25T00:00:00Z */
const NOW = 1795564800;
const KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
const CASE = {
  amount_to_recover: 360000,
  currency: 'eur',
  debtor: {
    type: 'private',
    name: 'John Smith',
    address: { line1: 'Friedrichstraße 123', city: 'Berlin', postal_code: '10117', country: 'DE' },
  },
  due_date: '2024-11-01',
};

interface Harness {
  url: string;
  app: FastifyInstance;
  sandbox: Sandbox;
  casapay: CasaPayModule;
  journal: Journal;
  clock: Clock;
}

let h: Harness;

beforeEach(async () => {
  const clock = createClock({ start: NOW, frozen: true });
  const sandbox = new Sandbox({ contract, clock, seed: 'admin', retryDelaysMs: [10], userAgent: 'test' });
  const casapay = createCasaPay({
    sandbox,
    contract,
    variants: variantHooks(parseVariants([]), { contract, random: () => 0.5 }),
  });
  attachModules(sandbox, [casapay]);
  // The harness's accounts start empty (no quickstart for the docs' key): tests create what they read.
  sandbox.seedAccount = () => undefined;
  const app = Fastify({ logger: false });
  const journal = installJournal(app, { now: () => clock.nowMs() });
  await registerAdmin(app, { sandbox, modules: [casapay], renderError: renderCasaPayError, journal, clock });
  app.get('/v1/ping', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  h = { url: `http://127.0.0.1:${port}`, app, sandbox, casapay, journal, clock };
});

afterEach(async () => {
  await h.app.close();
  await h.sandbox.close();
});

/** Runs a real handler against an account, as the pipeline does, and flushes its events. */
function run(account: Account, handler: Handler, body: unknown = {}, params: Record<string, string> = {}) {
  const ctx = h.casapay.contextFor(account);
  const result = handler(Object.assign(ctx, { params, body, path: '/v1/test' })) as { status: number; body: any };
  ctx.flush();
  return result.body;
}

async function call(method: string, path: string, body?: unknown) {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(`${h.url}${path}`, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const envelope = (code: string, param: string | null) => ({
  error: { type: expect.any(String), code, message: expect.any(String), param, doc_url: expect.stringContaining(code) },
});

describe('/__admin/health', () => {
  it('answers ok with a Request-Id and no caching', async () => {
    const res = await call('GET', '/__admin/health');
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    expect(res.headers.get('request-id')).toBeTruthy();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('/__admin/reset', () => {
  it('resets one account (query or body) or all', async () => {
    run(casapayAccount(h.sandbox.account(KEY)), handlers.createCollectionCase!, CASE);
    run(casapayAccount(h.sandbox.account('sk_test_other')), handlers.createCollectionCase!, CASE);

    expect(await call('POST', `/__admin/reset?account=${KEY}`)).toMatchObject({ status: 200, body: { reset: KEY } });
    expect(h.sandbox.store.peek(KEY)).toBeUndefined();
    expect(h.sandbox.store.peek('sk_test_other')).toBeDefined();

    run(casapayAccount(h.sandbox.account(KEY)), handlers.createCollectionCase!, CASE);
    expect(await call('POST', '/__admin/reset', { account: KEY })).toMatchObject({ status: 200, body: { reset: KEY } });
    expect(h.sandbox.store.peek(KEY)).toBeUndefined();

    expect(await call('POST', '/__admin/reset')).toMatchObject({ status: 200, body: { reset: 'all' } });
    expect(h.sandbox.store.all()).toEqual([]);
  });

  it.each([
    ['?account=pk_test_1', undefined, 'parameter_invalid', 'account'],
    ['', { account: 42 }, 'parameter_invalid', 'account'],
    ['', { acount: KEY }, 'parameter_unknown', 'acount'],
    ['', [KEY], 'parameter_invalid', null],
    ['', '{"account":', 'parameter_invalid', null],
  ])('refuses %s %j with the error envelope', async (query, body, code, param) => {
    const res = await call('POST', `/__admin/reset${query}`, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(envelope(code, param));
  });
});

describe('/__admin/state', () => {
  it('needs an account', async () => {
    const res = await call('GET', '/__admin/state');
    expect(res).toMatchObject({ status: 400, body: envelope('parameter_missing', 'account') });
  });

  it('is a 404 for an account never used, without creating it', async () => {
    const res = await call('GET', `/__admin/state?account=${KEY}`);
    expect(res).toMatchObject({ status: 404, body: envelope('resource_not_found', 'account') });
    expect(h.sandbox.store.peek(KEY)).toBeUndefined();
  });

  it('dumps every collection, the agreements and the schedule, without secrets', async () => {
    const account = casapayAccount(h.sandbox.account(KEY));
    const collectionCase = run(account, handlers.createCollectionCase!, CASE);
    const clock = run(account, handlers.createTestClock!, { frozen_time: NOW, name: 'admin test' });
    const endpoint = run(account, handlers.createWebhookEndpoint!, {
      url: 'http://127.0.0.1:9/hooks',
      enabled_events: ['claim.paid'],
    });
    expect(endpoint.secret).toMatch(/^whsec_/);

    const res = await call('GET', `/__admin/state?account=${KEY}`);
    expect(res.status).toBe(200);
    const state = res.body;
    expect(state).toMatchObject({
      object: 'mock_state',
      account: KEY,
      livemode: false,
      agreements: { contract_signed: true, power_of_attorney: true, kyc_verified: true },
      collection_cases: [{ id: collectionCase.id, reference: collectionCase.reference }],
      references: { [collectionCase.reference]: collectionCase.id },
      case_files: [],
      debt_payments: [],
      guarantee_policies: [],
      guarantees: [],
      claims: [],
      webhook_endpoints: [{ id: endpoint.id, url: 'http://127.0.0.1:9/hooks' }],
      test_clocks: [{ id: clock.id, frozen_time: NOW }],
    });
    expect(state.timelines[collectionCase.id].length).toBeGreaterThan(0);
    expect(state.events.map((e: { type: string }) => e.type)).toContain('collection_case.created');
    expect(state.scheduled_tasks.length).toBeGreaterThan(0);
    for (const task of state.scheduled_tasks) expect(Object.keys(task).sort()).toEqual(['at', 'clock', 'description']);
    expect(JSON.stringify(state)).not.toContain(endpoint.secret);
    expect(state.webhook_endpoints[0]).not.toHaveProperty('secret');
  });
});

describe('/__admin/journal', () => {
  it('lists requests newest first, by account and limit, and clears them', async () => {
    for (const [key, n] of [
      [KEY, 1],
      ['sk_test_other', 2],
      [KEY, 3],
    ] as const) {
      await (await fetch(`${h.url}/v1/ping?n=${n}`, { headers: { Authorization: `Bearer ${key}` } })).arrayBuffer();
    }
    const all = await call('GET', '/__admin/journal');
    expect(all.body.data.map((e: { url: string }) => e.url)).toEqual(['/v1/ping?n=3', '/v1/ping?n=2', '/v1/ping?n=1']);
    expect(all.body.data[0]).toMatchObject({
      account: 'sk_test_4eC3…p7dc',
      status: 200,
      at: '2026-11-25T00:00:00.000Z',
    });

    const mine = await call('GET', `/__admin/journal?account=${KEY}&limit=1`);
    expect(mine.body.data.map((e: { url: string }) => e.url)).toEqual(['/v1/ping?n=3']);

    expect(await call('DELETE', `/__admin/journal?account=${KEY}`)).toMatchObject({
      status: 200,
      body: { cleared: KEY },
    });
    expect((await call('GET', '/__admin/journal')).body.data.map((e: { url: string }) => e.url)).toEqual([
      '/v1/ping?n=2',
    ]);
    expect(await call('DELETE', '/__admin/journal')).toMatchObject({ status: 200, body: { cleared: 'all' } });
    expect((await call('GET', '/__admin/journal')).body).toEqual({ data: [] });
  });

  it.each([['0'], ['201'], ['ten'], ['1.5']])('refuses limit=%s', async (limit) => {
    const res = await call('GET', `/__admin/journal?limit=${limit}`);
    expect(res).toMatchObject({ status: 400, body: envelope('parameter_invalid', 'limit') });
  });
});

describe('/__admin/clock', () => {
  it('reads the clock', async () => {
    expect(await call('GET', '/__admin/clock')).toMatchObject({ status: 200, body: { now: NOW, frozen: true } });
  });

  it('shifts, sets, freezes and unfreezes time', async () => {
    expect((await call('POST', '/__admin/clock', { shift_seconds: 3600 })).body).toMatchObject({
      now: NOW + 3600,
      frozen: true,
    });
    expect((await call('POST', '/__admin/clock', { at: NOW + 86_400 })).body).toMatchObject({
      now: NOW + 86_400,
      frozen: true,
    });
    expect((await call('POST', '/__admin/clock', { freeze: true, at: NOW, shift_seconds: 60 })).body).toMatchObject({
      now: NOW + 60,
      frozen: true,
    });
    const running = (await call('POST', '/__admin/clock', { freeze: false })).body;
    expect(running.frozen).toBe(false);
    expect(Math.abs(running.now - (NOW + 60))).toBeLessThanOrEqual(1);
    expect((await call('POST', '/__admin/clock', { freeze: true })).body.frozen).toBe(true);
  });

  it('runs what the new time made due', async () => {
    const account = casapayAccount(h.sandbox.account(KEY));
    let ran = 0;
    h.sandbox.tasks.define('test.count', () => void ran++);
    h.sandbox.effects(account).schedule(NOW + 7200, null, 'test.count', {}, 'admin test task');
    const before = (await call('GET', `/__admin/state?account=${KEY}`)).body.scheduled_tasks;
    expect(before).toContainEqual({ at: NOW + 7200, clock: null, description: 'admin test task' });

    await call('POST', '/__admin/clock', { shift_seconds: 3600 });
    expect(ran).toBe(0);
    await call('POST', '/__admin/clock', { shift_seconds: 3600 });
    expect(ran).toBe(1);
    const after = (await call('GET', `/__admin/state?account=${KEY}`)).body.scheduled_tasks;
    expect(after.map((t: { description: string }) => t.description)).not.toContain('admin test task');
  });

  // Bug 11 of issue 17: a shift past a task's due time dated its effects at the end of the shift.
  it('dates what a shift made due at its due time, as a test clock advance does', async () => {
    const DAY = 86_400;
    const account = casapayAccount(h.sandbox.account(KEY));
    const created = run(account, handlers.createCollectionCase!, {
      ...CASE,
      debtor: { ...CASE.debtor, name: 'Pays In Full GmbH' },
    });
    expect(created.status).toBe('active');

    await call('POST', '/__admin/clock', { shift_seconds: 4 * DAY });
    const dated = (type: string) =>
      account.events
        .values()
        .filter((e) => e.type === type)
        .map((e) => e.created);
    expect(dated('debt_payment.created')).toEqual([NOW + 3 * DAY]);
    expect(dated('collection_case.closed')).toEqual([NOW + 3 * DAY]);
    const closed = account.cases.get(created.id)!;
    expect(closed.status).toBe('closed');
    const timeline = timelineOf(account.timelines, created.id)!;
    expect(timeline.find((entry) => entry.type === 'payment_received')?.date).toBe(NOW + 3 * DAY);
    expect(account.payments.values().map((p) => p.created)).toEqual([NOW + 3 * DAY]);
    // The demand letter (due the day after activation) is dated then too, and the clock stays where it was moved.
    expect(timeline.find((entry) => entry.type === 'demand_letter_sent')?.date).toBe(NOW + DAY);
    expect(h.clock.now()).toBe(NOW + 4 * DAY);
  });

  it.each([
    [{ freeze: 'yes' }, 'parameter_invalid', 'freeze'],
    [{ at: -1 }, 'parameter_invalid', 'at'],
    [{ at: 1.5 }, 'parameter_invalid', 'at'],
    [{ shift_seconds: '60' }, 'parameter_invalid', 'shift_seconds'],
    [{ speed: 2 }, 'parameter_unknown', 'speed'],
  ])('refuses %j', async (body, code, param) => {
    const res = await call('POST', '/__admin/clock', body);
    expect(res).toMatchObject({ status: 400, body: envelope(code, param) });
    expect(h.clock.now()).toBe(NOW);
  });
});

// ---- against the real server, once server.ts registers the admin routes -------------------------

type MockServerModule = typeof import('../server.js');
let mock: Awaited<ReturnType<MockServerModule['createMockServer']>> | undefined;
try {
  const { createMockServer } = (await import('../server.js')) as MockServerModule;
  mock = await createMockServer({
    port: 0,
    logLevel: 'silent',
    seed: 'admin',
    clock: createClock({ start: NOW, frozen: true }),
  });
  if ((await fetch(`${mock.url}/__admin/health`)).status !== 200) {
    await mock.close();
    mock = undefined;
  }
} catch {
  mock = undefined;
}
afterAll(async () => {
  await mock?.close();
});

describe.runIf(mock !== undefined)('createMockServer with /__admin wired in', () => {
  const api = async (method: string, path: string, body?: unknown, prefer?: string) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${KEY}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (prefer) headers.prefer = prefer;
    const response = await fetch(`${mock!.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${mock!.url}/__admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('state, journal, clock, faults and reset work end to end', async () => {
    const created = await api('POST', '/v1/webhook_endpoints', {
      url: 'https://example.com/hooks',
      enabled_events: ['claim.paid'],
    });
    expect(created.status).toBe(201);

    const state = await admin('GET', `/state?account=${KEY}`);
    expect(state.body.webhook_endpoints.map((e: { id: string }) => e.id)).toContain(created.body.id);
    expect(JSON.stringify(state.body)).not.toContain(created.body.secret);

    const journal = await admin('GET', `/journal?account=${KEY}&limit=1`);
    expect(journal.body.data[0]).toMatchObject({
      method: 'POST',
      url: '/v1/webhook_endpoints',
      status: 201,
      account: 'sk_test_4eC3…p7dc',
    });
    expect(JSON.stringify(journal.body)).not.toContain(created.body.secret);

    expect((await api('GET', '/v1/webhook_endpoints', undefined, 'fail=503')).status).toBe(503);

    expect((await admin('POST', '/clock', { shift_seconds: 60 })).body).toMatchObject({ now: NOW + 60, frozen: true });

    expect(await admin('POST', '/reset', { account: KEY })).toMatchObject({ status: 200, body: { reset: KEY } });
    expect((await admin('GET', `/state?account=${KEY}`)).status).toBe(404);
  });
});
