// Debitura's two-API flow as the docs describe it: a referral partner creates a client (Referral API,
// XApiKey), mints a 30-minute bearer token for it, submits a case with the token (Customer API), and
// sees the case among its clients' cases, attributed to the partnership. Credentials: an unknown
// tenant gets no token (404), the Customer API refuses no token and a bogus one (401), and — when the
// target exposes its clock — a token 30 minutes old (401) until a new one is minted.
import { beforeAll, expect, it } from 'vitest';
import { capability, needs } from '../../support/capability.js';
import {
  caseBody,
  clientBody,
  customerClient,
  customerSession,
  expectRefusal,
  freshPartner,
  freshTenant,
  mintToken,
  noClockReason,
  partnerCases,
  shiftClock,
  type ClientResult,
  type CustomerClient,
  type DebituraCase,
  type Partner,
} from '../../support/debitura.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

capability('debitura-flow', 'the two-API flow', () => {
  let partner: Partner;
  let tenant: string;
  let client: ClientResult;
  let status: number;
  let token: string | undefined;
  let customer: CustomerClient;
  let submitted: DebituraCase | undefined;

  beforeAll(async () => {
    partner = await freshPartner();
    tenant = freshTenant();
  });

  it('creates a client with POST /clients (201 ready or 202 pending, the status matching onboardingStatus)', async () => {
    const { data, response } = await partner.api.POST('/clients', { body: clientBody(tenant) });
    status = response.status;
    expect([201, 202], 'POST /clients status').toContain(status);
    client = data!;
    expect(client.externalTenantId, 'externalTenantId as sent').toBe(tenant);
    expect(client.clientId, 'clientId is a uuid').toMatch(UUID);
    if (status === 201) expect(client.onboardingStatus, '201 means onboarding Completed').toBe('Completed');
    else {
      expect(client.onboardingStatus, '202 means onboarding Pending').toBe('Pending');
      expect(client.onboardingLinks?.url, '202 carries onboardingLinks.url').toMatch(/^https?:\/\//);
    }
    expect(client.caseResults, 'caseResults is null when no cases were sent').toBeNull();
  });

  it('the same POST /clients again answers the same client (idempotent per externalTenantId)', async (ctx) => {
    needs(ctx, client, 'the client of "creates a client"');
    const { data, response } = await partner.api.POST('/clients', { body: clientBody(tenant) });
    expect([201, 202]).toContain(response.status);
    expect(data!.clientId, 'the same clientId').toBe(client.clientId);
  });

  it('mints a token with the partner key: 200, tokenType Bearer, expiresIn 1800', async (ctx) => {
    needs(ctx, client, 'the client of "creates a client"');
    const { data, response } = await partner.api.POST('/oauth/token', { body: { externalTenantId: tenant } });
    expect(response.status, 'POST /oauth/token').toBe(200);
    expect(data!.tokenType, 'tokenType').toBe('Bearer');
    expect(data!.expiresIn, 'expiresIn (seconds)').toBe(1800);
    expect(
      typeof data!.accessToken === 'string' && data!.accessToken.length > 0,
      'accessToken is a non-empty string',
    ).toBe(true);
    token = data!.accessToken!;
    customer = customerClient(`Bearer ${token}`);
  });

  it('submits a case with the token (allowPendingContracts: 200, PendingContractSigning with signingHandoff while contracts are unsigned)', async (ctx) => {
    needs(ctx, token, 'the token of "mints a token"');
    const body = caseBody({ isTest: true });
    const { data, response } = await customer.POST('/cases', { body });
    expect(response.status, 'POST /cases (Customer API)').toBe(200);
    submitted = data!;
    expect(submitted.id, 'the case id is a uuid').toMatch(UUID);
    expect(submitted.grossAmount, 'grossAmount = amountToRecover').toBe(body.amountToRecover);
    expect(submitted.creditorReference, 'creditorReference as sent').toBe(body.creditorReference);
    if (status === 202) {
      expect(submitted.lifecycle, "an unsigned client's case waits in PendingContractSigning").toBe(
        'PendingContractSigning',
      );
      expect(submitted.signingHandoff?.combinedSigningUrl, 'signingHandoff.combinedSigningUrl').toMatch(/^https?:\/\//);
    }
  });

  it("without allowPendingContracts an unsigned client's case is 422 with PendingContractSigning among businessErrors", async (ctx) => {
    needs(ctx, token, 'the token of "mints a token"');
    ctx.skip(status !== 202, 'the target onboarded the client as Completed (201): nothing is pending');
    const { error, response } = await customer.POST('/cases', { body: caseBody({ allowPendingContracts: false }) });
    expect(response.status, 'POST /cases without allowPendingContracts').toBe(422);
    const types = ((error as { businessErrors?: Array<{ type?: string }> }).businessErrors ?? []).map((e) => e.type);
    expect(types, 'businessErrors[].type').toContain('PendingContractSigning');
  });

  it("the partner's GET /cases lists the case, attributedToPartner: true", async (ctx) => {
    needs(ctx, submitted, 'the case of "submits a case"');
    const cases = await partnerCases(partner, tenant);
    const found = cases.filter((c) => c.id === submitted!.id);
    expect(
      found.length,
      `the case ${submitted!.id} in the partner's GET /cases (listed: ${cases.map((c) => c.id).join(', ') || 'none'})`,
    ).toBe(1);
    expect(found[0]!.attributedToPartner, 'attributedToPartner').toBe(true);
    expect(found[0]!.externalTenantId, 'externalTenantId of the case').toBe(tenant);
    expect(found[0]!.clientId, 'clientId of the case').toBe(client.clientId);
  });

  it('GET /cases/{id} on the Customer API returns the submitted case', async (ctx) => {
    needs(ctx, submitted, 'the case of "submits a case"');
    const { data, response } = await customer.GET('/cases/{id}', { params: { path: { id: submitted!.id! } } });
    expect(response.status, 'GET /cases/{id}').toBe(200);
    expect(data, 'the same case').toMatchObject({
      id: submitted!.id,
      reference: submitted!.reference,
      grossAmount: submitted!.grossAmount,
      currency: submitted!.currency,
      creditorReference: submitted!.creditorReference,
    });
  });

  it('a token for an unknown externalTenantId is 404', async () => {
    const result = await partner.api.POST('/oauth/token', { body: { externalTenantId: freshTenant() } });
    expectRefusal(result, 404, 'POST /oauth/token for a tenant never created');
  });

  it('the Customer API without credentials is 401', async (ctx) => {
    needs(ctx, submitted, 'the case of "submits a case"');
    expectRefusal(
      await customerClient(null).GET('/cases/{id}', { params: { path: { id: submitted!.id! } } }),
      401,
      'GET /cases/{id} without Authorization',
    );
    expectRefusal(
      await customerClient(null).POST('/cases', { body: caseBody() }),
      401,
      'POST /cases without Authorization',
    );
  });

  it('the Customer API with a bogus bearer token is 401', async (ctx) => {
    needs(ctx, submitted, 'the case of "submits a case"');
    expectRefusal(
      await customerClient('Bearer not-a-token-this-api-issued').GET('/cases/{id}', {
        params: { path: { id: submitted!.id! } },
      }),
      401,
      'GET /cases/{id} with a bogus token',
    );
    expectRefusal(
      await customerClient('Bearer not-a-token-this-api-issued').GET('/cases'),
      401,
      'GET /cases with a bogus token',
    );
  });

  it('a GB debtor needs KYC: 422 MissingKycVerification until POST /clients/{tenant}/kyc-verification, then 200', async (ctx) => {
    needs(ctx, token, 'the token of "mints a token"');
    const session = await customerSession(partner, tenant);
    const gb = () =>
      caseBody({
        currencyCode: 'GBP',
        debtor: {
          name: 'Debtor Ltd',
          address: '1 High Street',
          city: 'London',
          zipCode: 'EC1A 1BB',
          countryAlpha2: 'GB',
        },
      });
    const refused = await session.POST('/cases', { body: gb() });
    expect(refused.response.status, 'POST /cases for a GB debtor before KYC').toBe(422);
    const types = ((refused.error as { businessErrors?: Array<{ type?: string }> }).businessErrors ?? []).map(
      (e) => e.type,
    );
    expect(types, 'businessErrors[].type').toContain('MissingKycVerification');
    const kyc = await partner.api.POST('/clients/{externalTenantId}/kyc-verification', {
      params: { path: { externalTenantId: tenant } },
      body: {
        fullName: 'Anna Conformance',
        homeAddress: 'Maximilianstrasse 5, 80539 Munich, Germany',
        dateOfBirth: '1978-04-12',
      },
    });
    expect(kyc.response.status, 'POST /clients/{externalTenantId}/kyc-verification').toBe(201);
    const accepted = await session.POST('/cases', { body: gb() });
    expect(accepted.response.status, 'POST /cases for a GB debtor after KYC').toBe(200);
  });

  it('a country no partner covers (JP) is 422 NoPartnerAvailable', async (ctx) => {
    needs(ctx, token, 'the token of "mints a token"');
    const session = await customerSession(partner, tenant);
    const { error, response } = await session.POST('/cases', {
      body: caseBody({
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
    });
    expect(response.status, 'POST /cases for a JP debtor').toBe(422);
    const types = ((error as { businessErrors?: Array<{ type?: string }> }).businessErrors ?? []).map((e) => e.type);
    expect(types, 'businessErrors[].type').toContain('NoPartnerAvailable');
  });

  // Last in the file: it moves the target's clock (and back). Other files' sessions mint again on 401.
  it('a token is refused 30 minutes after it was minted (401), works until then (10 s before), and a newly minted one works', async (ctx) => {
    needs(ctx, submitted, 'the case of "submits a case"');
    const noClock = noClockReason();
    ctx.skip(noClock !== undefined, noClock);
    const fresh = await mintToken(partner, tenant);
    const get = (bearer: string) =>
      customerClient(`Bearer ${bearer}`).GET('/cases/{id}', { params: { path: { id: submitted!.id! } } });
    expect((await get(fresh)).response.status, 'the new token works before the 30 minutes').toBe(200);
    let shifted = 0;
    const shift = async (seconds: number) => {
      await shiftClock(seconds);
      shifted += seconds;
    };
    await shift(1790);
    try {
      expect(
        (await get(fresh)).response.status,
        '[debitura.token-lifetime] the token 10 s before its 30 minutes (expiresIn 1800) still works',
      ).toBe(200);
      await shift(10);
      expectRefusal(await get(fresh), 401, '[debitura.token-expiry] the token 30 minutes after it was minted');
      const again = await mintToken(partner, tenant);
      expect((await get(again)).response.status, 'a token minted after the 30 minutes works').toBe(200);
    } finally {
      await shiftClock(-shifted);
    }
  });
});
