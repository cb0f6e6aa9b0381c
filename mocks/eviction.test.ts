// An evicted or reset account leaves nothing behind outside its AccountState: no delivery logs, no
// queued or retrying deliveries, no index entries for its events, no journal entries. Counted
// structurally (RSS would be a noisy proxy for the same thing).
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUICKSTART_CASE, startMock, type TestMock } from './test-support.js';
import { casapayAccount } from './apis/casapay/state.js';

const MAX_ACCOUNTS = 5;
const ACCOUNTS = 60;

let mock: TestMock;
let hole: net.Server;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  // A receiver that never answers: deliveries stay open, queued or waiting, the most they can hold.
  hole = net.createServer((socket) => {
    sockets.add(socket);
    socket
      .on('close', () => sockets.delete(socket))
      .on('error', () => undefined)
      .resume();
  });
  await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
  mock = await startMock({ maxAccounts: MAX_ACCOUNTS });
});

afterAll(async () => {
  await mock.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => hole.close(() => resolve()));
});

async function accountWithDeliveries(key: string, url: string) {
  expect((await mock.call('POST', '/v1/webhook_endpoints', { key, body: { url, enabled_events: ['*'] } })).status).toBe(
    201,
  );
  expect((await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE })).status).toBe(201);
}

it(`${ACCOUNTS} accounts with webhooks through a mock that keeps ${MAX_ACCOUNTS}: only the kept ones hold deliveries and journal entries`, async () => {
  const { port } = hole.address() as AddressInfo;
  const keys = Array.from({ length: ACCOUNTS }, (_, i) => `sk_test_evicted_${i}`);
  // Half the receivers never answer (attempts in flight and queued), half refuse (retries waiting).
  for (const [i, key] of keys.entries())
    await accountWithDeliveries(key, i % 2 ? `http://127.0.0.1:${port}/hooks` : 'http://127.0.0.1:9/refused');
  const retained = mock.sandbox.retained;
  expect(mock.sandbox.store.size).toBe(MAX_ACCOUNTS);
  expect(retained.dispatcher.owners).toBeLessThanOrEqual(MAX_ACCOUNTS);
  // Each kept account has at most a few events with deliveries (a case's created and active).
  const eventsPerAccount = casapayAccount(mock.sandbox.account(keys.at(-1)!)).events.size;
  expect(retained.eventsWithDeliveries).toBeLessThanOrEqual(MAX_ACCOUNTS * eventsPerAccount);
  expect(retained.dispatcher.events).toBeLessThanOrEqual(MAX_ACCOUNTS * eventsPerAccount);
  expect(retained.dispatcher.unfinished).toBeLessThanOrEqual(MAX_ACCOUNTS * eventsPerAccount);
  expect(mock.journal.entries({ account: keys[0] })).toEqual([]);
  expect(mock.journal.entries({ account: keys.at(-1) }).length).toBeGreaterThan(0);

  // Reset releases the same.
  for (const key of keys.slice(-MAX_ACCOUNTS))
    expect((await mock.call('POST', `/__admin/reset?account=${key}`, { key: null, unchecked: true })).status).toBe(200);
  expect(mock.sandbox.retained).toMatchObject({
    eventsWithDeliveries: 0,
    dispatcher: { owners: 0, events: 0, unfinished: 0 },
  });
  expect(mock.journal.entries({ account: keys.at(-1) })).toEqual([]);
});
