// README example (the webhook section): a receiver that verifies X-CasaPay-Signature, fed by the mock's real deliveries.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'casapay-contract-kit/mock';

let mock: MockServer;
beforeAll(async () => {
  mock = await createMockServer({ port: 0, logLevel: 'silent' });
});
afterAll(() => mock.close());

it('verifies every delivery of a case flow', async () => {
  const received: string[] = [];
  let secret = '';
  // #region readme:webhook-receiver
  const { verifySignature } = await import('casapay-contract-kit/webhooks');

  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (chunk: Buffer) => chunks.push(chunk))
      .on('end', () => {
        const raw = Buffer.concat(chunks); // verify the raw bytes, before any JSON parsing
        try {
          verifySignature(raw, String(req.headers['x-casapay-signature']), secret);
        } catch {
          res.writeHead(400).end();
          return;
        }
        const event = JSON.parse(raw.toString('utf8'));
        received.push(event.type);
        res.writeHead(200).end();
      });
  });
  // #endregion
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/casapay`;
  const call = (path: string, body: unknown) =>
    fetch(`${mock.url}${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_hooks', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, any>>);
  try {
    secret = (await call('/v1/webhook_endpoints', { url, enabled_events: ['collection_case.created'] })).secret;
    await call('/v1/collection_cases', {
      amount_to_recover: 360000,
      currency: 'eur',
      due_date: '2024-11-01',
      debtor: {
        type: 'private',
        name: 'John Smith',
        address: { line1: 'Friedrichstraße 123', city: 'Berlin', postal_code: '10117', country: 'DE' },
      },
    });
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(['collection_case.created']);
  } finally {
    receiver.close();
  }
});
