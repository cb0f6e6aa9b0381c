// Generated invalid request bodies (fast-check, from the contract's request schemas, a fixed seed):
// each must get 400 with the error envelope naming the faulty field in `param`, never a 5xx, and
// must create or change nothing. Then malformed JSON, a wrong content type and a missing body.
import { beforeAll, expect, it } from 'vitest';
import { paramName } from '../../../kit/contract.js';
import { capability } from '../../support/capability.js';
import { ContractViolation, checkResponse } from '../../support/client.js';
import { contract } from '../../support/contract.js';
import {
  DAY,
  accountClock,
  caseParams,
  eligibleCountries,
  expectError,
  expectNoProblems,
  freshAccount,
  listAll,
  previewParamsFor,
  type Account,
  type Guarantee,
  type GuaranteePolicy,
  type ListPath,
} from '../../support/fixtures.js';
import { sampleMutations, type Mutation } from '../../support/negative-inputs.js';
import { target } from '../../support/target.js';

interface Case {
  operationId: string;
  /** Path parameters for the request. */
  path?: () => Record<string, string>;
  body: () => unknown;
  /** The list that must not grow, or the object that must not change. */
  unchanged: { list: ListPath } | { retrieve: () => Promise<unknown> };
}

capability('negative', 'generated invalid request bodies', () => {
  let account: Account;
  let now: number;
  let country: string;
  let policy: GuaranteePolicy;
  let guarantee: Guarantee;
  let endpointId: string;

  beforeAll(async () => {
    account = await freshAccount();
    ({ now, policy } = await accountClock(account));
    [country] = (await eligibleCountries(account, now)) as [string];
    const g = await account.api.POST('/v1/guarantees', {
      body: {
        policy: policy.id,
        tenant: 'cus_negative',
        coverage_amount: 100_000,
        currency: 'eur',
        start_date: now - 60 * DAY,
        end_date: now + 300 * DAY,
      },
    });
    expect(g.response.status).toBe(201);
    guarantee = g.data!;
    const e = await account.api.POST('/v1/webhook_endpoints', {
      body: { url: 'http://127.0.0.1:9/never-called', enabled_events: ['guarantee.expired'] },
    });
    expect(e.response.status).toBe(201);
    endpointId = e.data!.id;
  });

  const get = async (path: string, id: string) =>
    (await (account.api.GET as any)(path, { params: { path: { id } } })).data;
  const cases: Case[] = [
    {
      operationId: 'createCasePreview',
      body: () => previewParamsFor(caseParams(now, { country })),
      unchanged: { list: '/v1/collection_cases' },
    },
    {
      operationId: 'createCollectionCase',
      body: () => caseParams(now, { country }),
      unchanged: { list: '/v1/collection_cases' },
    },
    {
      operationId: 'createGuaranteePolicy',
      body: () => ({
        name: 'Negative policy',
        coverage_percentage: 90,
        max_coverage_months: 6,
        waiting_period_days: 14,
        eligible_score_minimum: 50,
        deductible_amount: 0,
        metadata: { k: 'v' },
      }),
      unchanged: { list: '/v1/guarantee_policies' },
    },
    {
      operationId: 'updateGuaranteePolicy',
      path: () => ({ id: policy.id }),
      body: () => ({
        name: 'Renamed',
        waiting_period_days: 20,
        eligible_score_minimum: 40,
        active: true,
        metadata: { k: 'v' },
      }),
      unchanged: { retrieve: () => get('/v1/guarantee_policies/{id}', policy.id) },
    },
    {
      operationId: 'createGuarantee',
      body: () => ({
        policy: policy.id,
        tenant: 'cus_negative_2',
        coverage_amount: 50_000,
        currency: 'eur',
        start_date: now - 10 * DAY,
        end_date: now + 100 * DAY,
        metadata: { k: 'v' },
      }),
      unchanged: { list: '/v1/guarantees' },
    },
    {
      operationId: 'updateGuarantee',
      path: () => ({ id: guarantee.id }),
      body: () => ({ end_date: guarantee.end_date + DAY, metadata: { k: 'v' } }),
      unchanged: { retrieve: () => get('/v1/guarantees/{id}', guarantee.id) },
    },
    {
      operationId: 'cancelGuarantee',
      path: () => ({ id: guarantee.id }),
      body: () => ({ cancellation_reason: 'Lease ended' }),
      unchanged: { retrieve: () => get('/v1/guarantees/{id}', guarantee.id) },
    },
    {
      operationId: 'createClaim',
      body: () => ({
        guarantee: guarantee.id,
        amount: 10_000,
        currency: 'eur',
        reason: 'missed_payment',
        evidence: {
          invoice_id: 'inv_neg',
          due_date: guarantee.start_date + (policy.waiting_period_days + 5) * DAY,
          description: 'unpaid',
        },
        metadata: { k: 'v' },
      }),
      unchanged: { list: '/v1/claims' },
    },
    {
      operationId: 'createWebhookEndpoint',
      body: () => ({
        url: 'http://127.0.0.1:9/never-called',
        enabled_events: ['guarantee.expired'],
        description: 'negative',
        metadata: { k: 'v' },
      }),
      unchanged: { list: '/v1/webhook_endpoints' },
    },
    {
      operationId: 'updateWebhookEndpoint',
      path: () => ({ id: endpointId }),
      body: () => ({
        url: 'http://127.0.0.1:9/still-never-called',
        enabled_events: ['guarantee.expired'],
        description: 'negative 2',
        disabled: false,
        metadata: { k: 'v' },
      }),
      unchanged: { retrieve: () => get('/v1/webhook_endpoints/{id}', endpointId) },
    },
  ];

  const snapshot = async (c: Case) =>
    'list' in c.unchanged
      ? (await listAll<{ id: string }>(account, c.unchanged.list)).map((o) => o.id)
      : await c.unchanged.retrieve();

  /** Sends one invalid body and says what was wrong with the answer (nothing when it was right). */
  const judge = async (c: Case, m: Mutation, expectedParam: string | null): Promise<string | undefined> => {
    const op = contract().operationsById.get(c.operationId)!;
    try {
      const result = await (account.api.request as any)(op.method, op.path, {
        params: { path: c.path?.() ?? {} },
        body: m.body,
      });
      const status: number = result.response.status;
      const error = result.error?.error;
      if (status >= 500) return `${m.description} → ${status} (a 5xx for invalid input)`;
      if (status !== 400) return `${m.description} → ${status}, expected 400`;
      if (error?.type !== 'invalid_request_error')
        return `${m.description} → error.type ${error?.type}, expected invalid_request_error`;
      if (expectedParam !== null && error.param !== expectedParam)
        return `${m.description} → param ${JSON.stringify(error.param)}, expected ${JSON.stringify(expectedParam)}`;
      return undefined;
    } catch (err) {
      if (err instanceof ContractViolation) return `${m.description} → ${err.message}`;
      throw err;
    }
  };

  // Concurrent: every request here is invalid and creates nothing, so the operations cannot disturb each other.
  it.concurrent.each(cases.map((c) => [c.operationId, c] as const))(
    '%s: generated invalid bodies get 400 naming the param, and change nothing',
    async (_name, c) => {
      const t = target();
      const pointer = contract().operationsById.get(c.operationId)!.requestBody!.content['application/json']!;
      const validate = contract().validator(pointer);
      const base = c.body();
      expect(validate(base), `the base body of ${c.operationId} is valid (a suite bug otherwise)`).toBe(true);
      const mutations = sampleMutations(
        contract().document,
        { $ref: pointer },
        base,
        (b) => !validate(b),
        t.seed,
        t.negativeRuns,
      );
      const before = await snapshot(c);
      const problems: string[] = [];
      for (const m of mutations) {
        // One field is at fault when the contract's own validator blames exactly that field.
        validate(m.body);
        const blamed = validate.errors?.[0] ? paramName(validate.errors[0]) : null;
        const problem = await judge(c, m, blamed === m.param ? m.param : null);
        if (problem) problems.push(problem);
      }
      expectNoProblems(
        problems,
        `generated invalid ${c.operationId} bodies must get 400 invalid_request_error naming the param (${problems.length} of ${mutations.length} did not; seed ${t.seed}, rerun with --seed ${t.seed})`,
      );
      expect(
        await snapshot(c),
        `${mutations.length} invalid ${c.operationId} requests created or changed nothing`,
      ).toEqual(before);
    },
  );

  it('malformed JSON is 400 body_invalid_json; creates nothing', async () => {
    const before = await snapshot(cases[1]!);
    for (const raw of ['{"amount_to_recover": ', '{amount_to_recover: 1}', '[1,2', '"unterminated']) {
      const result = await account.api.POST('/v1/collection_cases', {
        body: raw as never,
        bodySerializer: (b: unknown) => b as string,
        headers: { 'Content-Type': 'application/json' },
      });
      expectError(result, { status: 400, type: 'invalid_request_error', code: 'body_invalid_json' }, `body ${raw}`);
    }
    expect(await snapshot(cases[1]!), 'the malformed bodies changed nothing').toEqual(before);
  });

  it('a body that is not a JSON object is 400', async () => {
    for (const raw of ['[]', '42', '"text"', 'null']) {
      const result = await account.api.POST('/v1/collection_cases', {
        body: raw as never,
        bodySerializer: (b: unknown) => b as string,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(result.response.status, `body ${raw}`).toBe(400);
    }
  });

  it('a wrong content type is 415 content_type_unsupported', async () => {
    const json = JSON.stringify(caseParams(now, { country }));
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const result = await account.api.POST('/v1/collection_cases', {
        body: json as never,
        bodySerializer: (b: unknown) => b as string,
        headers: { 'Content-Type': type },
      });
      expectError(
        result,
        { status: 415, type: 'invalid_request_error', code: 'content_type_unsupported' },
        `Content-Type ${type}`,
      );
    }
  });

  it('a missing body on a create is 400', async () => {
    const result = await account.api.POST('/v1/collection_cases', { body: undefined as never });
    expect(result.response.status).toBe(400);
  });

  it('a path id longer than the contract allows (100 characters) is 400 naming the param', async () => {
    const long = `dc_${'x'.repeat(101)}`;
    expectError(
      await account.api.GET('/v1/collection_cases/{id}', { params: { path: { id: long } } }),
      { status: 400, type: 'invalid_request_error', param: 'id' },
      'retrieve',
    );
    expectError(
      await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: long } } }),
      { status: 400, type: 'invalid_request_error', param: 'id' },
      'guarantee',
    );
  });

  it('answers the HTTP layer writes (a malformed percent-encoding, an oversized head, an id beyond any router limit) are declared statuses in the envelope', async () => {
    // Raw fetch: the typed client would percent-encode the path. Each answer is held to the same
    // contract rules as every other (declared status, JSON, the error envelope, a Request-Id).
    const problems: string[] = [];
    const tries: [what: string, operationId: string, url: string, headers?: Record<string, string>][] = [
      ['malformed percent-encoding in the path', 'retrieveCollectionCase', '/v1/collection_cases/%E0%A4%A'],
      ['a 3000-character id', 'retrieveCollectionCase', `/v1/collection_cases/dc_${'a'.repeat(3000)}`],
      ['a 20 KB header', 'listCollectionCases', '/v1/collection_cases', { 'X-Padding': 'a'.repeat(20_000) }],
      ['a 20 KB request line', 'listCollectionCases', `/v1/collection_cases?starting_after=${'a'.repeat(20_000)}`],
    ];
    for (const [what, operationId, url, headers] of tries) {
      const response = await fetch(`${target().baseUrl}${url}`, {
        headers: { Authorization: `Bearer ${account.key}`, ...headers },
        signal: AbortSignal.timeout(target().timeoutMs),
      });
      const raw = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      if (response.status < 400 || response.status >= 500)
        problems.push(`${what} → ${response.status}, expected a 4xx`);
      for (const v of checkResponse(
        operationId,
        response.status,
        response.headers.get('content-type'),
        response.headers.get('request-id'),
        body,
        raw,
      ))
        problems.push(`${what} → ${response.status}: ${v.rule}: ${v.message}`);
    }
    expectNoProblems(
      problems,
      'answers written before any route runs must still be declared 4xx statuses with the error envelope',
    );
  });

  it('unknown query parameters and bad filter values are 400 naming the param', async () => {
    expectError(
      await account.api.GET('/v1/collection_cases', { params: { query: { status: 'sleeping' as never } } }),
      { status: 400, param: 'status' },
      'status=sleeping',
    );
    expectError(
      await account.api.GET('/v1/collection_cases', { params: { query: { created: { gte: 'yesterday' as never } } } }),
      { status: 400, param: 'created[gte]' },
      'created[gte]=yesterday',
    );
    expectError(
      await account.api.GET('/v1/collection_cases', { params: { query: { colour: 'blue' } as never } }),
      { status: 400, param: 'colour' },
      'unknown parameter',
    );
  });
});
