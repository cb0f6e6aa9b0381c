// Idempotency-Key on creates: a retry replays the first answer (same status and body, marked
// Idempotent-Replayed: true) and creates nothing new; the same key with another body is refused;
// a request that failed validation is not remembered.
import { beforeAll, expect, it } from 'vitest';
import { capability } from '../../support/capability.js';
import {
  accountClock,
  caseParams,
  eligibleCountries,
  expectError,
  freshAccount,
  listAll,
  nextName,
  type Account,
  type CaseCreateParams,
  type CollectionCase,
  type GuaranteePolicy,
} from '../../support/fixtures.js';
import { freshIdempotencyKey } from '../../support/runtime.js';

capability('idempotency', 'Idempotency-Key', () => {
  let account: Account;
  let body: CaseCreateParams;

  beforeAll(async () => {
    account = await freshAccount();
    const { now } = await accountClock(account);
    const [country] = await eligibleCountries(account, now);
    body = caseParams(now, { country });
  });

  const createCaseWithKey = (key: string, b: unknown) =>
    account.api.POST('/v1/collection_cases', {
      body: b as CaseCreateParams,
      params: { header: { 'Idempotency-Key': key } },
    });

  it('a retry with the same key and body replays the first response and creates one case', async () => {
    const key = freshIdempotencyKey();
    const before = new Set((await listAll<CollectionCase>(account, '/v1/collection_cases')).map((c) => c.id));
    const first = await createCaseWithKey(key, body);
    expect(first.response.status).toBe(201);
    expect(first.response.headers.get('idempotent-replayed'), 'the first response is not a replay').not.toBe('true');
    const second = await createCaseWithKey(key, body);
    expect(second.response.status, 'replayed status').toBe(first.response.status);
    expect(second.data, 'replayed body').toEqual(first.data);
    expect(second.response.headers.get('idempotent-replayed'), 'Idempotent-Replayed header on the replay').toBe('true');
    const all = await listAll<CollectionCase>(account, '/v1/collection_cases');
    // creditor_reference is optional in responses: without it, the cases that appeared since the first request.
    const same = all.filter((c) =>
      c.creditor_reference !== undefined ? c.creditor_reference === body.creditor_reference : !before.has(c.id),
    );
    expect(
      same.map((c) => c.id),
      'exactly one case exists for the retried request',
    ).toEqual([first.data!.id]);
  });

  it('the same key with a different body is refused with 400 idempotency_error', async () => {
    const key = freshIdempotencyKey();
    const first = await createCaseWithKey(key, { ...body, creditor_reference: `${body.creditor_reference}-B` });
    expect(first.response.status).toBe(201);
    const before = await listAll<CollectionCase>(account, '/v1/collection_cases');
    expectError(
      await createCaseWithKey(key, {
        ...body,
        creditor_reference: `${body.creditor_reference}-B`,
        amount_to_recover: body.amount_to_recover + 1,
      }),
      { status: 400, type: 'idempotency_error', code: 'idempotency_key_reused' },
    );
    const after = await listAll<CollectionCase>(account, '/v1/collection_cases');
    expect(after.length, 'the refused request created nothing').toBe(before.length);
  });

  it('a request that failed validation is not remembered: the key can then be used', async () => {
    const key = freshIdempotencyKey();
    expectError(await createCaseWithKey(key, { ...body, amount_to_recover: 0 }), {
      status: 400,
      param: 'amount_to_recover',
    });
    const ok = await createCaseWithKey(key, { ...body, creditor_reference: `${body.creditor_reference}-C` });
    expect(ok.response.status, 'the same key with a valid body creates the case').toBe(201);
    expect(ok.response.headers.get('idempotent-replayed'), 'the accepted request is not a replay').not.toBe('true');
  });

  it('keys apply to other creates too (guarantee policies)', async () => {
    const key = freshIdempotencyKey();
    const policy = { name: nextName('Idempotent policy'), coverage_percentage: 80, max_coverage_months: 6 };
    const send = () =>
      account.api.POST('/v1/guarantee_policies', { body: policy, params: { header: { 'Idempotency-Key': key } } });
    const first = await send();
    const second = await send();
    expect(first.response.status, 'the first create').toBe(201);
    expect(second.response.status, 'replayed status').toBe(201);
    expect(second.data, 'replayed body').toEqual(first.data);
    expect(second.response.headers.get('idempotent-replayed'), 'Idempotent-Replayed header on the replay').toBe('true');
    const all = await listAll<GuaranteePolicy>(account, '/v1/guarantee_policies');
    expect(all.filter((p) => p.name === policy.name).length, 'one policy for the retried request').toBe(1);
  });

  it('different keys create different objects', async () => {
    const a = await createCaseWithKey(freshIdempotencyKey(), { ...body, creditor_reference: 'CONF-IDEM-D' });
    const b = await createCaseWithKey(freshIdempotencyKey(), { ...body, creditor_reference: 'CONF-IDEM-D' });
    expect(a.response.status).toBe(201);
    expect(b.response.status).toBe(201);
    expect(b.data!.id, 'a new key is a new request').not.toBe(a.data!.id);
    // Positive control: both exist (a stateless answer would mint two ids without storing either).
    for (const created of [a.data!, b.data!]) {
      const { data, response } = await account.api.GET('/v1/collection_cases/{id}', {
        params: { path: { id: created.id } },
      });
      expect(response.status, `the case ${created.id} of each key is retrievable`).toBe(200);
      expect(data!.id, `retrieving ${created.id} answers that case`).toBe(created.id);
    }
  });
});
