// Onboarding with cases (Referral API POST /clients with `cases`): a case no partner covers (JP) does
// not stop the client — it is listed in caseResults.failedCases while the covered case is created and
// attributed to the partner; a creditorReference repeated within the request is a 400 that creates
// nothing (no client, no case).
import { beforeAll, expect, it } from 'vitest';
import { capability, needs } from '../../support/capability.js';
import {
  caseBody,
  clientBody,
  expectRefusal,
  freshPartner,
  freshReference,
  freshTenant,
  partnerCases,
  type ClientResult,
  type Partner,
} from '../../support/debitura.js';

capability('debitura-onboarding', 'onboarding a client with cases', () => {
  let partner: Partner;
  let tenant: string;
  let result: ClientResult | undefined;
  const covered = freshReference('DE');
  const uncovered = freshReference('JP');

  beforeAll(async () => {
    partner = await freshPartner();
    tenant = freshTenant();
  });

  const de = (creditorReference: string) => ({ ...caseBody({ creditorReference }), allowPendingContracts: undefined });
  const jp = (creditorReference: string) => ({
    ...caseBody({
      creditorReference,
      currencyCode: 'JPY',
      amountToRecover: 900_000,
      debtor: { name: 'Debtor KK', address: '1-1 Marunouchi', city: 'Tokyo', zipCode: '100-0005', countryAlpha2: 'JP' },
    }),
    allowPendingContracts: undefined,
  });

  it('POST /clients with a covered (DE) and an uncovered (JP) case creates the client; failedCases lists the JP case, createdCases the DE one', async () => {
    const { data, response } = await partner.api.POST('/clients', {
      body: clientBody(tenant, { cases: [de(covered), jp(uncovered)] as never }),
    });
    expect([201, 202], `POST /clients (got ${response.status})`).toContain(response.status);
    result = data!;
    const created = result.caseResults?.createdCases ?? [];
    const failed = result.caseResults?.failedCases ?? [];
    expect(
      created.map((c) => c.creditorReference),
      'caseResults.createdCases',
    ).toEqual([covered]);
    expect(
      failed.map((c) => c.creditorReference),
      'caseResults.failedCases',
    ).toEqual([uncovered]);
    expect(
      typeof failed[0]?.reason === 'string' && failed[0].reason.length > 0,
      'the failed case says why (reason)',
    ).toBe(true);
  });

  it("the client exists and the partner's GET /cases holds only the covered case, attributed to the partner", async (ctx) => {
    needs(ctx, result, 'the client of "POST /clients with a covered and an uncovered case"');
    const { response } = await partner.api.GET('/clients/{externalTenantId}', {
      params: { path: { externalTenantId: tenant } },
    });
    expect(response.status, 'GET /clients/{externalTenantId}').toBe(200);
    const cases = await partnerCases(partner, tenant);
    // By id: a listed Case need not show its creditorReference (optional in the contract).
    expect(
      cases.map((c) => c.id),
      "the client's cases: only the one caseResults.createdCases named",
    ).toEqual([result!.caseResults!.createdCases![0]!.caseId]);
    expect(cases[0]!.attributedToPartner, 'attributedToPartner').toBe(true);
  });

  it('a creditorReference repeated within the request is 400 and creates nothing (no client, no case)', async () => {
    const other = freshTenant();
    const clientsBefore = (await partner.api.GET('/clients')).data!.length;
    const reference = freshReference('DUP');
    const refused = await partner.api.POST('/clients', {
      body: clientBody(other, { cases: [de(reference), de(reference)] as never }),
    });
    expectRefusal(refused, 400, 'POST /clients with a creditorReference twice');
    const lookup = await partner.api.GET('/clients/{externalTenantId}', {
      params: { path: { externalTenantId: other } },
    });
    expect(lookup.response.status, 'the refused client does not exist').toBe(404);
    expect((await partner.api.GET('/clients')).data!.length, 'GET /clients count').toBe(clientsBefore);
    expect(await partnerCases(partner, other), 'no case for the refused client').toEqual([]);
  });
});
