// A receiver that accepts connections and never answers (a black hole on 127.0.0.1) must cost the
// mock at most --webhook-concurrency sockets, however many events pile up, and the API keeps
// answering meanwhile. Sockets are counted on the receiver's side.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUICKSTART_CASE, startMock, type TestMock } from './test-support.js';
import { casapayAccount } from './apis/casapay/state.js';

const LIMIT = 3;
const EVENTS = 5000;

let mock: TestMock;
let blackHole: net.Server;
const sockets = new Set<net.Socket>();
let most = 0;

beforeAll(async () => {
  blackHole = net.createServer((socket) => {
    sockets.add(socket);
    most = Math.max(most, sockets.size);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.resume(); // read and discard the requests; never write a byte back
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const { port } = blackHole.address() as AddressInfo;
  mock = await startMock({ webhookUrl: `http://127.0.0.1:${port}/hooks`, webhookConcurrency: LIMIT });
});

afterAll(async () => {
  await mock.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => blackHole.close(() => resolve()));
});

/** Waits a few turns of the event loop, so connections the mock opened reach the receiver. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

it(`holds at most ${LIMIT} sockets to a receiver that never answers, with ${EVENTS} events queued`, async () => {
  const account = casapayAccount(mock.sandbox.account('sk_test_black_hole'));
  // Every event about its own object, so none waits for another's delivery: the worst case for sockets.
  const fx = mock.apis.casapay.contextFor(account);
  for (let i = 0; i < EVENTS; i++)
    fx.emit('collection_case.updated', { object: 'collection_case', id: `dc_hole_${i}` });
  fx.flush();
  for (let turn = 0; turn < 100 && sockets.size < LIMIT; turn++) await settle();
  await settle();
  expect(sockets.size).toBe(LIMIT);

  // The API still answers, and its own events join the queue without opening more sockets.
  const created = await mock.call('POST', '/v1/collection_cases', { key: 'sk_test_black_hole', body: QUICKSTART_CASE });
  expect(created.status).toBe(201);
  expect(
    (await mock.call('GET', `/v1/collection_cases/${created.body.id}`, { key: 'sk_test_black_hole' })).status,
  ).toBe(200);
  await settle();
  expect(most).toBe(LIMIT);
  expect(sockets.size).toBeLessThanOrEqual(LIMIT);
});
