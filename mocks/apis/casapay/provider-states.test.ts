// POST /__admin/provider-states over HTTP: each state opens a new account seeded as its table says,
// the answer names the key and ids a pact's fromProviderState expressions use, and bad input is a
// Stripe-style 400 that creates no account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_STATES } from './provider-states.js';
import { startMock, type TestMock } from '../../test-support.js';

let mock: TestMock;
beforeAll(async () => {
  // --scenario demo on the whole run: a state's account must still hold only what its state says.
  mock = await startMock({ scenario: 'demo' });
});
afterAll(() => mock.close());

const change = async (body: unknown) => {
  const res = await fetch(`${mock.url}/__admin/provider-states`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('POST /__admin/provider-states', () => {
  it("'an empty account' is a new key whose account lists no cases, even under --scenario demo", async () => {
    const { status, body } = await change({ state: 'an empty account', params: {}, action: 'setup' });
    expect(status).toBe(200);
    expect(body.api_key).toMatch(/^sk_test_pact_\w+$/);
    expect(body.authorization).toBe(`Bearer ${body.api_key}`);
    expect(body.case_id).toBeUndefined();
    const list = await mock.call('GET', '/v1/collection_cases', { key: body.api_key });
    expect(list.body.data).toEqual([]);
    // A plain new key gets the run's demo scenario, so the emptiness above is the state's doing.
    const demo = await mock.call('GET', '/v1/collection_cases', { key: 'sk_test_not_a_pact_key' });
    expect(demo.body.data.length).toBeGreaterThan(0);
  });

  it("'the docs' quickstart case exists' seeds the quickstart scenario and names its case", async () => {
    const { status, body } = await change({ state: "the docs' quickstart case exists", consumer: 'frontend-app' });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      case_id: 'dc_a1b2c3d4',
      case_reference: 'Q8OAXF3W',
      policy_id: 'gpol_abc123',
      guarantee_id: 'grt_def456',
    });
    const got = await mock.call('GET', `/v1/collection_cases/${body.case_id}`, { key: body.api_key });
    expect(got.body.reference).toBe('Q8OAXF3W');
  });

  it('two set-ups of one state get two accounts', async () => {
    const a = await change({ state: 'an empty account' });
    const b = await change({ state: 'an empty account' });
    expect(a.body.api_key).not.toBe(b.body.api_key);
  });

  it('scenario:<name> seeds any scenario', async () => {
    const { status, body } = await change({ state: 'scenario:paid-in-full' });
    expect(status).toBe(200);
    expect(body.case_id).toMatch(/^dc_/);
  });

  it('teardown answers {} and opens no account', async () => {
    const before = mock.sandbox.store.all().length;
    expect(await change({ state: 'an empty account', action: 'teardown' })).toEqual({ status: 200, body: {} });
    expect(mock.sandbox.store.all().length).toBe(before);
  });

  it.each([
    ['no state', {}, 'state', 'parameter_missing'],
    ['an unknown state', { state: 'a state nobody defined' }, 'state', 'parameter_invalid'],
    ['an unknown scenario', { state: 'scenario:no-such-scenario' }, 'state', 'parameter_invalid'],
    ['a non-string state', { state: 42 }, 'state', 'parameter_invalid'],
    ['params not an object', { state: 'an empty account', params: [1] }, 'params', 'parameter_invalid'],
    ['a bad action', { state: 'an empty account', action: 'explode' }, 'action', 'parameter_invalid'],
    ['an unknown field', { state: 'an empty account', colour: 'red' }, 'colour', 'parameter_unknown'],
    ['a JSON array', [1, 2], 'state', 'parameter_missing'],
  ])('%s is a 400 naming the param and changes nothing', async (_name, body, param, code) => {
    const before = mock.sandbox.store.all().length;
    const res = await change(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code, param });
    expect(mock.sandbox.store.all().length).toBe(before);
  });

  it('malformed JSON is a 4xx, never a 5xx', async () => {
    const res = await change('{"state":');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.type).toBe('invalid_request_error');
  });

  it('every state of the table is accepted', async () => {
    for (const state of Object.keys(PROVIDER_STATES)) expect((await change({ state })).status, state).toBe(200);
  });
});
