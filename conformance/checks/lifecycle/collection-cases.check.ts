// A case driven through its lifecycle with the test helpers: payments lower the remainder and carry
// the fee arithmetic; the `paid` close needs full payment; illegal moves are 422 state_invalid and
// change nothing; closed is terminal; the timeline grows. Skipped (with the reason) on targets
// without test helpers.
import { beforeAll, expect, it } from 'vitest';
import type { components } from '../../../generated/casapay.js';
import { capability } from '../../support/capability.js';
import {
  accountClock,
  caseParams,
  createCase,
  previewParamsFor,
  eligibleCountries,
  expectError,
  freshAccount,
  listAll,
  probeTestHelpers,
  retrieveCase,
  type Account,
  type CollectionCase,
  shown,
} from '../../support/fixtures.js';

type DebtPayment = components['schemas']['DebtPayment'];
type Status = CollectionCase['status'];
type CloseCode = components['schemas']['CloseCode'];

capability('lifecycle', 'collection case lifecycle (test helpers)', () => {
  let account: Account;
  let now: number;
  let country: string;
  let helpers = { available: false, reason: 'not probed' };
  const amount = 300_000;

  beforeAll(async () => {
    account = await freshAccount();
    ({ now } = await accountClock(account));
    [country] = (await eligibleCountries(account, now)) as [string];
    helpers = await probeTestHelpers(account, await createCase(account, caseParams(now, { country })));
  });

  const newCase = () => createCase(account, caseParams(now, { country, amount }));
  const bodyOf = (_c: CollectionCase) => caseParams(now, { country, amount });
  const advance = (id: string, status: Status, closeCode?: CloseCode, comment?: string) =>
    account.api.POST('/v1/test_helpers/collection_cases/{id}/advance', {
      params: { path: { id } },
      body: { status, ...(closeCode ? { close_code: closeCode } : {}), ...(comment ? { comment } : {}) },
    });
  const pay = (id: string, paid: number, closeCase?: boolean) =>
    account.api.POST('/v1/test_helpers/collection_cases/{id}/debt_payments', {
      params: { path: { id } },
      body: { amount: paid, ...(closeCase === undefined ? {} : { close_case: closeCase }) },
    });
  const timelineTypes = async (id: string) =>
    (await account.api.GET('/v1/collection_cases/{id}/timeline', { params: { path: { id } } })).data!.data.map(
      (e) => e.type,
    );

  /** Asserts a refused move changed nothing on the case. */
  const expectUnchanged = async (before: CollectionCase, what: string) =>
    expect(await retrieveCase(account, before.id), `${what} changed nothing`).toEqual(before);

  it('payments lower the remainder by their amount, with fee = round(amount × success_fee_pct / 100)', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c = await newCase();
    // success_fee_pct is optional on a case; the preview of the same input must quote the same fee.
    const fee =
      c.success_fee_pct ??
      (await retrieveCase(account, c.id)).success_fee_pct ??
      (await account.api.POST('/v1/collection_case_previews', { body: previewParamsFor(bodyOf(c)) })).data!
        .pricing_preview!.total_success_fee_pct;
    let remainder = amount;
    const payments: DebtPayment[] = [];
    for (const part of [100_000, 50_000]) {
      const { data, response } = await pay(c.id, part);
      expect(response.status, `payment of ${part}`).toBe(201);
      payments.push(data!);
      remainder -= part;
      expect(data, 'the payment of the case, amount and currency, partial').toMatchObject(
        shown(data, { case: c.id, amount: part, currency: c.currency, type: 'partial_payment' }, 'DebtPayment'),
      );
      expect(data!.fee_amount, 'fee_amount = round(amount × success_fee_pct / 100)').toBe(
        Math.round((part * fee) / 100),
      );
      expect(data!.net_amount, 'net_amount = amount − fee_amount').toBe(part - data!.fee_amount);
      const after = await retrieveCase(account, c.id);
      expect(after.remainder, `remainder after paying ${part}`).toBe(remainder);
      expect(after.status, 'a partial payment leaves the case open').not.toBe('closed');
    }
    const listed = await listAll<DebtPayment>(account, '/v1/debt_payments', { case: c.id });
    expect(
      listed.map((p) => p.id),
      'payments listed by case, newest first',
    ).toEqual(payments.map((p) => p.id).reverse());
    for (const p of payments) {
      const { data } = await account.api.GET('/v1/debt_payments/{id}', { params: { path: { id: p.id } } });
      expect(data, 'retrieve equals create').toEqual(p);
    }
    const types = await timelineTypes(c.id);
    expect(
      types.filter((t) => t === 'payment_received').length,
      'one payment_received timeline entry per payment',
    ).toBe(2);
  });

  it('a payment above the remainder is 422 and changes nothing', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c = await newCase();
    expectError(await pay(c.id, amount + 1), { status: 422, type: 'validation_error' });
    await expectUnchanged(await retrieveCase(account, c.id), 'an overpayment');
    expect((await retrieveCase(account, c.id)).remainder).toBe(amount);
  });

  it('closing as paid needs full payment (422 state_invalid before), then succeeds', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c = await newCase();
    expect((await pay(c.id, 100_000)).response.status).toBe(201);
    const partly = await retrieveCase(account, c.id);
    expectError(
      await advance(c.id, 'closed', 'paid'),
      { status: 422, type: 'validation_error', code: 'state_invalid' },
      'paid close with a remainder',
    );
    await expectUnchanged(partly, 'the refused paid close');
    const { data: last, response } = await pay(c.id, amount - 100_000, false);
    expect(response.status, 'paying the rest without closing').toBe(201);
    expect(last!.type, 'a payment that clears the remainder is a full_payment').toBe('full_payment');
    const cleared = await retrieveCase(account, c.id);
    expect(cleared.remainder, 'remainder is 0').toBe(0);
    expect(cleared.status, 'close_case=false keeps the case open').not.toBe('closed');
    const { data: closed, response: r } = await advance(c.id, 'closed', 'paid');
    expect(r.status).toBe(200);
    expect(closed, 'closed as paid, nothing owed').toMatchObject(
      shown(closed, { status: 'closed', close_code: 'paid', remainder: 0 }, 'CollectionCase'),
    );
  });

  it('a payment that clears the remainder closes the case as paid', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c = await newCase();
    const { data, response } = await pay(c.id, amount);
    expect(response.status).toBe(201);
    expect(data!.type, 'a payment that clears the remainder is a full_payment').toBe('full_payment');
    const closed = await retrieveCase(account, c.id);
    expect(closed, 'the payment closed the case as paid, nothing owed').toMatchObject(
      shown(closed, { status: 'closed', close_code: 'paid', remainder: 0 }, 'CollectionCase'),
    );
    const types = await timelineTypes(c.id);
    expect(types, 'timeline has the payment and the close').toEqual(
      expect.arrayContaining(['case_created', 'payment_received', 'case_closed']),
    );
    expect(types.indexOf('case_closed'), 'the close comes after the payment').toBeGreaterThan(
      types.indexOf('payment_received'),
    );
  });

  it('partially_paid needs some payment but not all', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c = await newCase();
    expectError(
      await advance(c.id, 'closed', 'partially_paid'),
      { status: 422, code: 'state_invalid' },
      'partially_paid without payments',
    );
    expect((await pay(c.id, 1_000)).response.status).toBe(201);
    const { data, response } = await advance(c.id, 'closed', 'partially_paid');
    expect(response.status).toBe(200);
    expect(data, 'closed as partially_paid, the rest still owed').toMatchObject(
      shown(data, { status: 'closed', close_code: 'partially_paid', remainder: amount - 1_000 }, 'CollectionCase'),
    );
  });

  // From an active case: each step either moves (200, status and timeline change) or is refused
  // (422 state_invalid, nothing changes), following the contract's transition table.
  const walk: [from: Status, to: Status, ok: boolean, closeCode?: CloseCode][] = [
    ['active', 'pending_verification', false],
    ['active', 'paused', true],
    ['paused', 'needs_details', false],
    ['paused', 'active', true],
    ['active', 'needs_details', true],
    ['needs_details', 'paused', false],
    ['needs_details', 'active', true],
    ['active', 'closed', true, 'debtor_untraceable'],
    ['closed', 'active', false],
    ['closed', 'paused', false],
    ['closed', 'needs_details', false],
  ];

  it('moves follow the transition table; illegal moves are 422 state_invalid and change nothing; closed is terminal', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c = await newCase();
    expect(c.status, 'a new eligible case is active').toBe('active');
    for (const [from, to, ok, closeCode] of walk) {
      const before = await retrieveCase(account, c.id);
      expect(before.status, `the walk is at ${from}`).toBe(from);
      const entriesBefore = (await timelineTypes(c.id)).length;
      const result = await advance(c.id, to, closeCode);
      if (ok) {
        expect(result.response.status, `${from} → ${to} is allowed`).toBe(200);
        expect(result.data!.status).toBe(to);
        if (closeCode && result.data!.close_code !== undefined)
          expect(result.data!.close_code, 'the close_code sent').toBe(closeCode);
        expect((await timelineTypes(c.id)).length, `${from} → ${to} adds a timeline entry`).toBeGreaterThan(
          entriesBefore,
        );
      } else {
        expectError(result, { status: 422, type: 'validation_error', code: 'state_invalid' }, `${from} → ${to}`);
        await expectUnchanged(before, `the refused move ${from} → ${to}`);
      }
    }
    const closed = await retrieveCase(account, c.id);
    expectError(await pay(c.id, 1_000), { status: 422 }, 'a payment on a closed case');
    await expectUnchanged(closed, 'the refused payment on a closed case');
  });

  it('moving to the current status changes nothing', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c = await retrieveCase(account, (await newCase()).id);
    const { data, response } = await advance(c.id, c.status);
    expect(response.status).toBe(200);
    expect(data, 'the case is unchanged').toEqual(c);
  });
});
