// The partner's GET /cases (Referral API), every field against where it comes from: each listed case
// equals the Customer API's GET /cases/{id} (dates as instants) plus the client it belongs to, also
// after the case moved (a paid close read back: lifecycle, remainder); newest first; every page field
// computed from the data, PageSize at its bounds (100 taken, 101 and Page 0 refused); ExternalTenantId
// and Statuses select exactly their cases (the owner's list holds what another partner's lacks), and
// another partner gets 404 for the case's chats.
import { beforeAll, expect, it } from 'vitest';
import { capability, needs } from '../../support/capability.js';
import {
  caseBody,
  expectRefusal,
  freshPartner,
  freshTenant,
  otherPartner,
  partnerCases,
  type CustomerClient,
  type Partner,
} from '../../support/debitura.js';
import { about, caseDifferences, nextSecond, signedClient } from '../../support/debitura-referral.js';

capability('debitura-onboarding', "the partner's case list (Referral API GET /cases)", () => {
  let partner: Partner;
  let a: { tenant: string; clientId: string; session: CustomerClient };
  let b: { tenant: string; clientId: string; session: CustomerClient };
  /** A's three cases in the order they were submitted, a second apart. */
  const ofA: string[] = [];
  let ofB: string | undefined;
  /** A's cases as the list must order them. */
  const newestFirst: string[] = [];

  beforeAll(async () => {
    partner = await freshPartner();
    a = await signedClient(partner);
    b = await signedClient(partner);
  });

  const list = (query: Record<string, unknown>) => partner.api.GET('/cases', { params: { query: query as never } });

  it('lists newest first: three cases submitted a second apart come in the reverse order', async () => {
    const say = about('debitura.partner-case-order');
    // Submitted a second apart; when another check moves the target's clock meanwhile (their dateCreated
    // then do not rise with the submissions), the three are submitted again for a new client, once.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt) a = await signedClient(partner);
      ofA.length = 0;
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        if (i) await nextSecond();
        const { data, response } = await a.session.POST('/cases', { body: caseBody({ isTest: true }) });
        expect(response.status, say('POST /cases')).toBe(200);
        ofA.push(data!.id!);
        times.push(Date.parse(data!.dateCreated));
      }
      if (times[0]! < times[1]! && times[1]! < times[2]!) break;
    }
    newestFirst.push(...[...ofA].reverse());
    const { data, response } = await b.session.POST('/cases', { body: caseBody({ isTest: true }) });
    expect(response.status, say('POST /cases for the second client')).toBe(200);
    ofB = data!.id!;
    const listed = await partnerCases(partner, a.tenant);
    expect(
      listed.map((c) => c.id),
      say("the client's cases, newest first"),
    ).toEqual(newestFirst);
  });

  it('page data is computed from the data: totalResults, pageSize, currentPage, responseCount and totalPages of every page, PageSize 10 by default', async (ctx) => {
    needs(ctx, ofB, 'the cases of "lists newest first"');
    const say = about('debitura.partner-page');
    const pages = [1, 2, 3].map((Page) => list({ ExternalTenantId: a.tenant, Page, PageSize: 2 }));
    const [p1, p2, p3] = await Promise.all(pages);
    const want = (currentPage: number, count: number) => ({
      totalResults: 3,
      pageSize: 2,
      currentPage,
      responseCount: count,
      totalPages: 2,
    });
    expect(p1!.data!.page, say('Page 1 of PageSize 2 over 3 cases')).toEqual(want(1, 2));
    expect(p2!.data!.page, say('Page 2 (the short last page)')).toEqual(want(2, 1));
    expect(p3!.data!.page, say('Page 3 (past the end)')).toEqual(want(3, 0));
    expect(p1!.data!.cases.length, say('cases on Page 1')).toBe(2);
    expect(p2!.data!.cases.length, say('cases on Page 2')).toBe(1);
    expect(p3!.data!.cases, say('cases past the end')).toEqual([]);
    expect(
      [...p1!.data!.cases, ...p2!.data!.cases].map((c) => c.id),
      say('the two pages, in order, are the list'),
    ).toEqual(newestFirst);
    const byDefault = (await list({ ExternalTenantId: a.tenant })).data!;
    expect(byDefault.page, say('no Page or PageSize: Page 1 of 10')).toEqual({
      totalResults: 3,
      pageSize: 10,
      currentPage: 1,
      responseCount: 3,
      totalPages: 1,
    });
  });

  it('PageSize 100 is taken; PageSize 101, PageSize 0 and Page 0 are 400', async () => {
    const say = about('debitura.partner-page');
    const max = await list({ PageSize: 100 });
    expect(max.response.status, say('PageSize=100')).toBe(200);
    expect(max.data!.page.pageSize, say('pageSize of PageSize=100')).toBe(100);
    for (const query of [{ PageSize: 101 }, { PageSize: 0 }, { Page: 0 }])
      expectRefusal(await list(query), 400, say(`GET /cases?${new URLSearchParams(query as never)}`));
  });

  it("ExternalTenantId selects exactly that client's cases; an unknown tenant lists none", async (ctx) => {
    needs(ctx, ofB, 'the cases of "lists newest first"');
    const say = about('debitura.partner-case-filter');
    // Which cases, not their order (the order is its own rule).
    const ofTenant = async (tenant: string) => (await partnerCases(partner, tenant)).map((c) => c.id).sort();
    expect(await ofTenant(a.tenant), say(`ExternalTenantId=${a.tenant}`)).toEqual([...ofA].sort());
    expect(await ofTenant(b.tenant), say(`ExternalTenantId=${b.tenant}`)).toEqual([ofB]);
    expect(await ofTenant(freshTenant()), say('ExternalTenantId of a tenant never onboarded')).toEqual([]);
    const all = (await list({ PageSize: 100 })).data!.cases.map((c) => c.id);
    for (const id of [...ofA, ofB!]) expect(all, say('without ExternalTenantId every client’s cases')).toContain(id);
  });

  it("another partner's GET /cases holds none of these cases while the owner's holds them all; their chats are 404 for it", async (ctx) => {
    needs(ctx, ofB, 'the cases of "lists newest first"');
    const say = about('debitura.partner-isolation');
    const other = await otherPartner(partner);
    const theirs = await other.api.GET('/cases', { params: { query: { PageSize: 100 } } });
    expect(theirs.response.status, say("the other partner's GET /cases")).toBe(200);
    const ours = (await list({ PageSize: 100 })).data!.cases.map((c) => c.id);
    for (const id of [...ofA, ofB!]) {
      expect(ours, say("the owner's list holds the case")).toContain(id);
      expect(
        theirs.data!.cases.map((c) => c.id),
        say("the other partner's list does not"),
      ).not.toContain(id);
    }
    const chat = await other.api.GET('/cases/{caseId}/chats', { params: { path: { caseId: ofA[0]! } } });
    expectRefusal(chat, 404, say("the other partner's GET /cases/{caseId}/chats"));
    const owner = await partner.api.GET('/cases/{caseId}/chats', { params: { path: { caseId: ofA[0]! } } });
    expect(owner.response.status, say("the owner's GET /cases/{caseId}/chats")).toBe(200);
  });

  it("each listed case equals the Customer API's GET /cases/{id}, with the client's externalTenantId and clientId, attributed; also after a paid close (lifecycle, remainder, closeCode read back)", async (ctx) => {
    needs(ctx, ofB, 'the cases of "lists newest first"');
    const say = about('debitura.partner-case-fields');
    const compare = async (id: string, client: typeof a, when: string) => {
      const listed = (await partnerCases(partner, client.tenant)).find((c) => c.id === id);
      expect(listed, say(`${when}: the case ${id} in the partner's list`)).toBeDefined();
      const retrieved = await client.session.GET('/cases/{id}', { params: { path: { id } } });
      expect(retrieved.response.status, say(`${when}: GET /cases/{id}`)).toBe(200);
      expect(caseDifferences(listed!, retrieved.data!), say(`${when}: the partner's view differs`)).toEqual([]);
      expect(
        {
          externalTenantId: listed!.externalTenantId,
          clientId: listed!.clientId,
          attributed: listed!.attributedToPartner,
        },
        say(`${when}: the client it belongs to`),
      ).toEqual({ externalTenantId: client.tenant, clientId: client.clientId, attributed: true });
      return listed!;
    };
    for (const id of ofA) await compare(id, a, 'as submitted');
    await compare(ofB!, b, 'as submitted');
    const paid = await a.session.POST('/test/cases/{id}/advance', {
      params: { path: { id: ofA[0]! } },
      body: { to: 'Closed:Paid', amount: 5000 },
    });
    expect(paid.response.status, say('advance the test case to Closed:Paid with the whole amount')).toBe(200);
    const after = await compare(ofA[0]!, a, 'after Closed:Paid');
    expect(after.lifecycle, say('lifecycle after the paid close')).toBe('Closed');
    expect(after.remainder, say('remainder after paying the whole grossAmount')).toBe(0);
    const closed = (await list({ ExternalTenantId: a.tenant, Statuses: ['Closed'] })).data!.cases.map((c) => c.id);
    expect(closed, about('debitura.partner-case-filter')('Statuses=Closed holds exactly the closed case')).toEqual([
      ofA[0],
    ]);
  });
});
