// Debitura's submission rules as the docs state them, what generated clients send (json-patch bodies,
// date-times, nulls), the PascalCase list parameters, and invalid bodies generated from the contract:
// every refusal a 400 ErrorResponse (never a 5xx) that creates nothing — the partner's GET /cases
// for the client counts the same before and after.
import { beforeAll, expect, it } from 'vitest';
import { deref, sampleMutations } from '../../support/negative-inputs.js';
import { capability } from '../../support/capability.js';
import { debituraContract } from '../../support/debitura-contracts.js';
import {
  caseBody,
  clientBody,
  createDebituraClient,
  customerSession,
  dayFromToday,
  expectRefusal,
  freshPartner,
  freshTenant,
  instant,
  midnightUtc,
  partnerCases,
  type CreateCaseRequest,
  type CustomerClient,
  type Partner,
} from '../../support/debitura.js';
import { target } from '../../support/target.js';

/** The request body with every optional field the contract types as nullable set to null (recursively for objects). */
function withNulls(
  document: Record<string, any>,
  schema: Record<string, any>,
  body: Record<string, any>,
): Record<string, any> {
  const s = deref(document, schema);
  const out: Record<string, any> = { ...body };
  const nullable = (p: Record<string, any>) => {
    const d = deref(document, p);
    return (
      (Array.isArray(d.type) && d.type.includes('null')) ||
      (Array.isArray(d.anyOf) && d.anyOf.some((b: any) => deref(document, b).type === 'null'))
    );
  };
  for (const [name, property] of Object.entries<any>(s.properties ?? {})) {
    if ((s.required ?? []).includes(name)) {
      const d = deref(document, property);
      if (d.properties && out[name] && typeof out[name] === 'object')
        out[name] = withNulls(document, property, out[name]);
      continue;
    }
    if (nullable(property)) out[name] = null;
  }
  return out;
}

capability('debitura-validation', 'case submission rules and generated invalid bodies', () => {
  let partner: Partner;
  let tenant: string;
  let session: CustomerClient;
  /** A client whose contracts are pending (202), for the signing handoff. */
  let pendingSession: CustomerClient | undefined;
  const customer = () => debituraContract('customer');
  const referral = () => debituraContract('referral');

  beforeAll(async () => {
    partner = await freshPartner();
    tenant = freshTenant();
    await createDebituraClient(partner, tenant, { signed: true });
    session = await customerSession(partner, tenant);
    const pendingTenant = freshTenant();
    const pending = await createDebituraClient(partner, pendingTenant);
    if (pending.onboardingStatus === 'Pending') pendingSession = await customerSession(partner, pendingTenant);
  });

  const count = async () => (await partnerCases(partner, tenant)).length;

  /**
   * Submits `body`, expects a 400 ErrorResponse and that nothing was created. The contract promises a
   * sentence for a developer and a code, not the property's name verbatim (.NET writes "'Due Date'
   * must not be in the future"), so the words are not searched for `field`: the other side of each
   * boundary (accepted) is what shows the refusal was for this rule.
   */
  const refused = async (body: unknown, field: string, what: string, rule = 'debitura.dates') => {
    const before = await count();
    const result = await session.POST('/cases', { body: body as CreateCaseRequest });
    expectRefusal(result, 400, `[${rule}] ${what} (${field})`);
    expect(await count(), `[${rule}] ${what}: nothing created (partner GET /cases count)`).toBe(before);
  };

  it('a date in the future is refused (400, nothing created)', async () => {
    await refused(caseBody({ date: dayFromToday(3), dueDate: null }), 'date', 'date three days ahead');
  });

  it('a dueDate in the future is refused (400, nothing created)', async () => {
    await refused(
      caseBody({ date: dayFromToday(-40), dueDate: dayFromToday(3) }),
      'dueDate',
      'dueDate three days ahead',
    );
  });

  it('date and dueDate of today are accepted ("today is allowed"); tomorrow is refused', async () => {
    const today = dayFromToday(0);
    const { data, response } = await session.POST('/cases', { body: caseBody({ date: today, dueDate: today }) });
    const rule = 'debitura.dates-today';
    expect(response.status, `[${rule}] date and dueDate of today (${today})`).toBe(200);
    expect(instant(data!.date), `[${rule}] date is midnight UTC of today`).toBe(midnightUtc(today));
    expect(instant(data!.dueDate), `[${rule}] dueDate is midnight UTC of today`).toBe(midnightUtc(today));
    await refused(caseBody({ date: dayFromToday(-5), dueDate: dayFromToday(1) }), 'dueDate', 'dueDate tomorrow', rule);
    await refused(caseBody({ date: dayFromToday(1), dueDate: null }), 'date', 'date tomorrow', rule);
  });

  it('a dueDate before date is refused (400, nothing created)', async () => {
    await refused(
      caseBody({ date: dayFromToday(-10), dueDate: dayFromToday(-20) }),
      'dueDate',
      'dueDate ten days before date',
    );
  });

  it('a US debtor without stateAlpha2 is refused (400, nothing created); with it the case is accepted', async () => {
    const us = {
      name: 'Debtor Inc',
      address: '1 Main Street',
      city: 'New York',
      zipCode: '10001',
      countryAlpha2: 'US',
    };
    await refused(
      caseBody({ currencyCode: 'USD', debtor: us }),
      'stateAlpha2',
      'a US debtor without stateAlpha2',
      'debitura.us-state',
    );
    const { data, response } = await session.POST('/cases', {
      body: caseBody({ currencyCode: 'USD', debtor: { ...us, stateAlpha2: 'NY' } }),
    });
    expect(response.status, 'a US debtor with stateAlpha2 NY').toBe(200);
    expect(data!.debtor?.stateAlpha2, 'debtor.stateAlpha2 as sent').toBe('NY');
  });

  it('isTest: true is returned as isTestCase: true (on create and on GET /cases/{id})', async () => {
    const { data, response } = await session.POST('/cases', { body: caseBody({ isTest: true }) });
    expect(response.status, 'POST /cases with isTest: true').toBe(200);
    expect(data!.isTestCase, 'isTestCase of the created case').toBe(true);
    const again = await session.GET('/cases/{id}', { params: { path: { id: data!.id! } } });
    // Positive control: the case retrieved is the one created (a constant answer fails it).
    expect(again.data!.id, 'GET /cases/{id} answers the case created').toBe(data!.id);
    expect(again.data!.isTestCase, 'isTestCase of the retrieved case').toBe(true);
  });

  it('an invalid returnUrl is silently dropped: 200, not echoed into signingHandoff.combinedSigningUrl', async (ctx) => {
    ctx.skip(!pendingSession, 'the target onboarded a new client as Completed (201): no case gets a signing handoff');
    const bad = 'javascript:alert(document.domain)';
    const { data, response } = await pendingSession!.POST('/cases', { body: caseBody({ returnUrl: bad }) });
    expect(response.status, 'POST /cases with returnUrl javascript:…').toBe(200);
    const url = data!.signingHandoff?.combinedSigningUrl ?? '';
    expect(url, 'signingHandoff.combinedSigningUrl').toMatch(/^https?:\/\//);
    expect(decodeURIComponent(url), 'the dropped returnUrl does not reach the signing URL').not.toContain('javascript');
  });

  it('a body sent as application/json-patch+json (as generated clients send it) is accepted', async () => {
    const { response } = await session.POST('/cases', {
      body: caseBody(),
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    expect(response.status, 'POST /cases with Content-Type application/json-patch+json').toBe(200);
  });

  it('date and dueDate as date-times (as generated clients send them) are accepted and read as their dates', async () => {
    const date = `${dayFromToday(-30)}T00:00:00.000Z`;
    const dueDate = `${dayFromToday(-5)}T00:00:00.000Z`;
    const { data, response } = await session.POST('/cases', { body: caseBody({ date, dueDate }) });
    expect(response.status, 'POST /cases with date-times').toBe(200);
    // Compared as instants: a date of the same first 10 characters at another offset is another instant.
    expect(
      instant(data!.date),
      `[debitura.generated-clients] date is midnight UTC of ${date} (got ${data!.date})`,
    ).toBe(midnightUtc(date));
    expect(
      instant(data!.dueDate),
      `[debitura.generated-clients] dueDate is midnight UTC of ${dueDate} (got ${data!.dueDate})`,
    ).toBe(midnightUtc(dueDate));
  });

  it('null for every optional field the contract makes nullable is accepted', async () => {
    const schema = { $ref: '#/components/schemas/CreateCaseRequest' };
    const body = withNulls(customer().document, schema, caseBody() as Record<string, any>);
    const { response } = await session.POST('/cases', { body: body as CreateCaseRequest });
    expect(
      response.status,
      `POST /cases with nulls for ${Object.entries(body)
        .filter(([, v]) => v === null)
        .map(([k]) => k)
        .join(', ')} and the debtor's nullable fields`,
    ).toBe(200);
  });

  const listTenant = freshTenant();
  const listed: string[] = [];
  it("PascalCase list parameters: Page and PageSize page through the partner's GET /cases and the Customer API's", async () => {
    await createDebituraClient(partner, listTenant, { signed: true });
    const s = await customerSession(partner, listTenant);
    for (let i = 0; i < 3; i++) {
      const { data, response } = await s.POST('/cases', { body: caseBody({ isTest: true }) });
      expect(response.status).toBe(200);
      listed.push(data!.id!);
    }
    const pageOf = async (Page: number) =>
      (await partner.api.GET('/cases', { params: { query: { ExternalTenantId: listTenant, Page, PageSize: 2 } } }))
        .data!;
    const [first, second] = [await pageOf(1), await pageOf(2)];
    expect(first.cases?.length, 'Page 1 with PageSize 2').toBe(2);
    expect(second.cases?.length, 'Page 2 with PageSize 2').toBe(1);
    expect(first.page, 'page data of Page 1').toMatchObject({
      totalResults: 3,
      pageSize: 2,
      currentPage: 1,
      totalPages: 2,
    });
    expect(
      new Set([...first.cases!, ...second.cases!].map((c) => c.id)),
      'the two pages hold the three cases once each',
    ).toEqual(new Set(listed));
    const own = (await s.GET('/cases', { params: { query: { Page: 2, PageSize: 2 } } })).data!;
    expect(own.cases?.length, "the Customer API's Page 2 with PageSize 2").toBe(1);
    expect(own.page, "the Customer API's page data").toMatchObject({ totalResults: 3, currentPage: 2, pageSize: 2 });
  });

  it('Statuses filters repeated (Statuses=A&Statuses=B), the one form the contract declares, on both APIs', async (ctx) => {
    ctx.skip(listed.length !== 3, 'needs the three cases of the Page/PageSize check, which failed');
    const s = await customerSession(partner, listTenant);
    const active = await s.POST('/test/cases/{id}/advance', {
      params: { path: { id: listed[1]! } },
      body: { to: 'Active' },
    });
    expect(active.response.status, 'advance a test case to Active').toBe(200);
    const closed = await s.POST('/test/cases/{id}/advance', {
      params: { path: { id: listed[2]! } },
      body: { to: 'Closed:NoPayment' },
    });
    expect(closed.response.status, 'advance a test case to Closed:NoPayment').toBe(200);
    const want = new Set([listed[1], listed[2]]);
    const ids = (cases: Array<{ id?: string }> | undefined) => new Set((cases ?? []).map((c) => c.id));
    const repeated = await partner.api.GET('/cases', {
      params: { query: { ExternalTenantId: listTenant, Statuses: ['Active', 'Closed'] } },
    });
    expect(ids(repeated.data!.cases), 'partner GET /cases?Statuses=Active&Statuses=Closed').toEqual(want);
    // The comma-separated form (Statuses=A,B) is the mock's leniency, not the contract's: never required.
    const customerRepeated = await s.GET('/cases', { params: { query: { Statuses: ['Active', 'Closed'] } } });
    expect(ids(customerRepeated.data!.cases), 'Customer GET /cases?Statuses=Active&Statuses=Closed').toEqual(want);
    const one = await partner.api.GET('/cases', {
      params: { query: { ExternalTenantId: listTenant, Statuses: ['Active'] } },
    });
    expect(ids(one.data!.cases), 'partner GET /cases?Statuses=Active').toEqual(new Set([listed[1]]));
  });

  /** Sends generated invalid bodies; each must be a 400 ErrorResponse, never a 5xx, creating nothing. */
  const generated = async (opts: {
    schema: string;
    document: Record<string, any>;
    valid: unknown;
    send: (body: unknown) => Promise<{ error?: unknown; response: Response }>;
    created: () => Promise<number>;
    what: string;
  }) => {
    const validator =
      opts.document === customer().document ? customer().schema(opts.schema) : referral().schema(opts.schema);
    expect(validator(opts.valid), `the valid ${opts.schema} the mutations start from`).toBe(true);
    const mutations = sampleMutations(
      opts.document,
      { $ref: `#/components/schemas/${opts.schema}` },
      opts.valid,
      (b) => !validator(b),
      target().seed,
      target().negativeRuns,
    );
    const before = await opts.created();
    const wrong: string[] = [];
    for (const m of mutations) {
      const result = await opts.send(m.body);
      if (result.response.status >= 500) wrong.push(`${m.description} → ${result.response.status} (a 5xx)`);
      else if (result.response.status !== 400) wrong.push(`${m.description} → ${result.response.status}`);
      else expectRefusal(result, 400, m.description);
    }
    expect(wrong, `${opts.what}: every invalid body is a 400 (seed ${target().seed}); these were not`).toEqual([]);
    expect(await opts.created(), `${opts.what}: nothing created`).toBe(before);
  };

  it('generated invalid bodies for POST /cases (Customer): 400 ErrorResponse, never 5xx, nothing created', async () => {
    await generated({
      schema: 'CreateCaseRequest',
      document: customer().document,
      valid: caseBody({ isTest: true, tag: 'conformance' }),
      send: (body) => session.POST('/cases', { body: body as CreateCaseRequest }),
      created: count,
      what: 'POST /cases',
    });
  }, 60_000);

  it('generated invalid bodies for POST /clients (Referral): 400 ErrorResponse, never 5xx, no client created', async () => {
    const newTenant = freshTenant();
    const valid = clientBody(newTenant, { cases: [{ ...caseBody(), creditorReference: 'CONF-ONBOARD-1' }] as never });
    const clients = async () => (await partner.api.GET('/clients')).data!.length;
    await generated({
      schema: 'CreateClientRequest',
      document: referral().document,
      valid,
      send: (body) => partner.api.POST('/clients', { body: body as never }),
      created: clients,
      what: 'POST /clients',
    });
    const lookup = await partner.api.GET('/clients/{externalTenantId}', {
      params: { path: { externalTenantId: newTenant } },
    });
    expect(lookup.response.status, 'the client of the refused bodies does not exist').toBe(404);
  }, 60_000);
});
