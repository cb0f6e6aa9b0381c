// Sockets held by webhook deliveries to receivers that accept connections and never answer, counted
// on the receivers' side: per receiver origin (not per URL string: `?n=1…16` is one receiver) at most
// --webhook-concurrency, and in total across receivers at most --webhook-max-open.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startMock, type TestMock } from './test-support.js';

interface BlackHole {
  port: number;
  sockets: Set<net.Socket>;
  most: number;
  close(): Promise<void>;
}

async function blackHole(): Promise<BlackHole> {
  const sockets = new Set<net.Socket>();
  const hole: BlackHole = { port: 0, sockets, most: 0, close: async () => undefined };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    hole.most = Math.max(hole.most, sockets.size);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.resume(); // read and discard; never answer
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hole.port = (server.address() as AddressInfo).port;
  hole.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return hole;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until `done()` or a second has passed, then a little more so stragglers would show. */
async function until(done: () => boolean) {
  for (let turn = 0; turn < 40 && !done(); turn++) await pause(25);
  await pause(100);
}

async function mockWith(options: Parameters<typeof startMock>[0]): Promise<TestMock> {
  const mock = await startMock(options);
  cleanups.push(() => mock.close());
  return mock;
}

/** Registers endpoints on the account, then emits `events` events each about its own object (the worst case). */
async function flood(mock: TestMock, key: string, urls: string[], events: number) {
  for (const url of urls)
    expect(
      (await mock.call('POST', '/v1/webhook_endpoints', { key, body: { url, enabled_events: ['*'] } })).status,
    ).toBe(201);
  const fx = mock.apis.casapay.contextFor(mock.sandbox.account(key));
  for (let i = 0; i < events; i++)
    fx.emit('collection_case.updated', { object: 'collection_case', id: `dc_${key}_${i}` } as never);
  fx.flush();
}

it('16 endpoints of one key on one receiver (?n=1…16) share its 4 slots: 4 sockets, not 64', async () => {
  const hole = await blackHole();
  cleanups.push(() => hole.close());
  const mock = await mockWith({});
  await flood(
    mock,
    'sk_test_many_urls',
    Array.from({ length: 16 }, (_, n) => `http://127.0.0.1:${hole.port}/hooks?n=${n}`),
    20,
  );
  await until(() => hole.sockets.size >= 4);
  expect(hole.sockets.size).toBe(4);
  expect(hole.most).toBe(4);
  expect(mock.sandbox.retained.dispatcher.open).toBe(4);
});

it('--webhook-max-open bounds the attempts open across receivers: 6 receivers × 4 slots, at most 10 sockets in all', async () => {
  const holes = await Promise.all(Array.from({ length: 6 }, () => blackHole()));
  for (const hole of holes) cleanups.push(() => hole.close());
  const mock = await mockWith({ webhookMaxOpen: 10 });
  await flood(
    mock,
    'sk_test_many_receivers',
    holes.map((hole) => `http://127.0.0.1:${hole.port}/hooks`),
    10,
  );
  const total = () => holes.reduce((sum, hole) => sum + hole.sockets.size, 0);
  await until(() => total() >= 10);
  expect(total()).toBe(10);
  expect(holes.every((hole) => hole.most <= 4)).toBe(true);
  // Round robin: every receiver got a turn, none was starved by the others.
  expect(holes.every((hole) => hole.most >= 1)).toBe(true);
  // The API still answers meanwhile.
  expect((await mock.call('GET', '/v1/webhook_endpoints', { key: 'sk_test_many_receivers' })).status).toBe(200);
});
