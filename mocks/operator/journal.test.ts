// The request journal over HTTP on a tiny Fastify app: ring bound, newest first, masking, body
// capture and summaries, dropped requests, clearing.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installFaults } from './faults.js';
import { BODY_LIMIT_BYTES, installJournal, maskKey, type Journal } from './journal.js';
import { renderCasaPayError } from '../apis/casapay/errors.js';

const NOW_MS = 1_795_564_800_000; // 2026-11-25T00:00:00Z
const KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

describe('maskKey', () => {
  it.each([
    [KEY, 'sk_test_4eC3…p7dc'],
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC3…p7dc'],
    ['sk_test_abcdefgh', 'sk_test_ab…gh'],
    ['sk_test_123', 'sk_test_…'],
    ['whsec_0123456789abcdefghijklmnopqrstuv', 'whsec_0123…stuv'],
    ['not-a-key-at-all-really', 'not-…ally'],
  ])('%s → %s', (key, want) => {
    expect(maskKey(key)).toBe(want);
  });
});

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function start(
  limit?: number,
  now: () => number = () => NOW_MS,
  maxBytes?: number,
): Promise<{ url: string; journal: Journal }> {
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });
  apps.push(app);
  const journal = installJournal(app, { now, limit, maxBytes });
  installFaults(app, { random: () => 0.5, prefixes: ['/v1/'], render: (_request, error) => renderCasaPayError(error) });
  // Like server.ts: non-JSON bodies are kept as a Buffer.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, raw, done) => done(null, raw));
  app.post('/v1/echo', async (request, reply) => reply.code(201).send(request.body));
  app.get('/v1/ping', async () => ({ ok: true }));
  app.get('/v1/fail', async (_request, reply) => reply.code(404).send({ error: { code: 'resource_not_found' } }));
  app.get('/v1/file', async (_request, reply) =>
    reply.header('content-type', 'application/pdf').send(Buffer.alloc(300_000, 1)),
  );
  app.get('/v1/big', async () => ({
    items: Array.from({ length: 5000 }, (_, i) => ({ id: `item_${i}`, text: 'x'.repeat(20) })),
  }));
  app.post('/v1/webhook_endpoints', async (_request, reply) =>
    reply.code(201).send({ id: 'we_1', object: 'webhook_endpoint', secret: 'whsec_0123456789abcdefghijklmnopqrstuv' }),
  );
  app.post('/v1/upload', async () => ({ ok: true }));
  app.get('/__admin/health', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, journal };
}

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

/** The 'close' listener records a dropped request a moment after the socket goes. */
async function eventually<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}

describe('journal', () => {
  it('keeps the last `limit` requests, newest first', async () => {
    const { url, journal } = await start(3);
    for (let i = 1; i <= 5; i++) await (await fetch(`${url}/v1/ping?n=${i}`, { headers: auth(KEY) })).arrayBuffer();
    expect(journal.size).toBe(3);
    expect(journal.entries().map((e) => e.url)).toEqual(['/v1/ping?n=5', '/v1/ping?n=4', '/v1/ping?n=3']);
    expect(journal.entries({ limit: 2 }).map((e) => e.url)).toEqual(['/v1/ping?n=5', '/v1/ping?n=4']);
  });

  it('records id, time, status, duration and bodies; masks the key', async () => {
    const { url, journal } = await start();
    const response = await fetch(`${url}/v1/echo`, {
      method: 'POST',
      headers: { ...auth(KEY), 'content-type': 'application/json', 'x-trace': 't1' },
      body: JSON.stringify({ amount: 1 }),
    });
    await response.arrayBuffer();
    const [entry] = journal.entries();
    expect(entry).toMatchObject({
      id: expect.stringMatching(/^req-/),
      at: '2026-11-25T00:00:00.000Z',
      method: 'POST',
      url: '/v1/echo',
      account: 'sk_test_4eC3…p7dc',
      status: 201,
      request: { body: { amount: 1 } },
      response: { body: { amount: 1 } },
    });
    expect(entry!.duration_ms).toBeGreaterThanOrEqual(0);
    expect(entry!.request.headers).toMatchObject({ authorization: 'Bearer sk_test_4eC3…p7dc', 'x-trace': 't1' });
    expect(JSON.stringify(journal.entries())).not.toContain(KEY);
  });

  it('masks a malformed Authorization header entirely', async () => {
    const { url, journal } = await start();
    await (await fetch(`${url}/v1/ping`, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } })).arrayBuffer();
    expect(journal.entries()[0]).toMatchObject({ account: null, request: { headers: { authorization: '(masked)' } } });
  });

  it('filters and clears by account', async () => {
    const { url, journal } = await start();
    const other = 'sk_test_someone_else_entirely';
    await (await fetch(`${url}/v1/ping?who=a`, { headers: auth(KEY) })).arrayBuffer();
    await (await fetch(`${url}/v1/ping?who=b`, { headers: auth(other) })).arrayBuffer();
    await (await fetch(`${url}/v1/fail`, { headers: auth(KEY) })).arrayBuffer();
    expect(journal.entries({ account: KEY }).map((e) => [e.url, e.status])).toEqual([
      ['/v1/fail', 404],
      ['/v1/ping?who=a', 200],
    ]);
    journal.clear(KEY);
    expect(journal.entries().map((e) => e.url)).toEqual(['/v1/ping?who=b']);
    journal.clear();
    expect(journal.entries()).toEqual([]);
  });

  it('summarises downloads and uploads, truncates large JSON at 64 KB', async () => {
    const { url, journal } = await start();
    await (await fetch(`${url}/v1/file`, { headers: auth(KEY) })).arrayBuffer();
    expect(journal.entries()[0]!.response).toEqual({ body: '(application/pdf, 300000 bytes)' });

    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(1000)]), 'a.pdf');
    await (await fetch(`${url}/v1/upload`, { method: 'POST', headers: auth(KEY), body: form })).arrayBuffer();
    expect(journal.entries()[0]!.request.body).toMatch(/^\(multipart, \d+ bytes\)$/);

    await (
      await fetch(`${url}/v1/echo`, {
        method: 'POST',
        headers: { ...auth(KEY), 'content-type': 'text/csv' },
        body: 'a,b\n1,2\n',
      })
    ).arrayBuffer();
    expect(journal.entries()[0]!.request.body).toBe('(text/csv, 8 bytes)');

    await (await fetch(`${url}/v1/big`, { headers: auth(KEY) })).arrayBuffer();
    const big = journal.entries()[0]!.response;
    expect(big.truncated).toBe(true);
    expect(typeof big.body).toBe('string');
    expect(Buffer.byteLength(big.body as string)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
  });

  const bigBody = (i: number) =>
    JSON.stringify({ i, filler: Array.from({ length: 20_000 }, (_, n) => `item_${n}_${'x'.repeat(40)}`) });

  it('cuts bodies to 64 KB when it records them, not when they are read: 1 MB bodies pin ~64 KB each', async () => {
    const { url, journal } = await start();
    for (let i = 0; i < 5; i++) {
      const body = bigBody(i);
      expect(body.length).toBeGreaterThan(1_000_000);
      await (
        await fetch(`${url}/v1/echo`, {
          method: 'POST',
          headers: { ...auth(KEY), 'content-type': 'application/json' },
          body,
        })
      ).arrayBuffer();
    }
    expect(journal.size).toBe(5);
    // Two bodies of at most 64 KB each, plus URL and headers, per entry.
    expect(journal.bytes).toBeLessThanOrEqual(5 * (2 * BODY_LIMIT_BYTES + 4096));
    const [newest] = journal.entries();
    expect(newest!.request.truncated).toBe(true);
    expect((newest!.request.body as string).startsWith('{"i":4,')).toBe(true);
    expect(Buffer.byteLength(newest!.request.body as string)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
    // Small bodies are still kept whole (and parsed back when read).
    await (
      await fetch(`${url}/v1/echo`, {
        method: 'POST',
        headers: { ...auth(KEY), 'content-type': 'application/json' },
        body: '{"a":1}',
      })
    ).arrayBuffer();
    expect(journal.entries()[0]!.request.body).toEqual({ a: 1 });
  });

  it('keeps the entries within a byte budget, oldest dropped first', async () => {
    const budget = 300_000;
    const { url, journal } = await start(200, undefined, budget);
    expect(journal.maxBytes).toBe(budget);
    for (let i = 0; i < 10; i++) {
      await (
        await fetch(`${url}/v1/echo`, {
          method: 'POST',
          headers: { ...auth(KEY), 'content-type': 'application/json' },
          body: bigBody(i),
        })
      ).arrayBuffer();
      expect(journal.bytes).toBeLessThanOrEqual(budget);
    }
    expect(journal.size).toBeGreaterThan(0);
    expect(journal.size).toBeLessThan(10);
    expect((journal.entries()[0]!.request.body as string).startsWith('{"i":9,')).toBe(true);
    journal.clear();
    expect(journal.bytes).toBe(0);
  });

  it('masks a webhook endpoint secret in the response', async () => {
    const { url, journal } = await start();
    await (await fetch(`${url}/v1/webhook_endpoints`, { method: 'POST', headers: auth(KEY) })).arrayBuffer();
    expect(journal.entries()[0]!.response.body).toEqual({
      id: 'we_1',
      object: 'webhook_endpoint',
      secret: 'whsec_0123…stuv',
    });
  });

  it('records injected failures and dropped connections', async () => {
    const { url, journal } = await start();
    await (await fetch(`${url}/v1/ping`, { headers: { ...auth(KEY), Prefer: 'fail=503' } })).arrayBuffer();
    expect(journal.entries()[0]).toMatchObject({
      status: 503,
      response: { body: { error: { code: 'service_unavailable' } } },
    });

    await expect(fetch(`${url}/v1/ping?dropped`, { headers: { ...auth(KEY), Prefer: 'drop' } })).rejects.toThrow();
    const dropped = await eventually(() => journal.entries().find((e) => e.url === '/v1/ping?dropped'));
    expect(dropped).toMatchObject({ status: null, response: { body: expect.stringContaining('no response') } });
  });

  it('leaves /__admin out and uses the injected clock', async () => {
    let now = NOW_MS;
    const { url, journal } = await start(undefined, () => now);
    await (await fetch(`${url}/__admin/health`)).arrayBuffer();
    expect(journal.entries()).toEqual([]);
    now += 86_400_000;
    await (await fetch(`${url}/v1/ping`)).arrayBuffer();
    expect(journal.entries()[0]!.at).toBe('2026-11-26T00:00:00.000Z');
  });

  it('refuses a nonsensical limit', () => {
    expect(() => installJournal(Fastify(), { now: () => 0, limit: -1 })).toThrow(/whole number/);
    expect(() => installJournal(Fastify(), { now: () => 0, limit: 1.5 })).toThrow(/whole number/);
  });

  it.each([
    ['off', 0, 0],
    ['on', 5, 1],
  ])('touches the request path only when on: %s (limit %i)', async (_name, limit, reads) => {
    const app = Fastify();
    let clockReads = 0;
    installJournal(app, { now: () => ++clockReads, limit });
    app.get('/v1/x', async () => ({ ok: true }));
    await app.inject({ url: '/v1/x' });
    expect(clockReads).toBe(reads);
  });
});
