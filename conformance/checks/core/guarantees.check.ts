// Guarantee policies, guarantees and claims: create, retrieve, update, list, cancel; the coverage
// arithmetic (total = monthly coverage × max months; claims reserve remaining coverage) and the
// claim guards (currency, amount within coverage less the deductible).
import { beforeAll, expect, it } from 'vitest';
import { capability, needs } from '../../support/capability.js';
import {
  DAY,
  accountClock,
  expectError,
  freshAccount,
  listAll,
  nextName,
  type Account,
  type Claim,
  type Guarantee,
  type GuaranteePolicy,
  shown,
} from '../../support/fixtures.js';

capability('core', 'guarantee policies, guarantees and claims', () => {
  let account: Account;
  let now: number;
  let policy: GuaranteePolicy;
  let guarantee: Guarantee;
  let claim: Claim;
  const coverageAmount = 120_000;

  beforeAll(async () => {
    account = await freshAccount();
    ({ now } = await accountClock(account));
  });

  it('creates a policy (201) with the defaults for fields left out', async () => {
    const body = {
      name: nextName('Standard Rent Guarantee'),
      coverage_percentage: 100,
      max_coverage_months: 12,
      waiting_period_days: 30,
      deductible_amount: 10_000,
    };
    const { data, response } = await account.api.POST('/v1/guarantee_policies', { body });
    expect(response.status, 'creating a policy').toBe(201);
    policy = data!;
    expect(policy, 'the policy shows the terms sent').toMatchObject(body);
    expect(policy.active, 'a new policy is active').toBe(true);
    expect(policy.eligible_score_minimum, 'eligible_score_minimum defaults to 0').toBe(0);
  });

  it('retrieves, updates and lists the policy', async (ctx) => {
    needs(ctx, policy, 'the policy of "creates a policy"');
    const { data: got } = await account.api.GET('/v1/guarantee_policies/{id}', { params: { path: { id: policy.id } } });
    expect(got, 'retrieve equals create').toEqual(policy);
    const { data: updated, response } = await account.api.POST('/v1/guarantee_policies/{id}', {
      params: { path: { id: policy.id } },
      body: { name: `${policy.name} (renamed)`, metadata: { tier: 'gold' } },
    });
    expect(response.status).toBe(200);
    const changed = {
      ...policy,
      name: `${policy.name} (renamed)`,
      ...(updated!.metadata !== undefined ? { metadata: { tier: 'gold' } } : {}),
    };
    expect(updated, 'only the fields sent change').toEqual(changed);
    policy = updated!;
    const { data: again } = await account.api.GET('/v1/guarantee_policies/{id}', {
      params: { path: { id: policy.id } },
    });
    expect(again, 'the update is stored').toEqual(policy);
    const listed = await listAll<GuaranteePolicy>(account, '/v1/guarantee_policies');
    expect(
      listed.filter((p) => p.id === policy.id),
      'the policy is listed once, as retrieved',
    ).toEqual([policy]);
  });

  it('creates an active guarantee: total_coverage = coverage_amount × max_coverage_months', async (ctx) => {
    needs(ctx, policy, 'the policy of "creates a policy"');
    const body = {
      policy: policy.id,
      tenant: 'cus_conformance_1',
      coverage_amount: coverageAmount,
      currency: 'eur',
      start_date: now - 60 * DAY,
      end_date: now + 300 * DAY,
      metadata: { lease_id: 'lease_1' },
    };
    const { data, response } = await account.api.POST('/v1/guarantees', { body });
    expect(response.status).toBe(201);
    guarantee = data!;
    expect(guarantee, 'the guarantee shows the policy, tenant, amount, currency and dates sent').toMatchObject(
      shown(
        guarantee,
        {
          policy: policy.id,
          tenant: body.tenant,
          coverage_amount: coverageAmount,
          currency: 'eur',
          start_date: body.start_date,
          end_date: body.end_date,
        },
        'Guarantee',
      ),
    );
    expect(guarantee.status, 'a guarantee that already started is active').toBe('active');
    const { data: got } = await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: guarantee.id } } });
    // total_coverage is optional: the arithmetic is checked wherever it is shown, and the check is skipped when it never is.
    if (guarantee.total_coverage !== undefined)
      expect(guarantee.total_coverage, 'total_coverage = coverage_amount × max_coverage_months').toBe(
        coverageAmount * policy.max_coverage_months,
      );
    if (guarantee.remaining_coverage !== undefined)
      expect(guarantee.remaining_coverage, 'nothing claimed yet').toBe(guarantee.total_coverage);
    if (got!.total_coverage !== undefined)
      expect(got!.total_coverage, 'retrieve shows the same total_coverage').toBe(
        coverageAmount * policy.max_coverage_months,
      );
    ctx.skip(
      guarantee.total_coverage === undefined && got!.total_coverage === undefined,
      'the guarantee shows no total_coverage (optional), so its arithmetic could not be checked',
    );
  });

  it('a guarantee starting in the future is pending, stays pending when retrieved, and is cancelled by a cancel', async (ctx) => {
    needs(ctx, policy, 'the policy of "creates a policy"');
    const body = {
      policy: policy.id,
      tenant: 'cus_conformance_future',
      coverage_amount: 50_000,
      currency: 'eur',
      start_date: now + 30 * DAY,
      end_date: now + 400 * DAY,
    };
    const { data, response } = await account.api.POST('/v1/guarantees', { body });
    expect(response.status).toBe(201);
    expect(data!.status, 'a guarantee starting in 30 days is pending').toBe('pending');
    // Positive control: the stored guarantee, not only the create's echo, is pending with the start sent …
    const { data: got } = await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: data!.id } } });
    expect(got!.status, 'the retrieved guarantee is pending').toBe('pending');
    expect(got!.start_date, 'the retrieved guarantee starts when sent').toBe(body.start_date);
    // … and its status follows an action: cancelled after a cancel, so a constant `pending` fails here.
    const cancel = await account.api.POST('/v1/guarantees/{id}/cancel', {
      params: { path: { id: data!.id } },
      body: {},
    });
    expect(cancel.response.status, 'a pending guarantee can be cancelled').toBe(200);
    const { data: after } = await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: data!.id } } });
    expect(after!.status, 'the retrieved guarantee is cancelled after the cancel').toBe('cancelled');
  });

  it('updates a guarantee (metadata and end_date) and lists it', async (ctx) => {
    needs(ctx, guarantee, 'the guarantee of "creates an active guarantee"');
    const { data, response } = await account.api.POST('/v1/guarantees/{id}', {
      params: { path: { id: guarantee.id } },
      body: { end_date: guarantee.end_date + 30 * DAY, metadata: { lease_id: 'lease_2' } },
    });
    expect(response.status).toBe(200);
    expect(data, 'the update changes end_date and metadata and keeps total_coverage').toMatchObject(
      shown(
        data,
        {
          id: guarantee.id,
          end_date: guarantee.end_date + 30 * DAY,
          metadata: { lease_id: 'lease_2' },
          total_coverage: guarantee.total_coverage,
        },
        'Guarantee',
      ),
    );
    guarantee = data!;
    const listed = await listAll<Guarantee>(account, '/v1/guarantees', { policy: policy.id });
    expect(
      listed.map((g) => g.id),
      'the policy filter lists the guarantee',
    ).toContain(guarantee.id);
    expect(
      listed.every((g) => g.policy === policy.id),
      'the policy filter lists only that policy',
    ).toBe(true);
  });

  it('files a claim (201, under_review) that reserves coverage', async (ctx) => {
    needs(ctx, guarantee, 'the guarantee of "creates an active guarantee"');
    const body = {
      guarantee: guarantee.id,
      amount: 100_000,
      currency: 'eur',
      reason: 'missed_payment' as const,
      evidence: { invoice_id: 'inv_conf_1', due_date: guarantee.start_date + 40 * DAY, description: 'Rent unpaid' },
    };
    const { data, response } = await account.api.POST('/v1/claims', { body });
    expect(response.status).toBe(201);
    claim = data!;
    expect(claim, 'the claim shows the guarantee, amount, currency and reason sent, under_review').toMatchObject(
      shown(
        claim,
        { guarantee: guarantee.id, amount: 100_000, currency: 'eur', reason: 'missed_payment', status: 'under_review' },
        'Claim',
      ),
    );
    const { data: got } = await account.api.GET('/v1/claims/{id}', { params: { path: { id: claim.id } } });
    expect(got, 'retrieve equals create').toEqual(claim);
    const { data: g } = await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: guarantee.id } } });
    if (g!.amount_claimed !== undefined)
      expect(g!.amount_claimed, 'amount_claimed counts the claim under review').toBe(100_000);
    if (g!.remaining_coverage !== undefined)
      expect(g!.remaining_coverage, 'remaining_coverage = total_coverage − amount_claimed').toBe(
        g!.total_coverage! - 100_000,
      );
    if (g!.claims_filed !== undefined) expect(g!.claims_filed, 'claims_filed').toBe(1);
    const listed = await listAll<Claim>(account, '/v1/claims', { guarantee: guarantee.id });
    expect(
      listed.map((c) => c.id),
      'the guarantee filter lists the claim',
    ).toEqual([claim.id]);
  });

  it('refuses a claim in another currency or above the coverage less the deductible (422)', async (ctx) => {
    needs(ctx, guarantee, 'the guarantee of "creates an active guarantee"');
    const evidence = { due_date: guarantee.start_date + 40 * DAY };
    expectError(
      await account.api.POST('/v1/claims', {
        body: { guarantee: guarantee.id, amount: 1000, currency: 'usd', reason: 'missed_payment', evidence },
      }),
      { status: 422, type: 'validation_error', code: 'currency_mismatch' },
      'currency',
    );
    const { data: g } = await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: guarantee.id } } });
    const tooMuch =
      (g!.remaining_coverage ?? g!.total_coverage ?? coverageAmount * policy.max_coverage_months) -
      policy.deductible_amount +
      1;
    expectError(
      await account.api.POST('/v1/claims', {
        body: { guarantee: guarantee.id, amount: tooMuch, currency: 'eur', reason: 'missed_payment', evidence },
      }),
      { status: 422, type: 'validation_error', code: 'amount_exceeds_coverage' },
      'amount',
    );
  });

  it('cancels a guarantee (200, cancelled, canceled_at set); a cancelled guarantee takes no claims', async (ctx) => {
    needs(ctx, policy, 'the policy of "creates a policy"');
    const { data: extra } = await account.api.POST('/v1/guarantees', {
      body: {
        policy: policy.id,
        tenant: 'cus_conformance_cancel',
        coverage_amount: 80_000,
        currency: 'eur',
        start_date: now - 10 * DAY,
        end_date: now + 200 * DAY,
      },
    });
    const { data, response } = await account.api.POST('/v1/guarantees/{id}/cancel', {
      params: { path: { id: extra!.id } },
      body: { cancellation_reason: 'Lease ended early' },
    });
    expect(response.status).toBe(200);
    expect(data, 'the cancelled guarantee with the reason sent').toMatchObject(
      shown(data, { id: extra!.id, status: 'cancelled', cancellation_reason: 'Lease ended early' }, 'Guarantee'),
    );
    // canceled_at is optional; when shown it is the time of the cancel: set, and not before the account's clock was read.
    if (data!.canceled_at !== undefined) {
      expect(data!.canceled_at, 'canceled_at is set').toBeTypeOf('number');
      expect(data!.canceled_at!, "canceled_at is not before the account's clock was first read").toBeGreaterThanOrEqual(
        now,
      );
    }
    expectError(
      await account.api.POST('/v1/claims', {
        body: {
          guarantee: extra!.id,
          amount: 1000,
          currency: 'eur',
          reason: 'missed_payment',
          evidence: { due_date: now - 5 * DAY },
        },
      }),
      { status: 422, type: 'validation_error' },
      'claim on a cancelled guarantee',
    );
  });

  it('a cancelled guarantee cannot be cancelled again or extended (422 state_invalid); an inactive policy takes no guarantees (422)', async (ctx) => {
    needs(ctx, policy, 'the policy of "creates a policy"');
    const { data: g } = await account.api.POST('/v1/guarantees', {
      body: {
        policy: policy.id,
        tenant: 'cus_conformance_twice',
        coverage_amount: 80_000,
        currency: 'eur',
        start_date: now - 10 * DAY,
        end_date: now + 200 * DAY,
      },
    });
    expect(
      (await account.api.POST('/v1/guarantees/{id}/cancel', { params: { path: { id: g!.id } }, body: {} })).response
        .status,
    ).toBe(200);
    const cancelled = (await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: g!.id } } })).data!;
    expectError(
      await account.api.POST('/v1/guarantees/{id}/cancel', { params: { path: { id: g!.id } }, body: {} }),
      { status: 422, type: 'validation_error', code: 'state_invalid' },
      'cancel twice',
    );
    expectError(
      await account.api.POST('/v1/guarantees/{id}', {
        params: { path: { id: g!.id } },
        body: { end_date: g!.end_date + DAY },
      }),
      { status: 422, type: 'validation_error', code: 'state_invalid' },
      'extend a cancelled guarantee',
    );
    expect(
      (await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: g!.id } } })).data,
      'the refused changes changed nothing',
    ).toEqual(cancelled);
    const { data: metadataOnly, response } = await account.api.POST('/v1/guarantees/{id}', {
      params: { path: { id: g!.id } },
      body: { metadata: { note: 'closed' } },
    });
    expect(response.status, 'metadata can still change').toBe(200);
    if (metadataOnly!.metadata !== undefined)
      expect(metadataOnly!.metadata, 'the metadata sent').toEqual({ note: 'closed' });
    const { data: inactive } = await account.api.POST('/v1/guarantee_policies', {
      body: { name: 'Retired policy', coverage_percentage: 50, max_coverage_months: 3 },
    });
    expect(
      (
        await account.api.POST('/v1/guarantee_policies/{id}', {
          params: { path: { id: inactive!.id } },
          body: { active: false },
        })
      ).data!.active,
    ).toBe(false);
    expectError(
      await account.api.POST('/v1/guarantees', {
        body: {
          policy: inactive!.id,
          tenant: 'cus_x',
          coverage_amount: 1000,
          currency: 'eur',
          start_date: now - DAY,
          end_date: now + 30 * DAY,
        },
      }),
      { status: 422, type: 'validation_error' },
      'guarantee under an inactive policy',
    );
  });

  it('unknown policy, guarantee and claim ids are 404', async () => {
    expectError(
      await account.api.GET('/v1/guarantee_policies/{id}', { params: { path: { id: 'gpol_doesnotexist0' } } }),
      { status: 404, code: 'resource_not_found' },
      'policy',
    );
    expectError(
      await account.api.GET('/v1/guarantees/{id}', { params: { path: { id: 'grt_doesnotexist0' } } }),
      { status: 404, code: 'resource_not_found' },
      'guarantee',
    );
    expectError(
      await account.api.GET('/v1/claims/{id}', { params: { path: { id: 'clm_doesnotexist0' } } }),
      { status: 404, code: 'resource_not_found' },
      'claim',
    );
  });
});
