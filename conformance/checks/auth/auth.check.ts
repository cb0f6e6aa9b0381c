// Authentication and account isolation: no key or a malformed key is 401 authentication_error on
// every kind of operation; what one key creates is invisible to another (404, absent from lists).
import { beforeAll, expect, it } from 'vitest';
import { capability } from '../../support/capability.js';
import { apiClient, type ApiClient } from '../../support/client.js';
import { contract } from '../../support/contract.js';
import {
  accountClock,
  caseParams,
  createCase,
  eligibleCountries,
  expectError,
  expectNoProblems,
  listAll,
  primaryAccount,
  probeTestHelpers,
  type Account,
  type CollectionCase,
  type GuaranteePolicy,
} from '../../support/fixtures.js';
import { target } from '../../support/target.js';

capability('auth', 'authentication and account isolation', () => {
  let a: Account;
  let b: Account;
  let created: CollectionCase;
  let policy: GuaranteePolicy;
  /** Whether the target offers the test helpers (then they too must refuse a request without a key). */
  let helpers = false;

  beforeAll(async () => {
    a = primaryAccount();
    b = { api: apiClient({ apiKey: target().secondApiKey }), key: target().secondApiKey, isolated: false };
    const clock = await accountClock(a);
    policy = clock.policy;
    const [country] = await eligibleCountries(a, clock.now);
    created = await createCase(a, caseParams(clock.now, { country }));
    helpers = (await probeTestHelpers(a, created)).available;
  });

  const unauthenticated: [string, ApiClient | (() => ApiClient)][] = [
    ['no Authorization header', () => apiClient({ apiKey: null })],
    ['Authorization: Bearer nope', () => apiClient({ authorization: 'Bearer nope' })],
    ['a key that is not sk_test_/sk_live_', () => apiClient({ authorization: 'Bearer pk_test_conformance' })],
    ['Basic credentials', () => apiClient({ authorization: 'Basic c2tfdGVzdF94Og==' })],
  ];

  it.each(unauthenticated)('%s → 401 authentication_error on list, retrieve and create', async (_name, make) => {
    const api = typeof make === 'function' ? make() : make;
    const { now } = await accountClock(a);
    expectError(
      await api.GET('/v1/collection_cases', {}),
      { status: 401, type: 'authentication_error', code: ['api_key_missing', 'api_key_invalid'] },
      'list',
    );
    expectError(
      await api.GET('/v1/collection_cases/{id}', { params: { path: { id: created.id } } }),
      { status: 401, type: 'authentication_error' },
      'retrieve',
    );
    expectError(
      await api.POST('/v1/collection_cases', { body: caseParams(now) }),
      { status: 401, type: 'authentication_error' },
      'create',
    );
    expectError(await api.GET('/v1/events', {}), { status: 401, type: 'authentication_error' }, 'events');
  });

  it('every operation (read from the contract; the test helpers when offered) answers 401 without a key, before anything else', async () => {
    const anonymous = apiClient({ apiKey: null });
    const problems: string[] = [];
    for (const op of contract().operations.filter((o) => helpers || !o.path.startsWith('/v1/test_helpers/'))) {
      const path = Object.fromEntries(
        op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, 'doesnotexist0']),
      );
      const json = op.requestBody?.content['application/json'] !== undefined;
      try {
        const result = await (anonymous.request as any)(op.method, op.path, {
          params: { path },
          ...(json ? { body: {} } : {}),
        });
        if (result.response.status !== 401 || result.error?.error?.type !== 'authentication_error')
          problems.push(
            `${op.operationId} (${op.method.toUpperCase()} ${op.path}) → ${result.response.status} ${result.error?.error?.type ?? ''}`,
          );
      } catch (err) {
        // A contract violation, a timeout or an answer the check cannot read is a problem of this operation.
        problems.push(`${op.operationId} → ${(err as Error).message}`);
      }
    }
    expectNoProblems(
      problems,
      'every operation must refuse a request without an API key with 401 authentication_error',
    );
  });

  it('no key says api_key_missing; a bad key says api_key_invalid', async () => {
    expectError(
      await apiClient({ apiKey: null }).GET('/v1/guarantee_policies', {}),
      { status: 401, code: 'api_key_missing' },
      'missing',
    );
    expectError(
      await apiClient({ authorization: 'Bearer nope' }).GET('/v1/guarantee_policies', {}),
      { status: 401, code: 'api_key_invalid' },
      'invalid',
    );
  });

  it('a case of key A is 404 for key B (by id, by reference, timeline, files)', async () => {
    expectError(
      await b.api.GET('/v1/collection_cases/{id}', { params: { path: { id: created.id } } }),
      { status: 404, code: 'resource_not_found' },
      'by id',
    );
    expectError(
      await b.api.GET('/v1/collection_cases/ref/{reference}', { params: { path: { reference: created.reference } } }),
      { status: 404, code: 'resource_not_found' },
      'by reference',
    );
    expectError(
      await b.api.GET('/v1/collection_cases/{id}/timeline', { params: { path: { id: created.id } } }),
      { status: 404, code: 'resource_not_found' },
      'timeline',
    );
    expectError(
      await b.api.GET('/v1/collection_cases/{id}/files', { params: { path: { id: created.id } } }),
      { status: 404, code: 'resource_not_found' },
      'files',
    );
  });

  it("key A's case and policy are absent from key B's lists (and present in A's)", async () => {
    // Positive control: A's own lists hold both, so their absence from B's lists means something.
    expect(
      (await listAll<CollectionCase>(a, '/v1/collection_cases')).map((c) => c.id),
      "A's case list holds A's case",
    ).toContain(created.id);
    expect(
      (await listAll<GuaranteePolicy>(a, '/v1/guarantee_policies')).map((p) => p.id),
      "A's policy list holds A's policy",
    ).toContain(policy.id);
    const cases = await listAll<CollectionCase>(b, '/v1/collection_cases');
    expect(
      cases.map((c) => c.id),
      "B's case list",
    ).not.toContain(created.id);
    const policies = await listAll<GuaranteePolicy>(b, '/v1/guarantee_policies');
    expect(
      policies.map((p) => p.id),
      "B's policy list",
    ).not.toContain(policy.id);
    const events = await listAll<{ id: string; data: { object: { id?: string } } }>(b, '/v1/events');
    expect(
      events.filter((e) => e.data.object.id === created.id),
      "B's events",
    ).toEqual([]);
  });

  it("key B cannot use key A's objects (a guarantee under A's policy is 404)", async () => {
    expectError(
      await b.api.GET('/v1/guarantee_policies/{id}', { params: { path: { id: policy.id } } }),
      { status: 404, code: 'resource_not_found' },
      'retrieve policy',
    );
    const { now } = await accountClock(a);
    const result = await b.api.POST('/v1/guarantees', {
      body: {
        policy: policy.id,
        tenant: 'cus_b',
        coverage_amount: 1000,
        currency: 'eur',
        start_date: now - 86_400,
        end_date: now + 86_400 * 30,
      },
    });
    expect(
      [404, 400],
      `a guarantee under another account's policy is refused (got ${result.response.status})`,
    ).toContain(result.response.status);
  });
});
