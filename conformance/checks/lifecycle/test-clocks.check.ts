// Test clocks: create, list, retrieve, advance (only forwards), delete; a guarantee attached to a
// clock starts when the clock reaches its start date. Skipped, with the reason, on targets
// without test helpers.
import { beforeAll, expect, it } from 'vitest';
import type { components } from '../../../generated/casapay.js';
import { capability, needs } from '../../support/capability.js';
import {
  DAY,
  accountClock,
  caseParams,
  createCase,
  eligibleCountries,
  expectError,
  freshAccount,
  probeTestHelpers,
  type Account,
  type GuaranteePolicy,
  shown,
} from '../../support/fixtures.js';

type TestClock = components['schemas']['TestClock'];

capability('lifecycle', 'test clocks (test helpers)', () => {
  let account: Account;
  let now: number;
  let policy: GuaranteePolicy;
  let helpers = { available: false, reason: 'not probed' };
  let clock: TestClock;

  beforeAll(async () => {
    account = await freshAccount();
    ({ now, policy } = await accountClock(account));
    const [country] = await eligibleCountries(account, now);
    helpers = await probeTestHelpers(account, await createCase(account, caseParams(now, { country })));
  });

  it('creates, retrieves and lists a clock', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const { data, response } = await account.api.POST('/v1/test_helpers/test_clocks', {
      body: { frozen_time: now, name: 'conformance clock' },
    });
    expect(response.status).toBe(201);
    clock = data!;
    expect(clock, 'the clock as sent, ready').toMatchObject({
      frozen_time: now,
      name: 'conformance clock',
      status: 'ready',
    });
    const { data: got } = await account.api.GET('/v1/test_helpers/test_clocks/{id}', {
      params: { path: { id: clock.id } },
    });
    expect(got, 'retrieve equals create').toEqual(clock);
    const { data: list } = await account.api.GET('/v1/test_helpers/test_clocks', {});
    expect(
      list!.data.map((c) => c.id),
      'the clock is listed',
    ).toContain(clock.id);
  });

  it('a guarantee on the clock starts when the clock reaches its start date', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    needs(ctx, clock, 'the clock of "creates, retrieves and lists a clock"');
    const start = now + 10 * DAY;
    const { data: g, response } = await account.api.POST('/v1/guarantees', {
      body: {
        policy: policy.id,
        tenant: 'cus_clock',
        coverage_amount: 100_000,
        currency: 'eur',
        start_date: start,
        end_date: start + 200 * DAY,
        test_clock: clock.id,
      },
    });
    expect(response.status).toBe(201);
    expect(g, 'a guarantee on the clock that starts later is pending').toMatchObject(
      shown(g, { status: 'pending', test_clock: clock.id }, 'Guarantee'),
    );
    const { data: advanced, response: r } = await account.api.POST('/v1/test_helpers/test_clocks/{id}/advance', {
      params: { path: { id: clock.id } },
      body: { frozen_time: start + DAY },
    });
    expect(r.status).toBe(200);
    expect(advanced, 'the clock at the time sent, ready').toMatchObject({
      id: clock.id,
      frozen_time: start + DAY,
      status: 'ready',
    });
    const { data: after } = await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: g!.id } } });
    expect(after!.status, 'the guarantee is active once its clock passed start_date').toBe('active');
  });

  it('a clock cannot go back (400 param frozen_time); deleting it makes it 404', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    needs(ctx, clock, 'the clock of "creates, retrieves and lists a clock"');
    expectError(
      await account.api.POST('/v1/test_helpers/test_clocks/{id}/advance', {
        params: { path: { id: clock.id } },
        body: { frozen_time: now - DAY },
      }),
      { status: 400, param: 'frozen_time' },
    );
    const { data, response } = await account.api.DELETE('/v1/test_helpers/test_clocks/{id}', {
      params: { path: { id: clock.id } },
    });
    expect(response.status).toBe(200);
    expect(data, 'the delete names the clock, deleted: true').toMatchObject({ id: clock.id, deleted: true });
    expectError(await account.api.GET('/v1/test_helpers/test_clocks/{id}', { params: { path: { id: clock.id } } }), {
      status: 404,
      code: 'resource_not_found',
    });
  });

  it('every test helper answers 404 resource_not_found for an unknown object', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const id = { params: { path: { id: 'x_doesnotexist0' } } };
    expectError(
      await account.api.POST('/v1/test_helpers/collection_cases/{id}/advance', { ...id, body: { status: 'active' } }),
      { status: 404, code: 'resource_not_found' },
      'advance case',
    );
    expectError(
      await account.api.POST('/v1/test_helpers/collection_cases/{id}/debt_payments', { ...id, body: { amount: 1 } }),
      { status: 404, code: 'resource_not_found' },
      'debt payment',
    );
    expectError(
      await account.api.POST('/v1/test_helpers/claims/{id}/deny', { ...id, body: {} }),
      { status: 404, code: 'resource_not_found' },
      'deny',
    );
    expectError(
      await account.api.POST('/v1/test_helpers/claims/{id}/pay', id),
      { status: 404, code: 'resource_not_found' },
      'pay',
    );
    expectError(
      await account.api.POST('/v1/test_helpers/test_clocks/{id}/advance', { ...id, body: { frozen_time: now + DAY } }),
      { status: 404, code: 'resource_not_found' },
      'advance clock',
    );
    expectError(
      await account.api.DELETE('/v1/test_helpers/test_clocks/{id}', id),
      { status: 404, code: 'resource_not_found' },
      'delete clock',
    );
  });

  it('test helper bodies are validated like any other (400 naming the param)', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c = await createCase(account, caseParams(now, { country: (await eligibleCountries(account, now))[0] }));
    expectError(
      await account.api.POST('/v1/test_helpers/collection_cases/{id}/advance', {
        params: { path: { id: c.id } },
        body: { status: 'asleep' as never },
      }),
      { status: 400, param: 'status' },
      'advance',
    );
    expectError(
      await account.api.POST('/v1/test_helpers/collection_cases/{id}/debt_payments', {
        params: { path: { id: c.id } },
        body: { amount: 0 },
      }),
      { status: 400, param: 'amount' },
      'payment',
    );
    expectError(
      await account.api.POST('/v1/test_helpers/test_clocks', { body: { frozen_time: -1 } }),
      { status: 400, param: 'frozen_time' },
      'clock',
    );
    expectError(
      await account.api.POST('/v1/test_helpers/events', { body: { type: 'collection_case.exploded' as never } }),
      { status: 400, param: 'type' },
      'fire event',
    );
  });
});
