// Every list operation of the contract (read from it: the GET operations taking `limit`): the list
// envelope with its `url`, limit bounds, exclusive cursors and created-window validation behave the
// same everywhere. Test-helper lists are included only when the target offers the helpers.
import { beforeAll, it } from 'vitest';
import { capability } from '../../support/capability.js';
import { ContractViolation } from '../../support/client.js';
import { contract } from '../../support/contract.js';
import {
  accountClock,
  caseParams,
  createCase,
  eligibleCountries,
  expectNoProblems,
  freshAccount,
  probeTestHelpers,
  type Account,
  type CollectionCase,
} from '../../support/fixtures.js';

capability('pagination', 'every list operation', () => {
  let account: Account;
  let theCase: CollectionCase;
  let helpers = false;

  beforeAll(async () => {
    account = await freshAccount();
    const { now } = await accountClock(account);
    const [country] = await eligibleCountries(account, now);
    theCase = await createCase(account, caseParams(now, { country }));
    helpers = (await probeTestHelpers(account, theCase)).available;
  });

  const lists = () =>
    contract().operations.filter(
      (op) =>
        op.method === 'get' &&
        op.parameters.some((p) => p.name === 'limit') &&
        (helpers || !op.path.startsWith('/v1/test_helpers/')),
    );

  /** Sends a list request with `query`; returns status, error and body, a contract violation as a problem. */
  const call = async (op: ReturnType<typeof lists>[number], query: Record<string, unknown>) => {
    const path = op.path.includes('{id}') ? { id: theCase.id } : {};
    try {
      const result = await (account.api.request as any)('get', op.path, { params: { path, query } });
      return { status: result.response.status as number, error: result.error?.error, data: result.data };
    } catch (err) {
      if (err instanceof ContractViolation) return { status: -1, violation: err.message };
      throw err;
    }
  };

  it('each returns the list envelope with its own path as url, and honours limit (has_more exact)', async () => {
    const problems: string[] = [];
    for (const op of lists()) {
      const res = await call(op, { limit: 1 });
      if (res.status !== 200) problems.push(`${op.operationId} limit=1 → ${res.status} ${res.violation ?? ''}`);
      else {
        if (res.data.object !== 'list') problems.push(`${op.operationId}: object ${res.data.object}`);
        if (res.data.data.length > 1) problems.push(`${op.operationId}: ${res.data.data.length} objects for limit=1`);
        const want = op.path.replace('{id}', theCase.id);
        if (res.data.url !== want) problems.push(`${op.operationId}: url ${res.data.url}, expected ${want}`);
        // has_more on the one-object page says whether a second object exists: the 100-object page knows.
        const all = await call(op, { limit: 100 });
        if (all.status === 200) {
          const more = all.data.data.length > 1 || all.data.has_more === true;
          if (res.data.has_more !== more)
            problems.push(
              `${op.operationId}: has_more ${res.data.has_more} with limit=1, while limit=100 lists ${all.data.data.length}${all.data.has_more ? ' and more' : ''}`,
            );
        }
      }
    }
    expectNoProblems(
      problems,
      'every list must return {object:"list", data, has_more, url}, at most `limit` objects, has_more exact',
    );
  });

  it('each refuses limit 0 and 101 with 400 param limit', async () => {
    const problems: string[] = [];
    for (const op of lists()) {
      for (const limit of [0, 101]) {
        const res = await call(op, { limit });
        if (res.status !== 400 || res.error?.param !== 'limit')
          problems.push(
            `${op.operationId} limit=${limit} → ${res.status} param ${res.error?.param} ${res.violation ?? ''}`,
          );
      }
    }
    expectNoProblems(problems, 'every list must refuse limit outside 1..100 with 400 param limit');
  });

  it('each refuses starting_after with ending_before (400) and a non-integer created bound (400 param created[gte])', async () => {
    const problems: string[] = [];
    for (const op of lists()) {
      const both = await call(op, { starting_after: 'x_1', ending_before: 'x_2' });
      if (both.status !== 400)
        problems.push(`${op.operationId} starting_after+ending_before → ${both.status} ${both.violation ?? ''}`);
      if (op.parameters.some((p) => p.name === 'created')) {
        const bad = await call(op, { created: { gte: 'soon' } });
        if (bad.status !== 400 || bad.error?.param !== 'created[gte]')
          problems.push(
            `${op.operationId} created[gte]=soon → ${bad.status} param ${bad.error?.param} ${bad.violation ?? ''}`,
          );
      }
    }
    expectNoProblems(problems, 'every list must refuse exclusive cursors and invalid created bounds with 400');
  });
});
