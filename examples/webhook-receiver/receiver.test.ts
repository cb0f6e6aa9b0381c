// The receiver template passes the receiver kit, effects included; its duplicate memory is bounded;
// and the README's effects endpoints (Fastify, in receiver.ts; node:http, here) are what the kit reads.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { signatureHeader } from 'casapay-contract-kit/webhooks';
import { runReceiver } from '../../conformance/receiver/run.js';
import { buildReceiver, type CasaPayEvent } from './receiver.js';
import { realNowSeconds } from '../../kit/real-time.js';

const SECRET = 'whsec_templateTestSecret0123456789abcd';
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const kit = (url: string, effectsUrl: string) =>
  runReceiver({
    url,
    secret: SECRET,
    api: 'casapay',
    signing: 'casapay',
    maxLatencyMs: 3000,
    timeoutMs: 5000,
    effectsUrl,
    effectsWaitMs: 600,
    concurrency: 6,
    reportDir: null,
    write: () => undefined,
  });

it('passes every check of casapay-conformance receiver, effects included', async () => {
  const handled: string[] = [];
  const app = buildReceiver({ secret: SECRET, handle: (event) => void handled.push(event.type), exposeEffects: true });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  const { result } = await kit(`${base}/webhooks/casapay`, `${base}/effects`);
  expect(result.failures).toEqual([]);
  expect(result.checks.map((c) => `${c.name}: ${c.state}`).filter((line) => !line.endsWith(': passed'))).toEqual([]);
  expect(handled.length).toBeGreaterThan(10);
});

it('remembers at most rememberIds event ids: the oldest is forgotten (and a retry of it applied again)', async () => {
  const applied: string[] = [];
  const app = buildReceiver({ secret: SECRET, rememberIds: 2, handle: (event) => void applied.push(event.id) });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  const deliver = (id: string) => {
    const body = JSON.stringify({
      id,
      object: 'event',
      type: 'collection_case.created',
      created: 1,
      data: { object: { id: 'dc_1' } },
    });
    return fetch(`${base}/webhooks/casapay`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-casapay-signature': signatureHeader(body, SECRET, realNowSeconds()),
      },
      body,
    });
  };
  for (const id of ['evt_1', 'evt_2', 'evt_1', 'evt_3', 'evt_1']) expect((await deliver(id)).status).toBe(200);
  for (let i = 0; i < 100 && applied.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
  // evt_1's retry while remembered is dropped; after evt_3 pushed it out of the two remembered ids, it applies again.
  expect(applied).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_1']);
});

it("a node:http receiver with the README's effects endpoint is read by the kit", async () => {
  const applied: string[] = [];
  const { verifySignature } = await import('casapay-contract-kit/webhooks');
  const seen = new Set<string>();
  const server = http.createServer((req, res) => {
    // #region readme:effects-node-http
    if (req.method === 'GET' && req.url === '/effects') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ applied }));
      return;
    }
    // #endregion
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        const raw = Buffer.concat(chunks);
        try {
          verifySignature(raw, req.headers['x-casapay-signature'] as string, SECRET);
        } catch {
          return void res.writeHead(400).end();
        }
        const event = JSON.parse(raw.toString('utf8')) as CasaPayEvent;
        res.writeHead(200).end();
        if (!seen.has(event.id)) {
          seen.add(event.id);
          setImmediate(() => applied.push(event.id));
        }
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { result } = await kit(`${base}/hooks`, `${base}/effects`);
  expect(result.failures).toEqual([]);
  expect(result.capabilities.effects).toMatchObject({ passed: 3, failed: 0, skipped: 0 });
});
