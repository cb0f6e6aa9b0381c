// Cursor pagination and filters on GET /v1/collection_cases, over 27 cases of varied country, debtor
// type and status: every object exactly once in both directions, newest first, exact has_more;
// limit bounds and default; exclusive cursors; each filter returns only AND all matching cases.
import { beforeAll, expect, it } from 'vitest';
import type { operations } from '../../../generated/casapay.js';
import { capability } from '../../support/capability.js';
import {
  accountClock,
  caseParams,
  createCase,
  eligibleCountries,
  expectError,
  freshAccount,
  inSequence,
  probeTestHelpers,
  type Account,
  type CollectionCase,
} from '../../support/fixtures.js';

const N = 27;
const PAGE = 7;

type Query = NonNullable<operations['listCollectionCases']['parameters']['query']>;

capability('pagination', 'collection case lists', () => {
  let account: Account;
  /** Our cases, newest first (the order the list must use). */
  let cases: CollectionCase[];
  /** Our ids, to ignore other objects when the account is shared. */
  let ours: Set<string>;
  const sent = new Map<string, ReturnType<typeof caseParams>>();
  /** The debtor as shown, else as sent (the filters match the case's stored debtor either way). */
  const debtorOf = (c: CollectionCase) => ({
    country: c.debtor?.country ?? sent.get(c.id)?.debtor.country ?? sent.get(c.id)?.debtor.address?.country,
    type: c.debtor?.type ?? sent.get(c.id)?.debtor.type,
  });

  const list = async (query: Query) => {
    const { data, response } = await account.api.GET('/v1/collection_cases', { params: { query } });
    expect(response.status, `GET /v1/collection_cases ${JSON.stringify(query)}`).toBe(200);
    return data!;
  };
  /** Every case the filter returns (walked forwards), restricted to ours. */
  const listAllMatching = async (query: Query) => {
    const out: CollectionCase[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 40; i++) {
      const page = await list({ ...query, limit: 100, ...(cursor ? { starting_after: cursor } : {}) });
      out.push(...page.data);
      // has_more on an empty page would loop on no cursor: the walk checks above report it.
      if (!page.has_more || page.data.length === 0) break;
      cursor = page.data[page.data.length - 1]!.id;
    }
    return out.filter((c) => ours.has(c.id));
  };

  beforeAll(async () => {
    account = await freshAccount();
    const { now } = await accountClock(account);
    const countries = (await eligibleCountries(account, now)).slice(0, 3);
    const bodies = Array.from({ length: N }, (_, i) =>
      caseParams(now, {
        country: countries[i % countries.length],
        type: i % 3 === 0 ? 'company' : 'private',
        amount: 10_000 + i,
      }),
    );
    const created = await inSequence(bodies, (body) => createCase(account, body));
    // Vary the status when the target lets us (test helpers): every fourth case paused.
    if ((await probeTestHelpers(account, created[0]!)).available) {
      for (const [i, c] of created.entries()) {
        if (i % 4 !== 1 || c.status !== 'active') continue;
        const { response } = await account.api.POST('/v1/test_helpers/collection_cases/{id}/advance', {
          params: { path: { id: c.id } },
          body: { status: 'paused' },
        });
        expect(response.status, 'pausing an active case').toBe(200);
      }
    }
    // Re-read every case (statuses may have moved) and order newest first: by created, then by creation order.
    const fresh = await inSequence(
      created,
      async (c) => (await account.api.GET('/v1/collection_cases/{id}', { params: { path: { id: c.id } } })).data!,
    );
    cases = fresh.reverse();
    // The debtor is optional in responses: remember what each case was created with.
    for (const [i, c] of created.entries()) sent.set(c.id, bodies[i]!);
    ours = new Set(cases.map((c) => c.id));
  });

  it(`walks forwards with starting_after (limit ${PAGE}): each case once, newest first, has_more exact`, async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await list({ limit: PAGE, ...(cursor ? { starting_after: cursor } : {}) });
      expect(res.data.length, `page ${page + 1} size`).toBeLessThanOrEqual(PAGE);
      seen.push(...res.data.map((c) => c.id));
      const remaining = account.isolated ? N - seen.length : undefined;
      if (remaining !== undefined)
        expect(res.has_more, `has_more on page ${page + 1} (${remaining} cases still to come)`).toBe(remaining > 0);
      if (!res.has_more) break;
      expect(res.data.length, 'a page with has_more=true is full').toBe(PAGE);
      cursor = res.data[res.data.length - 1]!.id;
    }
    const mine = seen.filter((id) => ours.has(id));
    expect(new Set(mine).size, 'no case appears twice').toBe(mine.length);
    expect(mine, 'every case once, newest first').toEqual(cases.map((c) => c.id));
  });

  it('boundaries: a page exactly full has has_more false; one short has it true; past the last and before the first are empty', async (ctx) => {
    // Exact counts need an account that holds only our cases.
    ctx.skip(!account.isolated, 'the account is shared (--api-key), so the number of cases on it is not known');
    const full = await list({ limit: N });
    expect(
      full.data.map((c) => c.id),
      `limit=${N} (exactly the ${N} cases): all of them, newest first`,
    ).toEqual(cases.map((c) => c.id));
    expect(full.has_more, `has_more with limit=${N} and exactly ${N} cases`).toBe(false);
    const short = await list({ limit: N - 1 });
    expect(short.data.length, `limit=${N - 1}`).toBe(N - 1);
    expect(short.has_more, `has_more with limit=${N - 1} and ${N} cases`).toBe(true);
    const last = await list({ limit: PAGE, starting_after: cases[N - 2]!.id });
    expect(
      last.data.map((c) => c.id),
      'starting_after the second-oldest: only the oldest',
    ).toEqual([cases[N - 1]!.id]);
    expect(last.has_more, 'has_more on a page holding only the oldest case').toBe(false);
    const pastEnd = await list({ limit: PAGE, starting_after: cases[N - 1]!.id });
    expect([pastEnd.data.length, pastEnd.has_more], 'starting_after the oldest: an empty page, has_more false').toEqual(
      [0, false],
    );
    const beforeFirst = await list({ limit: PAGE, ending_before: cases[0]!.id });
    expect(
      [beforeFirst.data.length, beforeFirst.has_more],
      'ending_before the newest: an empty page, has_more false',
    ).toEqual([0, false]);
    const first = await list({ limit: 1 });
    expect(
      first.data.map((c) => c.id),
      'limit=1: the newest case',
    ).toEqual([cases[0]!.id]);
  });

  it(`walks backwards with ending_before (limit ${PAGE}): each case once, newest first within pages, has_more exact`, async () => {
    const oldest = cases[cases.length - 1]!;
    const pages: string[][] = [];
    let cursor = oldest.id;
    for (let page = 0; page < 20; page++) {
      const res = await list({ limit: PAGE, ending_before: cursor });
      const ids = res.data.map((c) => c.id);
      pages.push(ids);
      const before = cases.findIndex((c) => c.id === cursor);
      if (account.isolated) {
        expect(ids, `page ${page + 1}: the ${PAGE} cases just newer than the cursor, newest first`).toEqual(
          cases.slice(Math.max(0, before - PAGE), before).map((c) => c.id),
        );
        expect(
          res.has_more,
          `has_more on backward page ${page + 1} (${Math.max(0, before - PAGE)} newer cases remain)`,
        ).toBe(before - PAGE > 0);
      }
      if (!res.has_more || ids.length === 0) break;
      cursor = ids[0]!;
    }
    const all = pages
      .reverse()
      .flat()
      .filter((id) => ours.has(id));
    expect(new Set(all).size, 'no case appears twice').toBe(all.length);
    expect([...all, oldest.id], 'every case once, newest first').toEqual(cases.map((c) => c.id));
  });

  it('the default limit is 10', async () => {
    const res = await list({});
    expect(res.data.length, 'objects on a page without limit').toBe(10);
    expect(res.has_more, `has_more on the first page of ${N} cases`).toBe(true);
    expect(res.url, 'the list url is the path').toBe('/v1/collection_cases');
  });

  it('limit 0, 101 and non-numbers are refused with 400 param limit', async () => {
    for (const limit of [0, 101, 'ten']) {
      expectError(
        await account.api.GET('/v1/collection_cases', { params: { query: { limit: limit as number } } }),
        { status: 400, type: 'invalid_request_error', param: 'limit' },
        `limit=${limit}`,
      );
    }
    const edge = await list({ limit: 100 });
    expect(edge.data.length, 'limit=100 is allowed').toBeGreaterThanOrEqual(Math.min(N, 100));
  });

  it('starting_after together with ending_before is refused with 400', async () => {
    const [a, b] = cases;
    expectError(
      await account.api.GET('/v1/collection_cases', {
        params: { query: { starting_after: a!.id, ending_before: b!.id } },
      }),
      { status: 400, type: 'invalid_request_error', code: 'parameters_exclusive' },
    );
  });

  it('each filter (status, debtor_country, debtor_type) returns only and all matching cases', async () => {
    const values = {
      status: [...new Set(cases.map((c) => c.status)), 'closed'] as CollectionCase['status'][],
      debtor_country: [...new Set(cases.map((c) => debtorOf(c).country!))],
      debtor_type: ['private', 'company'] as const,
    };
    const field = {
      status: (c: CollectionCase) => c.status,
      debtor_country: (c: CollectionCase) => debtorOf(c).country,
      debtor_type: (c: CollectionCase) => debtorOf(c).type,
    };
    for (const [name, options] of Object.entries(values) as [keyof typeof values, string[]][]) {
      for (const value of options) {
        const got = await listAllMatching({ [name]: value } as Query);
        const want = cases.filter((c) => field[name](c) === value).map((c) => c.id);
        expect(
          got.map((c) => c.id),
          `${name}=${value}: only and all matching cases, newest first`,
        ).toEqual(want);
        // On a shared account the filter must still never return others' non-matching objects.
        const page = await list({ [name]: value, limit: 100 } as Query);
        expect(
          page.data.every((c) => field[name](c) === value),
          `${name}=${value}: every listed case matches`,
        ).toBe(true);
      }
    }
  });

  it('created[gte|gt|lte|lt] return only and all cases in the window', async (ctx) => {
    // `created` is not required of a case: without it there is no window to compare against.
    ctx.skip(
      cases.some((c) => c.created === undefined),
      "the target's cases carry no `created` (optional in the contract), so the created[…] filters cannot be checked",
    );
    const createdOf = (c: CollectionCase) => c.created!;
    const times = [...new Set(cases.map(createdOf))].sort((a, b) => a - b);
    const pivots = [...new Set([times[0]!, times[Math.floor(times.length / 2)]!, times[times.length - 1]!])];
    const ops = {
      gte: (t: number, p: number) => t >= p,
      gt: (t: number, p: number) => t > p,
      lte: (t: number, p: number) => t <= p,
      lt: (t: number, p: number) => t < p,
    };
    for (const pivot of pivots) {
      for (const [op, keep] of Object.entries(ops) as [keyof typeof ops, (t: number, p: number) => boolean][]) {
        const got = await listAllMatching({ created: { [op]: pivot } });
        const want = cases.filter((c) => keep(createdOf(c), pivot)).map((c) => c.id);
        expect(
          got.map((c) => c.id),
          `created[${op}]=${pivot}`,
        ).toEqual(want);
      }
    }
    const window = await listAllMatching({
      created: { gte: times[0]!, lte: times[times.length - 1]! },
      debtor_type: 'company',
    });
    expect(
      window.map((c) => c.id),
      'filters combine (AND)',
    ).toEqual(cases.filter((c) => debtorOf(c).type === 'company').map((c) => c.id));
  });
});
