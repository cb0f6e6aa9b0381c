// The Referral API's clients, read back: every field of GET /clients and GET /clients/{externalTenantId}
// against the request and the POST /clients answer (the owner's list holds each client it created,
// pending ones too); the country a client was onboarded with as its alpha-2 code; onboardingLinks only
// while onboarding is pending; KYC on each side of its line (NotRequired for a DE client, Missing for a
// GB one, OnFile once submitted — read by retrieve), the KYC record against the request, the open KYC
// cases it notified (and the closed-to-it ones it did not); the Referral API without a key and with a
// malformed one; the link states the docs name (when the target seeds them); a valid and an overlong
// returnUrl; and a token that acts for the client it was minted for, and no other.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { capability, needs } from '../../support/capability.js';
import {
  caseBody,
  clientBody,
  createDebituraClient,
  customerSession,
  expectRefusal,
  freshPartner,
  freshReference,
  freshTenant,
  partnerCases,
  referralClient,
  type ClientResult,
  type Partner,
} from '../../support/debitura.js';
import { about, UUID, type ClientLink, type KycRecord, signedClient } from '../../support/debitura-referral.js';
import { realNowSeconds } from '../../support/runtime.js';

const KYC_BODY = {
  fullName: 'Anna Conformance',
  homeAddress: 'Maximilianstrasse 5, 80539 Munich, Germany',
  dateOfBirth: '1978-04-12',
};
const GB_DEBTOR = {
  name: 'Debtor Ltd',
  address: '1 High Street',
  city: 'London',
  zipCode: 'EC1A 1BB',
  countryAlpha2: 'GB',
};
const OPEN = ['Active', 'Paused', 'NeedsAdditionalDetails'];

capability('debitura-onboarding', 'linked clients and KYC (Referral API)', () => {
  let partner: Partner;
  beforeAll(async () => {
    partner = await freshPartner();
  });

  const getClient = (externalTenantId: string) =>
    partner.api.GET('/clients/{externalTenantId}', { params: { path: { externalTenantId } } });
  const listClients = async (): Promise<ClientLink[]> => {
    const { data, response } = await partner.api.GET('/clients');
    expect(response.status, '[debitura.client-read] GET /clients').toBe(200);
    return data!;
  };

  it('the Referral API without XApiKey, and with a malformed one, is 401 on every operation (nothing created)', async () => {
    const tenant = freshTenant();
    const kinds: Array<[string, ReturnType<typeof referralClient>]> = [
      ['without XApiKey', referralClient(null)],
      ['with a malformed XApiKey', referralClient('not a key / unknown')],
    ];
    for (const [how, api] of kinds) {
      const say = about('debitura.referral-auth');
      const id = { params: { path: { externalTenantId: tenant } } };
      const caseId = { params: { path: { caseId: randomUUID() } } };
      // Without a body: the credentials are refused before any body is read, and a body the target never
      // reads can be cut off by its closing the connection (the connection-close variant) before it is sent.
      const calls: Array<[string, () => Promise<{ error?: unknown; response: Response }>]> = [
        ['POST /oauth/token', () => api.POST('/oauth/token', {} as never)],
        ['POST /clients', () => api.POST('/clients', {} as never)],
        ['GET /clients', () => api.GET('/clients')],
        ['GET /clients/{externalTenantId}', () => api.GET('/clients/{externalTenantId}', id)],
        [
          'POST /clients/{externalTenantId}/kyc-verification',
          () => api.POST('/clients/{externalTenantId}/kyc-verification', id as never),
        ],
        ['GET /cases', () => api.GET('/cases')],
        ['GET /cases/{caseId}/chats', () => api.GET('/cases/{caseId}/chats', caseId)],
        ['POST /cases/{caseId}/files', () => api.POST('/cases/{caseId}/files', caseId as never)],
        ['POST /webhooks', () => api.POST('/webhooks', {} as never)],
        ['GET /webhooks', () => api.GET('/webhooks')],
        ['DELETE /webhooks/{id}', () => api.DELETE('/webhooks/{id}', { params: { path: { id: randomUUID() } } })],
      ];
      for (const [what, call] of calls) expectRefusal(await call(), 401, say(`${what} ${how}`));
    }
    const lookup = await getClient(tenant);
    expect(
      lookup.response.status,
      '[debitura.referral-auth] the client of the refused POST /clients does not exist',
    ).toBe(404);
  });

  it('every Referral operation answers its declared 400, 413 and 415: externalTenantId at 100 characters is looked up (404) and at 101 refused (400), ids that are not uuids, an upload without a file, a body over 1 MB, a text/plain body; nothing created', async () => {
    const say = about('debitura.referral-errors');
    const before = (await listClients()).length;
    const hooksBefore = (await partner.api.GET('/webhooks')).data!.length;
    const at100 = `conf-${'x'.repeat(95)}`;
    const at101 = `${at100}y`;
    expectRefusal(await getClient(at100), 404, say('GET /clients/{100 characters, never onboarded}'));
    expectRefusal(await getClient(at101), 400, say('GET /clients/{101 characters}'));
    expectRefusal(
      await partner.api.POST('/oauth/token', { body: { externalTenantId: at100 } }),
      404,
      say('POST /oauth/token for 100 characters, never onboarded'),
    );
    expectRefusal(
      await partner.api.POST('/oauth/token', { body: { externalTenantId: at101 } }),
      400,
      say('POST /oauth/token for 101 characters'),
    );
    expectRefusal(
      await partner.api.POST('/oauth/token', { body: { externalTenantId: '' } }),
      400,
      say('POST /oauth/token for an empty externalTenantId'),
    );
    const notUuid = 'not-a-uuid';
    expectRefusal(
      await partner.api.GET('/cases/{caseId}/chats', { params: { path: { caseId: notUuid } } }),
      400,
      say('GET /cases/not-a-uuid/chats'),
    );
    expectRefusal(
      await partner.api.DELETE('/webhooks/{id}', { params: { path: { id: notUuid } } }),
      400,
      say('DELETE /webhooks/not-a-uuid'),
    );
    expectRefusal(
      await partner.api.POST('/cases/{caseId}/files', {
        params: { path: { caseId: randomUUID() } },
        body: new FormData() as never,
        bodySerializer: (b: unknown) => b as FormData,
      }),
      400,
      say('POST /cases/{caseId}/files without a file'),
    );
    const raw = (body: string, contentType: string) => ({
      body: {} as never,
      bodySerializer: () => body,
      headers: { 'Content-Type': contentType },
    });
    const big = JSON.stringify({ externalTenantId: 'x', padding: 'p'.repeat(1024 * 1024 + 16) });
    const id = { params: { path: { externalTenantId: at100 } } };
    const sends: Array<[string, (body: string, type: string) => Promise<{ error?: unknown; response: Response }>]> = [
      ['POST /oauth/token', (b, t) => partner.api.POST('/oauth/token', raw(b, t))],
      ['POST /clients', (b, t) => partner.api.POST('/clients', raw(b, t))],
      [
        'POST /clients/{externalTenantId}/kyc-verification',
        (b, t) => partner.api.POST('/clients/{externalTenantId}/kyc-verification', { ...id, ...raw(b, t) }),
      ],
      ['POST /webhooks', (b, t) => partner.api.POST('/webhooks', raw(b, t))],
    ];
    for (const [what, send] of sends) {
      expectRefusal(await send(big, 'application/json'), 413, say(`${what} with a body over 1 MB`));
      expectRefusal(await send('externalTenantId=x', 'text/plain'), 415, say(`${what} with a text/plain body`));
    }
    expect((await listClients()).length, say('GET /clients count')).toBe(before);
    expect((await partner.api.GET('/webhooks')).data!.length, say('GET /webhooks count')).toBe(hooksBefore);
  });

  let ready: { tenant: string; result: ClientResult; status: number } | undefined;
  let pending: { tenant: string; result: ClientResult; status: number } | undefined;
  it("GET /clients and GET /clients/{externalTenantId} hold each created client (pending too): the request's name and country (Germany → DE), the answer's clientId and onboardingStatus, link Active", async () => {
    const say = about('debitura.client-read');
    const readyTenant = freshTenant();
    const pendingTenant = freshTenant();
    const readyBody = clientBody(readyTenant, { signed: true });
    const pendingBody = clientBody(pendingTenant);
    pendingBody.client.country = 'Germany';
    const a = await partner.api.POST('/clients', { body: readyBody });
    const b = await partner.api.POST('/clients', { body: pendingBody });
    expect([201, 202], say('POST /clients')).toContain(a.response.status);
    expect([201, 202], say('POST /clients')).toContain(b.response.status);
    ready = { tenant: readyTenant, result: a.data!, status: a.response.status };
    pending = { tenant: pendingTenant, result: b.data!, status: b.response.status };
    const listed = await listClients();
    for (const [created, body] of [
      [ready, readyBody],
      [pending, pendingBody],
    ] as const) {
      const inList = listed.filter((c) => c.externalTenantId === created.tenant);
      expect(inList.length, say(`GET /clients holds ${created.tenant} once (listed: ${listed.length})`)).toBe(1);
      const got = await getClient(created.tenant);
      expect(got.response.status, say(`GET /clients/${created.tenant}`)).toBe(200);
      const link = got.data!;
      expect(link.clientId, say('clientId = the POST /clients answer')).toBe(created.result.clientId);
      expect(link.externalTenantId, say('externalTenantId as sent')).toBe(created.tenant);
      expect(link.name, say('name as sent')).toBe(body.client.name);
      expect(link.country, about('debitura.client-country')('country: the alpha-2 code of what was sent')).toBe('DE');
      expect(link.linkStatus, say('linkStatus of a client just created')).toBe('Active');
      expect(link.onboardingStatus, say('onboardingStatus = the POST /clients answer')).toBe(
        created.result.onboardingStatus,
      );
      if (link.onboardingStatus === 'Completed') {
        expect(link.contracts.debtCollectionAgreement, say('a Completed client has signed its SDCA')).toBe('Signed');
        expect(link.contracts.powerOfAttorney, say('a Completed client has no pending power of attorney')).not.toBe(
          'Pending',
        );
      }
      const created_ = Date.parse(link.dateCreated);
      expect(
        Math.abs(created_ / 1000 - realNowSeconds()) < 2 * 86_400,
        say(`dateCreated (${link.dateCreated}) is when the link was made, within a day or two of now`),
      ).toBe(true);
      expect(inList[0], say('the listed client equals the retrieved one')).toEqual(link);
    }
  });

  it('a client onboarded as Completed (201) has onboardingLinks null; a Pending one (202) an onboarding URL', async (ctx) => {
    needs(ctx, ready, 'the clients of "GET /clients and GET /clients/{externalTenantId} hold each created client"');
    const say = about('debitura.client-ready');
    for (const c of [ready!, pending!]) {
      if (c.status === 201) {
        expect(c.result.onboardingStatus, say('201 is Completed')).toBe('Completed');
        expect(c.result.onboardingLinks, say('a Completed client has onboardingLinks null')).toBeNull();
      } else {
        expect(c.result.onboardingStatus, say('202 is Pending')).toBe('Pending');
        expect(c.result.onboardingLinks?.url, say('a Pending client has onboardingLinks.url')).toMatch(/^https?:\/\//);
      }
      // Positive control: the client read back is the one the answer described (a constant answer fails it).
      const stored = (await getClient(c.tenant)).data!;
      expect(
        { clientId: stored.clientId, onboardingStatus: stored.onboardingStatus },
        say('GET /clients/{externalTenantId} shows the onboarding answer'),
      ).toEqual({ clientId: c.result.clientId, onboardingStatus: c.result.onboardingStatus });
    }
  });

  it('a valid returnUrl (https, 2048 characters) is accepted with a signing URL; one of 2049 characters is dropped, not refused', async (ctx) => {
    needs(ctx, pending, 'the clients of "GET /clients and GET /clients/{externalTenantId} hold each created client"');
    ctx.skip(
      pending!.status !== 202,
      'the target onboarded the client as Completed (201): no case gets a signing handoff',
    );
    const say = about('debitura.return-url-valid');
    const session = await customerSession(partner, pending!.tenant);
    const base = 'https://partner.example.com/return?x=';
    const valid = base + 'a'.repeat(2048 - base.length);
    const long = valid + 'a';
    for (const [url, what] of [
      [valid, 'an https returnUrl of 2048 characters'],
      [long, 'a returnUrl of 2049 characters'],
      ['https://partner.example.com/done', 'a short https returnUrl'],
    ] as const) {
      const { data, response } = await session.POST('/cases', { body: caseBody({ returnUrl: url }) });
      expect(response.status, say(`POST /cases with ${what}`)).toBe(200);
      expect(data!.lifecycle, say(`${what}: the case waits for its contracts`)).toBe('PendingContractSigning');
      expect(data!.signingHandoff?.combinedSigningUrl, say(`${what}: signingHandoff.combinedSigningUrl`)).toMatch(
        /^https?:\/\//,
      );
      if (url === long)
        expect(
          decodeURIComponent(data!.signingHandoff!.combinedSigningUrl!),
          say('the dropped returnUrl'),
        ).not.toContain(long);
    }
  });

  it("onboarding's caseResults are the cases: createdCases[] carry the partner list's caseId, reference and lifecycle for the request's creditorReference; failedCases[] the uncovered one with NoPartnerAvailable", async () => {
    const say = about('debitura.onboarding-results');
    const tenant = freshTenant();
    const covered = freshReference('DE');
    const uncovered = freshReference('JP');
    const { data, response } = await partner.api.POST('/clients', {
      body: clientBody(tenant, {
        signed: true,
        cases: [
          caseBody({ creditorReference: covered }),
          caseBody({
            creditorReference: uncovered,
            currencyCode: 'JPY',
            amountToRecover: 900_000,
            debtor: {
              name: 'Debtor KK',
              address: '1-1 Marunouchi',
              city: 'Tokyo',
              zipCode: '100-0005',
              countryAlpha2: 'JP',
            },
          }),
        ] as never,
      }),
    });
    expect([201, 202], say('POST /clients with a DE and a JP case')).toContain(response.status);
    expect(data!.externalTenantId, say('externalTenantId as sent')).toBe(tenant);
    const [listed] = await partnerCases(partner, tenant);
    expect(listed, say("the covered case in the partner's GET /cases")).toBeDefined();
    expect(data!.caseResults?.createdCases, say('createdCases')).toEqual([
      { creditorReference: covered, caseId: listed!.id, reference: listed!.reference, lifecycle: listed!.lifecycle },
    ]);
    const failed = data!.caseResults?.failedCases ?? [];
    expect(
      failed.map((f) => f.creditorReference),
      say('failedCases[].creditorReference'),
    ).toEqual([uncovered]);
    expect(failed[0]!.reason.length, say('failedCases[].reason says why')).toBeGreaterThan(0);
    expect(
      failed[0]!.businessErrors.map((e) => e.type),
      say('failedCases[].businessErrors[].type'),
    ).toContain('NoPartnerAvailable');
    // creditorReference is optional in a listed Case: held where the partner's list shows it.
    if (listed!.creditorReference !== undefined)
      expect(listed!.creditorReference, say('the created case keeps its creditorReference')).toBe(covered);
  });

  it('contracts.kyc: NotRequired for a DE client, Missing for a GB client, OnFile once its KYC is submitted (read back by retrieve and list)', async () => {
    const say = about('debitura.kyc-state');
    const de = freshTenant();
    const gb = freshTenant();
    await createDebituraClient(partner, de, { signed: true });
    const gbBody = clientBody(gb, { signed: true });
    gbBody.client.country = 'GB';
    const created = await partner.api.POST('/clients', { body: gbBody });
    expect([201, 202], say('POST /clients for a GB client')).toContain(created.response.status);
    expect((await getClient(de)).data!.contracts.kyc, say('a DE client no KYC partner serves')).toBe('NotRequired');
    expect((await getClient(gb)).data!.contracts.kyc, say('a GB client before its KYC')).toBe('Missing');
    const kyc = await partner.api.POST('/clients/{externalTenantId}/kyc-verification', {
      params: { path: { externalTenantId: gb } },
      body: KYC_BODY,
    });
    expect(kyc.response.status, say('POST /clients/{externalTenantId}/kyc-verification')).toBe(201);
    expect((await getClient(gb)).data!.contracts.kyc, say('the GB client after its KYC (GET /clients/{id})')).toBe(
      'OnFile',
    );
    const listed = (await listClients()).find((c) => c.externalTenantId === gb);
    expect(listed?.contracts.kyc, say('the GB client after its KYC (GET /clients)')).toBe('OnFile');
    expect((await getClient(de)).data!.contracts.kyc, say('the DE client is untouched')).toBe('NotRequired');
  });

  it("the KYC record is the request's (fullName, homeAddress, dateOfBirth) for the client's ids; notifiedCaseIds names exactly its open cases with a KYC partner, each of which got the system chat message", async () => {
    const say = about('debitura.kyc-record');
    const tenant = freshTenant();
    const open = freshReference('GB-OPEN');
    const waiting = freshReference('GB-WAIT');
    const domestic = freshReference('DE-OPEN');
    const body = clientBody(tenant, {
      signed: true,
      cases: [
        {
          ...caseBody({ creditorReference: open, currencyCode: 'GBP', debtor: GB_DEBTOR }),
          skipDebituraVerification: true,
        },
        caseBody({ creditorReference: waiting, currencyCode: 'GBP', debtor: GB_DEBTOR }),
        { ...caseBody({ creditorReference: domestic }), skipDebituraVerification: true },
      ] as never,
    });
    body.client.country = 'GB';
    const onboarded = await partner.api.POST('/clients', { body });
    expect([201, 202], say('POST /clients with three cases')).toContain(onboarded.response.status);
    const cases = await partnerCases(partner, tenant);
    expect(cases.length, say("the client's three cases in the partner's GET /cases")).toBe(3);
    const { data, response } = await partner.api.POST('/clients/{externalTenantId}/kyc-verification', {
      params: { path: { externalTenantId: tenant } },
      body: KYC_BODY,
    });
    expect(response.status, say('POST /clients/{externalTenantId}/kyc-verification')).toBe(201);
    const record: KycRecord = data!;
    expect(record.id, say('id is a uuid')).toMatch(UUID);
    expect(record.externalTenantId, say('externalTenantId = the path')).toBe(tenant);
    expect(record.clientId, say("clientId = the client's")).toBe(onboarded.data!.clientId);
    expect(
      { fullName: record.fullName, homeAddress: record.homeAddress, dateOfBirth: record.dateOfBirth },
      say('fullName, homeAddress and dateOfBirth as sent'),
    ).toEqual(KYC_BODY);
    expect(
      Math.abs(Date.parse(record.dateCreated) / 1000 - realNowSeconds()) < 2 * 86_400,
      say(`dateCreated (${record.dateCreated}) is about now`),
    ).toBe(true);
    // The GB cases by the onboarding answer (a listed Case need not show its debtor), their state by the list.
    const idOf = new Map((onboarded.data!.caseResults?.createdCases ?? []).map((c) => [c.creditorReference, c.caseId]));
    const gbCases = new Set([idOf.get(open), idOf.get(waiting)]);
    expect(gbCases.size, say('createdCases names the two GB cases')).toBe(2);
    const shouldNotify = cases
      .filter((c) => gbCases.has(c.id) && OPEN.includes(c.lifecycle))
      .map((c) => c.id)
      .sort();
    const notify = about('debitura.kyc-notify');
    expect(
      [...record.notifiedCaseIds].sort(),
      notify(
        `notifiedCaseIds: the open GB cases (lifecycles: ${cases.map((c) => `${c.id}${gbCases.has(c.id) ? ' (GB)' : ''}=${c.lifecycle}`).join(', ')})`,
      ),
    ).toEqual(shouldNotify);
    for (const c of cases) {
      const chat = await partner.api.GET('/cases/{caseId}/chats', { params: { path: { caseId: c.id } } });
      expect(chat.response.status, notify(`GET /cases/${c.id}/chats`)).toBe(200);
      const kycMessages = chat.data!.filter((m) => m.isSystemMessage && /KYC/.test(m.message));
      expect(
        kycMessages.length,
        notify(`KYC system messages on ${c.id} (${c.lifecycle}${gbCases.has(c.id) ? ', GB' : ''})`),
      ).toBe(shouldNotify.includes(c.id) ? 1 : 0);
    }
  });

  it('sendChatNotification=false stores the KYC record without a chat message: notifiedCaseIds is empty', async () => {
    const say = about('debitura.kyc-notify');
    const tenant = freshTenant();
    const body = clientBody(tenant, {
      signed: true,
      cases: [
        {
          ...caseBody({ creditorReference: freshReference('GB'), currencyCode: 'GBP', debtor: GB_DEBTOR }),
          skipDebituraVerification: true,
        },
      ] as never,
    });
    body.client.country = 'GB';
    const onboarded = await partner.api.POST('/clients', { body });
    expect([201, 202], say('POST /clients')).toContain(onboarded.response.status);
    const [kase] = await partnerCases(partner, tenant);
    // Positive controls: the KYC is missing before and stored after, as sent (a constant answer fails these).
    expect((await getClient(tenant)).data!.contracts.kyc, about('debitura.kyc-state')('before the KYC: Missing')).toBe(
      'Missing',
    );
    const { data, response } = await partner.api.POST('/clients/{externalTenantId}/kyc-verification', {
      params: { path: { externalTenantId: tenant }, query: { sendChatNotification: false } },
      body: KYC_BODY,
    });
    expect(response.status, say('POST kyc-verification?sendChatNotification=false')).toBe(201);
    expect(
      { externalTenantId: data!.externalTenantId, fullName: data!.fullName },
      about('debitura.kyc-record')('the record stored is the request'),
    ).toEqual({ externalTenantId: tenant, fullName: KYC_BODY.fullName });
    expect(data!.notifiedCaseIds, say('notifiedCaseIds with sendChatNotification=false')).toEqual([]);
    const chat = await partner.api.GET('/cases/{caseId}/chats', { params: { path: { caseId: kase!.id } } });
    expect(
      chat.data!.filter((m) => /KYC/.test(m.message)).length,
      say('no KYC message on the case with sendChatNotification=false'),
    ).toBe(0);
    expect((await getClient(tenant)).data!.contracts.kyc, about('debitura.kyc-state')('stored anyway: OnFile')).toBe(
      'OnFile',
    );
  });

  it('KYC for a tenant never onboarded is 404, and an invalid dateOfBirth is 400; neither stores anything', async () => {
    const say = about('debitura.kyc-unlinked');
    const unknown = freshTenant();
    expectRefusal(
      await partner.api.POST('/clients/{externalTenantId}/kyc-verification', {
        params: { path: { externalTenantId: unknown } },
        body: KYC_BODY,
      }),
      404,
      say('POST kyc-verification for a tenant never onboarded'),
    );
    expect((await getClient(unknown)).response.status, say('the tenant still does not exist')).toBe(404);
    const tenant = freshTenant();
    const bodyGb = clientBody(tenant, { signed: true });
    bodyGb.client.country = 'GB';
    await partner.api.POST('/clients', { body: bodyGb });
    expectRefusal(
      await partner.api.POST('/clients/{externalTenantId}/kyc-verification', {
        params: { path: { externalTenantId: tenant } },
        body: { ...KYC_BODY, dateOfBirth: '12.04.1978' },
      }),
      400,
      say('POST kyc-verification with dateOfBirth 12.04.1978'),
    );
    expect((await getClient(tenant)).data!.contracts.kyc, say('the refused KYC left kyc Missing')).toBe('Missing');
  });

  it('the link states the docs name: an Active link mints a token, Archived and Withdrawn links are listed as such and get 404', async (ctx) => {
    // Only the target can put a link in Archived or Withdrawn; the mock seeds them under its X-Mock-Scenario.
    const seeded = referralClient(partner.key, { 'X-Mock-Scenario': 'debitura-client-not-linked' });
    const listed = await seeded.GET('/clients');
    const byTenant = new Map((listed.data ?? []).map((c) => [c.externalTenantId, c]));
    ctx.skip(
      listed.response.status !== 200 || !byTenant.has('archived-client'),
      'the target seeds no Archived or Withdrawn link (the mock does under X-Mock-Scenario: debitura-client-not-linked)',
    );
    const say = about('debitura.link-states');
    const expected: Array<[string, string, number]> = [
      ['linked-client', 'Active', 200],
      ['archived-client', 'Archived', 404],
      ['withdrawn-client', 'Withdrawn', 404],
    ];
    for (const [tenant, state, mint] of expected) {
      expect(byTenant.get(tenant)?.linkStatus, say(`linkStatus of ${tenant}`)).toBe(state);
      const got = await seeded.GET('/clients/{externalTenantId}', { params: { path: { externalTenantId: tenant } } });
      expect(got.data?.linkStatus, say(`GET /clients/${tenant} linkStatus`)).toBe(state);
      const minted = await seeded.POST('/oauth/token', { body: { externalTenantId: tenant } });
      if (mint === 200) expect(minted.response.status, say(`POST /oauth/token for the ${state} ${tenant}`)).toBe(200);
      else expectRefusal(minted, 404, say(`POST /oauth/token for the ${state} ${tenant}`));
    }
  });

  it('a token acts for the client it was minted for: its cases, and no other client of the partner sees them', async () => {
    const say = about('debitura.token-scope');
    const a = await signedClient(partner);
    const b = await signedClient(partner);
    const submitted: Record<string, string> = {};
    for (const c of [a, b]) {
      const { data, response } = await c.session.POST('/cases', { body: caseBody({ isTest: true }) });
      expect(response.status, say(`POST /cases with the token of ${c.tenant}`)).toBe(200);
      submitted[c.tenant] = data!.id!;
      expect(data!.creditor?.id ?? c.clientId, say("the case's creditor is the token's client")).toBe(c.clientId);
    }
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const own = await self.session.GET('/cases', { params: { query: { PageSize: 100 } } });
      const ids = (own.data!.cases ?? []).map((c) => c.id);
      expect(ids, say(`GET /cases with the token of ${self.tenant} holds its case`)).toContain(submitted[self.tenant]);
      expect(ids, say(`GET /cases with the token of ${self.tenant} holds no case of ${other.tenant}`)).not.toContain(
        submitted[other.tenant],
      );
      const listed = await partnerCases(partner, self.tenant);
      const mine = listed.find((c) => c.id === submitted[self.tenant]);
      expect(mine?.externalTenantId, say(`the partner's GET /cases files the case under ${self.tenant}`)).toBe(
        self.tenant,
      );
      expect(mine?.clientId, say('… with that client id')).toBe(self.clientId);
    }
  });
});
