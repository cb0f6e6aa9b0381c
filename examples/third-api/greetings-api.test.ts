// A third API mounted beside CasaPay's and Debitura's without touching the engine: its routes, its
// authentication, its error shape (also for what the router and the HTTP layer answer under its
// prefix), its state in the admin dump and its listing on the front door.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mocks/server.js';
import { greetingsApi } from './greetings-api.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await createMockServer({ port: 0, logLevel: 'silent', apis: [greetingsApi] });
});
afterAll(() => mock.close());

const post = (path: string, headers: Record<string, string> = { 'X-Greeting-Key': 'k1' }) =>
  fetch(`${mock.url}${path}`, { method: 'POST', headers });

it('answers its operation from its own state, per key', async () => {
  expect(await (await post('/greetings/hello/world')).json()).toEqual({ greeting: 'Hello, world!', count: 1 });
  expect(await (await post('/greetings/hello/again')).json()).toEqual({ greeting: 'Hello, again!', count: 2 });
  expect(await (await post('/greetings/hello/world', { 'X-Greeting-Key': 'k2' })).json()).toEqual({
    greeting: 'Hello, world!',
    count: 1,
  });
});

it('refuses in its own error shape: its authentication, the contract, the router', async () => {
  const noKey = await post('/greetings/hello/world', {});
  expect([noKey.status, await noKey.json()]).toEqual([401, { problem: 'Send X-Greeting-Key.' }]);
  const tooLong = await post(`/greetings/hello/${'x'.repeat(21)}`);
  expect(tooLong.status).toBe(400);
  expect(await tooLong.json()).toEqual({ problem: expect.stringMatching(/name/) });
  const unknown = await post('/greetings/nope');
  expect([unknown.status, await unknown.json()]).toEqual([
    404,
    { problem: 'Unrecognized request URL (POST: /greetings/nope).' },
  ]);
  // The other APIs are untouched.
  expect((await fetch(`${mock.url}/v1/collection_cases`)).status).toBe(401);
});

it('shows in the admin dump and on the front door', async () => {
  await post('/greetings/hello/world', { 'X-Greeting-Key': 'dumped' });
  const state = await (await fetch(`${mock.url}/__admin/state?account=greetings:dumped`)).json();
  expect(state).toMatchObject({ object: 'mock_state', account: 'greetings:dumped', greeted: 1 });
  const front = await (await fetch(`${mock.url}/`, { headers: { accept: 'application/json' } })).json();
  expect(JSON.stringify(front)).toContain('/greetings');
});

it('is the module mocks/README.md shows, verbatim', () => {
  const readme = readFileSync(new URL('../../mocks/README.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('./greetings-api.ts', import.meta.url), 'utf8');
  expect(readme).toContain(source.trim());
});
