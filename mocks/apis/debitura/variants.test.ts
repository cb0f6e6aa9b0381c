// Each Debitura variant really bends the mock (so the suite's PASS against it means something), and
// stays within the contracts (the mock checks its own responses against the closed contract, except
// for the unknown field, which only the open contract allows).
import { describe, expect, it } from 'vitest';
import { createMockEngine } from '../../server.js';
import { debituraAccount } from './state.js';

const CASE = {
  currencyCode: 'EUR',
  amountToRecover: 5000,
  date: '2025-06-01',
  debtor: { type: 'Company', name: 'Debtor GmbH', countryAlpha2: 'DE' },
};

async function withVariant(variant: string) {
  // The mock holds itself to the closed contract, which an unknown field breaks by design.
  const engine = await createMockEngine({
    logLevel: 'silent',
    seed: 'variants',
    variants: [variant],
    validateResponses: variant !== 'debitura-extra-fields',
  });
  const call = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: unknown) => {
    const res = await engine.app.inject({
      method,
      url,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      payload: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.statusCode, body: res.json() };
  };
  const partner = { XApiKey: 'variant_partner' };
  const onboarded = await call('POST', '/debitura/referral/clients', partner, {
    externalTenantId: 'v1',
    client: { name: 'Acme', country: 'DE', supportEmail: 's@acme.example' },
    users: [{ email: 'a+signed@acme.example', name: 'A' }],
  });
  const token = await call('POST', '/debitura/referral/oauth/token', partner, { externalTenantId: 'v1' });
  const bearer = { authorization: `Bearer ${token.body.accessToken}` };
  return { engine, call, partner, bearer, onboarded };
}

describe('Debitura variants bend the mock within the contracts', () => {
  it('debitura-absent-nulls: null optional fields are left out, required ones stay (caseResults: null)', async () => {
    const { engine, call, bearer, onboarded } = await withVariant('debitura-absent-nulls');
    expect(onboarded.status).toBe(201);
    expect(onboarded.body).toHaveProperty('caseResults', null);
    const created = await call('POST', '/debitura/customer/cases', bearer, CASE);
    expect(created.status).toBe(200);
    expect(created.body).not.toHaveProperty('dateUpdated');
    expect(created.body).not.toHaveProperty('signingHandoff');
    await engine.close();
  });

  it('debitura-extra-fields: a traceId the contracts do not name', async () => {
    const { engine, call, bearer } = await withVariant('debitura-extra-fields');
    const created = await call('POST', '/debitura/customer/cases', bearer, CASE);
    expect(created.body.traceId).toBe('tr_1');
    await engine.close();
  });

  it('debitura-reworded-errors: other words, the same code and status', async () => {
    const { engine, call, bearer } = await withVariant('debitura-reworded-errors');
    const refused = await call('POST', '/debitura/customer/cases', bearer, { ...CASE, date: '2999-01-01' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('parameter_invalid');
    expect(refused.body.message).toMatch(/^\[reworded\] /);
    await engine.close();
  });

  it('debitura-evt-event-ids: events carry evt_… ids', async () => {
    const { engine, call, bearer } = await withVariant('debitura-evt-event-ids');
    await call('POST', '/debitura/customer/cases', bearer, CASE);
    const world = debituraAccount(engine.sandbox.store.peek('debitura:variant_partner')!).debitura!;
    expect(world.events.map((e) => e.payload.id)).toEqual([expect.stringMatching(/^evt_[A-Za-z0-9]{14}$/)]);
    await engine.close();
  });

  it("debitura-dotnet-messages: .NET's wording, the property in words and never verbatim", async () => {
    const { engine, call, bearer } = await withVariant('debitura-dotnet-messages');
    const refused = await call('POST', '/debitura/customer/cases', bearer, { ...CASE, dueDate: '2999-01-01' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('parameter_invalid');
    expect(refused.body.message).toBe("'Due Date' must not be in the future (today is allowed).");
    const us = { ...CASE, currencyCode: 'USD', debtor: { ...CASE.debtor, countryAlpha2: 'US' } };
    const noState = await call('POST', '/debitura/customer/cases', bearer, us);
    expect(noState.status).toBe(400);
    expect(noState.body.message).toMatch(/^'State Alpha2' must not be empty\./);
    expect(noState.body.message).not.toContain('stateAlpha2');
    await engine.close();
  });

  it('debitura-statuses-repeated-only: the repeated form filters, one comma-separated value is a 400', async () => {
    const { engine, call, bearer } = await withVariant('debitura-statuses-repeated-only');
    await call('POST', '/debitura/customer/cases', bearer, CASE);
    const repeated = await call('GET', '/debitura/customer/cases?Statuses=Active&Statuses=PendingVerification', bearer);
    expect(repeated.status).toBe(200);
    expect(repeated.body.page.totalResults).toBe(1);
    const comma = await call('GET', '/debitura/customer/cases?Statuses=Active,PendingVerification', bearer);
    expect(comma.status).toBe(400);
    expect(comma.body.error).toBe('parameter_invalid');
    await engine.close();
  });

  it('debitura-files-oldest-last: a case lists its files newest first', async () => {
    const { engine, call, bearer } = await withVariant('debitura-files-oldest-last');
    const created = await call('POST', '/debitura/customer/cases', bearer, CASE);
    const upload = async (name: string) => {
      const boundary = 'variant-boundary';
      const res = await engine.app.inject({
        method: 'POST',
        url: `/debitura/customer/cases/${created.body.id}/files`,
        headers: { ...bearer, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="File"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`,
      });
      expect(res.statusCode).toBe(200);
    };
    await upload('first.txt');
    await upload('second.txt');
    const listed = await call('GET', `/debitura/customer/cases/${created.body.id}/files`, bearer);
    expect(listed.body.map((f: { fileName: string }) => f.fileName)).toEqual(['second.txt', 'first.txt']);
    await engine.close();
  });
});
