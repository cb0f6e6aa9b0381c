// Claims driven with the test helpers: approve → pay (payout set, guarantee claimed and its
// counters), deny (coverage released), and the moves a decided claim refuses. Skipped, with the
// reason, on targets without test helpers.
import { beforeAll, expect, it } from 'vitest';
import { capability } from '../../support/capability.js';
import {
  DAY,
  accountClock,
  caseParams,
  createCase,
  eligibleCountries,
  expectError,
  freshAccount,
  probeTestHelpers,
  type Account,
  type Claim,
  type Guarantee,
  type GuaranteePolicy,
  shown,
} from '../../support/fixtures.js';

capability('lifecycle', 'claims (test helpers)', () => {
  let account: Account;
  let now: number;
  let policy: GuaranteePolicy;
  let helpers = { available: false, reason: 'not probed' };

  beforeAll(async () => {
    account = await freshAccount();
    ({ now, policy } = await accountClock(account));
    const [country] = await eligibleCountries(account, now);
    helpers = await probeTestHelpers(account, await createCase(account, caseParams(now, { country })));
  });

  const newGuarantee = async (): Promise<Guarantee> => {
    const { data, response } = await account.api.POST('/v1/guarantees', {
      body: {
        policy: policy.id,
        tenant: 'cus_lifecycle',
        coverage_amount: 100_000,
        currency: 'eur',
        start_date: now - 90 * DAY,
        end_date: now + 270 * DAY,
      },
    });
    expect(response.status).toBe(201);
    return data!;
  };
  const fileClaim = async (g: Guarantee, amount: number): Promise<Claim> => {
    const { data, response } = await account.api.POST('/v1/claims', {
      body: {
        guarantee: g.id,
        amount,
        currency: 'eur',
        reason: 'missed_payment',
        evidence: { due_date: g.start_date + (policy.waiting_period_days + 5) * DAY },
      },
    });
    expect(response.status).toBe(201);
    return data!;
  };
  const getGuarantee = async (id: string) =>
    (await account.api.GET('/v1/guarantees/{id}', { params: { path: { id } } })).data!;
  const helper = (action: 'approve' | 'pay', id: string) =>
    action === 'approve'
      ? account.api.POST('/v1/test_helpers/claims/{id}/approve', { params: { path: { id } } })
      : account.api.POST('/v1/test_helpers/claims/{id}/pay', { params: { path: { id } } });

  it('approve then pay: reviewed_at, payout, guarantee claimed with its counters', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const g = await newGuarantee();
    const claim = await fileClaim(g, 60_000);
    const { data: approved, response } = await helper('approve', claim.id);
    expect(response.status).toBe(200);
    expect(approved, 'the approved claim, no payout yet').toMatchObject(
      shown(approved, { id: claim.id, status: 'approved', payout: null }, 'Claim'),
    );
    if (approved!.reviewed_at !== undefined)
      expect(approved!.reviewed_at, 'reviewed_at is set on approval').toBeTypeOf('number');
    const { data: paid, response: r } = await helper('pay', claim.id);
    expect(r.status).toBe(200);
    expect(paid!.status).toBe('paid');
    if (paid!.payout !== undefined) expect(paid!.payout, 'a paid claim names its payout').toMatch(/^po_/);
    const after = await getGuarantee(g.id);
    expect(after.status, 'a guarantee with a paid claim is claimed').toBe('claimed');
    if (after.claims_paid !== undefined) expect(after.claims_paid, 'claims_paid counts the paid claim').toBe(1);
    if (after.amount_paid !== undefined) expect(after.amount_paid, 'amount_paid is the claim paid').toBe(60_000);
    if (after.remaining_coverage !== undefined)
      expect(after.remaining_coverage, 'remaining = total − claimed').toBe(after.total_coverage! - 60_000);
    const { data: again } = await account.api.GET('/v1/claims/{id}', { params: { path: { id: claim.id } } });
    expect(again, 'retrieve shows the paid claim').toEqual(paid);
  });

  it('deny releases the claimed amount; a denied claim cannot be approved or paid', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const g = await newGuarantee();
    const claim = await fileClaim(g, 40_000);
    const reserved = await getGuarantee(g.id);
    const { data: denied, response } = await account.api.POST('/v1/test_helpers/claims/{id}/deny', {
      params: { path: { id: claim.id } },
      body: { denial_reason: 'Paid within the grace period' },
    });
    expect(response.status).toBe(200);
    expect(denied, 'the denied claim with the reason sent').toMatchObject(
      shown(denied, { status: 'denied', denial_reason: 'Paid within the grace period' }, 'Claim'),
    );
    const after = await getGuarantee(g.id);
    if (reserved.remaining_coverage !== undefined)
      expect(after.remaining_coverage, 'a denied claim gives its amount back').toBe(
        reserved.remaining_coverage + 40_000,
      );
    expectError(await helper('approve', claim.id), { status: 422, code: 'state_invalid' }, 'approve a denied claim');
    expectError(await helper('pay', claim.id), { status: 422, code: 'state_invalid' }, 'pay a denied claim');
    const { data: still } = await account.api.GET('/v1/claims/{id}', { params: { path: { id: claim.id } } });
    expect(still, 'the refused moves changed nothing').toEqual(denied);
  });

  it('a paid claim cannot be denied', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const claim = await fileClaim(await newGuarantee(), 10_000);
    const { data: paid, response } = await helper('pay', claim.id);
    expect(response.status, 'paying a claim under review approves and pays it').toBe(200);
    expectError(
      await account.api.POST('/v1/test_helpers/claims/{id}/deny', { params: { path: { id: claim.id } }, body: {} }),
      { status: 422, code: 'state_invalid' },
    );
    const { data: still } = await account.api.GET('/v1/claims/{id}', { params: { path: { id: claim.id } } });
    expect(still, 'the refused deny changed nothing').toEqual(paid);
  });

  it('unknown claims are 404 for the helpers', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    expectError(await helper('approve', 'clm_doesnotexist0'), { status: 404, code: 'resource_not_found' });
  });
});
