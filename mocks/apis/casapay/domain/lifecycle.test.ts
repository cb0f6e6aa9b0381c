import { describe, expect, it } from 'vitest';
import {
  CASE_MOVES,
  checkClaim,
  CLAIM_MOVES,
  GUARANTEE_MOVES,
  planCaseMove,
  planClaimMove,
  planGuaranteeMove,
  planPayment,
  SYSTEM_CLOSE_CODES,
  type CaseFacts,
  type CaseStatus,
  type ClaimStatus,
  type CloseCode,
  type CoverageFacts,
  type GuaranteeStatus,
} from './lifecycle.js';

/** The seeds' case: €3,600.00, nothing paid yet, with CollectMax GmbH. */
const facts = (status: CaseStatus, remainder = 360000): CaseFacts => ({
  status,
  amount_to_recover: 360000,
  remainder,
  partner_name: 'CollectMax GmbH',
});

const CASE_STATUSES: CaseStatus[] = ['pending_verification', 'active', 'needs_details', 'paused', 'closed'];

describe('planCaseMove: allowed moves', () => {
  it.each<
    [
      string,
      {
        from: CaseStatus;
        to: CaseStatus;
        closeCode?: CloseCode;
        want: { type: string; title: string; description: string };
      },
    ]
  >([
    [
      'pending_verification → active (partner accepts)',
      {
        from: 'pending_verification',
        to: 'active',
        want: {
          type: 'case_assigned',
          title: 'Case accepted',
          description: 'CollectMax GmbH accepted the case and started collection.',
        },
      },
    ],
    [
      'pending_verification → needs_details',
      {
        from: 'pending_verification',
        to: 'needs_details',
        want: {
          type: 'details_requested',
          title: 'Details requested',
          description: 'The collection partner needs more information about the debt.',
        },
      },
    ],
    [
      'pending_verification → closed (declined)',
      {
        from: 'pending_verification',
        to: 'closed',
        closeCode: 'case_never_started',
        want: { type: 'case_closed', title: 'Case closed', description: 'Case closed: case never started' },
      },
    ],
    [
      'active → paused',
      {
        from: 'active',
        to: 'paused',
        want: { type: 'case_paused', title: 'Case paused', description: 'Collection is on hold.' },
      },
    ],
    [
      'active → needs_details',
      {
        from: 'active',
        to: 'needs_details',
        want: {
          type: 'details_requested',
          title: 'Details requested',
          description: 'The collection partner needs more information about the debt.',
        },
      },
    ],
    [
      'active → closed',
      {
        from: 'active',
        to: 'closed',
        closeCode: 'debtor_untraceable',
        want: { type: 'case_closed', title: 'Case closed', description: 'Case closed: debtor untraceable' },
      },
    ],
    [
      'needs_details → active',
      {
        from: 'needs_details',
        to: 'active',
        want: { type: 'case_resumed', title: 'Case resumed', description: 'Collection resumed.' },
      },
    ],
    [
      'needs_details → closed',
      {
        from: 'needs_details',
        to: 'closed',
        closeCode: 'invalid_case_data',
        want: { type: 'case_closed', title: 'Case closed', description: 'Case closed: invalid case data' },
      },
    ],
    [
      'paused → active',
      {
        from: 'paused',
        to: 'active',
        want: { type: 'case_resumed', title: 'Case resumed', description: 'Collection resumed.' },
      },
    ],
    [
      'paused → closed',
      {
        from: 'paused',
        to: 'closed',
        closeCode: 'withdrawn_by_client',
        want: { type: 'case_closed', title: 'Case closed', description: 'Case closed: withdrawn by client' },
      },
    ],
  ])('%s', (_name, { from, to, closeCode, want }) => {
    expect(planCaseMove(facts(from), to, closeCode)).toEqual({
      ok: true,
      value: { status: to, close_code: closeCode ?? null, timeline: want },
    });
  });

  it('the table covers exactly the allowed moves', () => {
    const allowed = CASE_STATUSES.flatMap((from) =>
      CASE_STATUSES.filter((to) => planCaseMove(facts(from), to, to === 'closed' ? 'other' : null, 'x').ok).map(
        (to) => `${from}→${to}`,
      ),
    );
    expect(allowed.sort()).toEqual(
      [
        'pending_verification→active',
        'pending_verification→needs_details',
        'pending_verification→closed',
        'active→paused',
        'active→needs_details',
        'active→closed',
        'needs_details→active',
        'needs_details→closed',
        'paused→active',
        'paused→closed',
      ].sort(),
    );
    expect(Object.values(CASE_MOVES).flat()).toHaveLength(10);
  });

  it.each([
    ['without a partner', { partner: null, want: 'The collection partner accepted the case and started collection.' }],
    [
      'with a comment',
      { partner: 'CollectMax GmbH', want: 'CollectMax GmbH accepted the case and started collection. Ref 42' },
    ],
  ])('acceptance timeline %s', (_name, { partner, want }) => {
    const v = planCaseMove(
      { ...facts('pending_verification'), partner_name: partner },
      'active',
      null,
      partner ? 'Ref 42' : undefined,
    );
    expect(v.ok && v.value.timeline.description).toBe(want);
  });
});

describe('planCaseMove: refused moves', () => {
  it.each<
    [string, { from: CaseStatus; to: CaseStatus; closeCode?: CloseCode; want: { message: RegExp; param: string } }]
  >([
    [
      'closed → active (closed is terminal)',
      { from: 'closed', to: 'active', want: { message: /closed is final/, param: 'status' } },
    ],
    ['closed → paused', { from: 'closed', to: 'paused', want: { message: /closed is final/, param: 'status' } }],
    [
      'closed → needs_details',
      { from: 'closed', to: 'needs_details', want: { message: /closed is final/, param: 'status' } },
    ],
    [
      'closed → pending_verification',
      { from: 'closed', to: 'pending_verification', want: { message: /closed is final/, param: 'status' } },
    ],
    [
      'closed → closed again, with another code',
      { from: 'closed', to: 'closed', closeCode: 'other', want: { message: /closed is final/, param: 'status' } },
    ],
    [
      'paused → needs_details',
      {
        from: 'paused',
        to: 'needs_details',
        want: { message: /from paused to needs_details\. Allowed: active, closed\./, param: 'status' },
      },
    ],
    [
      'needs_details → paused',
      { from: 'needs_details', to: 'paused', want: { message: /from needs_details to paused/, param: 'status' } },
    ],
    [
      'pending_verification → paused',
      {
        from: 'pending_verification',
        to: 'paused',
        want: { message: /from pending_verification to paused/, param: 'status' },
      },
    ],
    [
      'active → pending_verification (no way back)',
      {
        from: 'active',
        to: 'pending_verification',
        want: { message: /from active to pending_verification/, param: 'status' },
      },
    ],
    [
      'paused → pending_verification',
      {
        from: 'paused',
        to: 'pending_verification',
        want: { message: /from paused to pending_verification/, param: 'status' },
      },
    ],
    [
      'active → active (no self-moves; the handler treats them as no-ops)',
      { from: 'active', to: 'active', want: { message: /from active to active/, param: 'status' } },
    ],
    [
      'a close code on a non-closing move',
      {
        from: 'active',
        to: 'paused',
        closeCode: 'paid',
        want: { message: /only allowed when closing/, param: 'close_code' },
      },
    ],
    [
      'closing without a close code',
      { from: 'active', to: 'closed', want: { message: /needs a close_code/, param: 'close_code' } },
    ],
  ])('%s', (_name, { from, to, closeCode, want }) => {
    const v = planCaseMove(facts(from), to, closeCode, 'a comment');
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.message).toMatch(want.message);
    expect(v.param).toBe(want.param);
  });
});

describe('planCaseMove: close-code guards', () => {
  it.each<
    [
      string,
      {
        remainder: number;
        code: CloseCode;
        comment?: string;
        system?: boolean;
        want: { ok: true; description: string } | { ok: false; message: RegExp; param: string };
      },
    ]
  >([
    [
      'paid with the remainder cleared',
      { remainder: 0, code: 'paid', want: { ok: true, description: 'Case closed: paid' } },
    ],
    [
      'paid with 240000 outstanding',
      {
        remainder: 240000,
        code: 'paid',
        want: {
          ok: false,
          message: /paid needs payments covering the amount; 240000 is still outstanding/,
          param: 'close_code',
        },
      },
    ],
    [
      'paid with 1 outstanding',
      { remainder: 1, code: 'paid', want: { ok: false, message: /1 is still outstanding/, param: 'close_code' } },
    ],
    [
      'paid with nothing paid',
      { remainder: 360000, code: 'paid', want: { ok: false, message: /still outstanding/, param: 'close_code' } },
    ],
    [
      'partially_paid after a partial payment',
      { remainder: 240000, code: 'partially_paid', want: { ok: true, description: 'Case closed: partially paid' } },
    ],
    [
      'partially_paid with 1 outstanding',
      { remainder: 1, code: 'partially_paid', want: { ok: true, description: 'Case closed: partially paid' } },
    ],
    [
      'partially_paid without payments',
      {
        remainder: 360000,
        code: 'partially_paid',
        want: { ok: false, message: /needs at least one payment/, param: 'close_code' },
      },
    ],
    [
      'partially_paid with the remainder cleared',
      {
        remainder: 0,
        code: 'partially_paid',
        want: { ok: false, message: /needs an outstanding remainder; use paid/, param: 'close_code' },
      },
    ],
    [
      'other with a comment',
      {
        remainder: 360000,
        code: 'other',
        comment: 'Debtor emigrated',
        want: { ok: true, description: 'Case closed: other (Debtor emigrated)' },
      },
    ],
    [
      'other without a comment',
      { remainder: 360000, code: 'other', want: { ok: false, message: /other needs a comment/, param: 'comment' } },
    ],
    [
      'other with an empty comment',
      {
        remainder: 360000,
        code: 'other',
        comment: '',
        want: { ok: false, message: /other needs a comment/, param: 'comment' },
      },
    ],
    [
      'other with a blank comment',
      {
        remainder: 360000,
        code: 'other',
        comment: '   ',
        want: { ok: false, message: /other needs a comment/, param: 'comment' },
      },
    ],
    [
      'no_quotes_received from a test helper',
      {
        remainder: 360000,
        code: 'no_quotes_received',
        want: { ok: false, message: /set by the system only/, param: 'close_code' },
      },
    ],
    [
      'quotes_expired_not_accepted from a test helper',
      {
        remainder: 360000,
        code: 'quotes_expired_not_accepted',
        want: { ok: false, message: /set by the system only/, param: 'close_code' },
      },
    ],
    [
      'no_quotes_received from the system',
      {
        remainder: 360000,
        code: 'no_quotes_received',
        system: true,
        want: { ok: true, description: 'Case closed: no quotes received' },
      },
    ],
    [
      'quotes_expired_not_accepted from the system',
      {
        remainder: 360000,
        code: 'quotes_expired_not_accepted',
        system: true,
        want: { ok: true, description: 'Case closed: quotes expired not accepted' },
      },
    ],
    [
      'a system move still checks paid',
      {
        remainder: 5,
        code: 'paid',
        system: true,
        want: { ok: false, message: /still outstanding/, param: 'close_code' },
      },
    ],
    [
      'an ordinary code with a comment',
      {
        remainder: 360000,
        code: 'uneconomical_to_pursue',
        comment: 'too small',
        want: { ok: true, description: 'Case closed: uneconomical to pursue (too small)' },
      },
    ],
  ])('%s', (_name, { remainder, code, comment, system, want }) => {
    const v = planCaseMove(facts('active', remainder), 'closed', code, comment, system);
    if (want.ok) {
      expect(v).toEqual({
        ok: true,
        value: {
          status: 'closed',
          close_code: code,
          timeline: { type: 'case_closed', title: 'Case closed', description: want.description },
        },
      });
    } else {
      expect(v.ok).toBe(false);
      if (v.ok) return;
      expect(v.message).toMatch(want.message);
      expect(v.param).toBe(want.param);
    }
  });

  it('the system-only codes are exactly the two Debitura sets itself', () => {
    expect([...SYSTEM_CLOSE_CODES].sort()).toEqual(['no_quotes_received', 'quotes_expired_not_accepted']);
  });
});

describe('planPayment', () => {
  it.each<
    [
      string,
      {
        given: {
          status: CaseStatus;
          remainder: number;
          amount: number;
          pct: number;
          closeWhenPaid?: boolean;
          type?: 'installment';
        };
        want: object;
      },
    ]
  >([
    [
      "the docs' example: 120000 at 14.5 %",
      {
        given: { status: 'active', remainder: 360000, amount: 120000, pct: 14.5 },
        want: { remainder: 240000, type: 'partial_payment', fee_amount: 17400, net_amount: 102600, closes: false },
      },
    ],
    [
      'a payment on a paused case',
      {
        given: { status: 'paused', remainder: 360000, amount: 120000, pct: 14.5 },
        want: { remainder: 240000, type: 'partial_payment', fee_amount: 17400, net_amount: 102600, closes: false },
      },
    ],
    [
      'exact clearance closes',
      {
        given: { status: 'active', remainder: 240000, amount: 240000, pct: 14.5 },
        want: { remainder: 0, type: 'full_payment', fee_amount: 34800, net_amount: 205200, closes: true },
      },
    ],
    [
      'exact clearance with close_case false stays open',
      {
        given: { status: 'active', remainder: 240000, amount: 240000, pct: 14.5, closeWhenPaid: false },
        want: { remainder: 0, type: 'full_payment', fee_amount: 34800, net_amount: 205200, closes: false },
      },
    ],
    [
      'an explicit type wins',
      {
        given: { status: 'active', remainder: 360000, amount: 30000, pct: 14.5, type: 'installment' },
        want: { remainder: 330000, type: 'installment', fee_amount: 4350, net_amount: 25650, closes: false },
      },
    ],
    [
      'rounding down: 333 at 14.5 % is 48.285',
      {
        given: { status: 'active', remainder: 1000, amount: 333, pct: 14.5 },
        want: { remainder: 667, type: 'partial_payment', fee_amount: 48, net_amount: 285, closes: false },
      },
    ],
    [
      'rounding up: 101 at 14.5 % is 14.645',
      {
        given: { status: 'active', remainder: 1000, amount: 101, pct: 14.5 },
        want: { remainder: 899, type: 'partial_payment', fee_amount: 15, net_amount: 86, closes: false },
      },
    ],
    [
      'half rounds up: 100 at 12.5 % is 12.5',
      {
        given: { status: 'active', remainder: 1000, amount: 100, pct: 12.5 },
        want: { remainder: 900, type: 'partial_payment', fee_amount: 13, net_amount: 87, closes: false },
      },
    ],
    [
      'a zero fee',
      {
        given: { status: 'active', remainder: 1000, amount: 1000, pct: 0 },
        want: { remainder: 0, type: 'full_payment', fee_amount: 0, net_amount: 1000, closes: true },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const v = planPayment(
      { status: given.status, remainder: given.remainder },
      given.amount,
      given.pct,
      given.closeWhenPaid ?? true,
      given.type,
    );
    expect(v).toEqual({ ok: true, value: want });
  });

  it.each<[string, { status: CaseStatus; remainder: number; amount: number; want: RegExp }]>([
    [
      'an over-payment by 1',
      { status: 'active', remainder: 240000, amount: 240001, want: /exceeds the case's remainder 240000/ },
    ],
    ['any payment once cleared', { status: 'active', remainder: 0, amount: 1, want: /exceeds/ }],
    [
      'a payment on a closed case',
      {
        status: 'closed',
        remainder: 0,
        amount: 0,
        want: /only be recorded on active or paused cases; this one is closed/,
      },
    ],
    [
      'a payment on a pending case',
      { status: 'pending_verification', remainder: 360000, amount: 120000, want: /this one is pending_verification/ },
    ],
    [
      'a payment on a case needing details',
      { status: 'needs_details', remainder: 360000, amount: 120000, want: /this one is needs_details/ },
    ],
  ])('refuses %s', (_name, { status, remainder, amount, want }) => {
    const v = planPayment({ status, remainder }, amount, 14.5, true);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.message).toMatch(want);
    expect(v.param).toBe('amount');
  });

  it('fee + net always equals the amount', () => {
    for (const pct of [6, 7.5, 9.5, 12.5, 14.5, 16.5, 24, 34]) {
      for (const amount of [1, 3, 99, 101, 333, 12345, 360000]) {
        const v = planPayment({ status: 'active', remainder: 360000 }, amount, pct, true);
        expect(v.ok && v.value.fee_amount + v.value.net_amount).toBe(amount);
      }
    }
  });
});

const GUARANTEE_STATUSES: GuaranteeStatus[] = ['pending', 'active', 'claimed', 'expired', 'cancelled'];

describe('planGuaranteeMove', () => {
  it.each<[string, { from: GuaranteeStatus; to: GuaranteeStatus; want: boolean }]>([
    ['pending → active', { from: 'pending', to: 'active', want: true }],
    ['pending → cancelled', { from: 'pending', to: 'cancelled', want: true }],
    ['active → claimed', { from: 'active', to: 'claimed', want: true }],
    ['active → expired', { from: 'active', to: 'expired', want: true }],
    ['active → cancelled', { from: 'active', to: 'cancelled', want: true }],
    ['claimed → expired', { from: 'claimed', to: 'expired', want: true }],
    ['claimed → cancelled', { from: 'claimed', to: 'cancelled', want: true }],
    ['a no-op (active → active)', { from: 'active', to: 'active', want: true }],
    ['a no-op on a terminal state (expired → expired)', { from: 'expired', to: 'expired', want: true }],
    ['pending → claimed (not active yet)', { from: 'pending', to: 'claimed', want: false }],
    ['pending → expired', { from: 'pending', to: 'expired', want: false }],
    ['active → pending', { from: 'active', to: 'pending', want: false }],
    ['claimed → active', { from: 'claimed', to: 'active', want: false }],
    ['expired → active (expired is terminal)', { from: 'expired', to: 'active', want: false }],
    ['expired → cancelled', { from: 'expired', to: 'cancelled', want: false }],
    ['cancelled → active (cancelled is terminal)', { from: 'cancelled', to: 'active', want: false }],
    ['cancelled → expired', { from: 'cancelled', to: 'expired', want: false }],
  ])('%s', (_name, { from, to, want }) => {
    const v = planGuaranteeMove(from, to);
    expect(v).toEqual(
      want
        ? { ok: true, value: to }
        : { ok: false, message: `A ${from} guarantee cannot become ${to}.`, param: 'status' },
    );
  });

  it('allows exactly the listed moves plus no-ops', () => {
    const allowed = GUARANTEE_STATUSES.flatMap((from) =>
      GUARANTEE_STATUSES.filter((to) => from !== to && planGuaranteeMove(from, to).ok).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual(GUARANTEE_STATUSES.flatMap((from) => GUARANTEE_MOVES[from].map((to) => `${from}→${to}`)));
    expect(allowed).toHaveLength(7);
  });
});

const CLAIM_STATUSES: ClaimStatus[] = ['submitted', 'under_review', 'approved', 'denied', 'paid'];

describe('planClaimMove', () => {
  it.each<[string, { from: ClaimStatus; to: ClaimStatus; want: boolean }]>([
    ['submitted → under_review', { from: 'submitted', to: 'under_review', want: true }],
    ['under_review → approved', { from: 'under_review', to: 'approved', want: true }],
    ['under_review → denied', { from: 'under_review', to: 'denied', want: true }],
    ['approved → paid', { from: 'approved', to: 'paid', want: true }],
    ['submitted → approved (skips review)', { from: 'submitted', to: 'approved', want: false }],
    ['submitted → paid', { from: 'submitted', to: 'paid', want: false }],
    ['under_review → paid (not approved)', { from: 'under_review', to: 'paid', want: false }],
    ['approved → denied', { from: 'approved', to: 'denied', want: false }],
    ['denied → approved (denied is terminal)', { from: 'denied', to: 'approved', want: false }],
    ['denied → paid', { from: 'denied', to: 'paid', want: false }],
    ['paid → approved (paid is terminal)', { from: 'paid', to: 'approved', want: false }],
    ['under_review → under_review (no self-moves)', { from: 'under_review', to: 'under_review', want: false }],
    ['approved → under_review (no way back)', { from: 'approved', to: 'under_review', want: false }],
  ])('%s', (_name, { from, to, want }) => {
    const v = planClaimMove(from, to);
    expect(v).toEqual(
      want
        ? { ok: true, value: to }
        : { ok: false, message: `A claim that is ${from} cannot become ${to}.`, param: 'status' },
    );
  });

  it('allows exactly the four listed moves', () => {
    const allowed = CLAIM_STATUSES.flatMap((from) =>
      CLAIM_STATUSES.filter((to) => planClaimMove(from, to).ok).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual(CLAIM_STATUSES.flatMap((from) => CLAIM_MOVES[from].map((to) => `${from}→${to}`)));
    expect(allowed).toHaveLength(4);
  });
});

describe('checkClaim', () => {
  const DAY = 86_400;
  /** The seeds' guarantee (004): €1,200.00 a month for 12 months, from 2024-01-25, 30-day wait, no deductible. */
  const SEED_GUARANTEE: CoverageFacts = {
    status: 'active',
    currency: 'eur',
    remaining_coverage: 120000 * 12,
    deductible_amount: 0,
    start_date: 1706140800,
    end_date: 1737676800,
    waiting_period_days: 30,
  };
  /** The seeds' claim (004): €1,200.00 due 2024-02-24, exactly when the waiting period ends. */
  const SEED_CLAIM = { amount: 120000, currency: 'eur', due_date: 1708732800 };

  it("the seeds' claim is due exactly at the end of the waiting period", () => {
    expect(SEED_CLAIM.due_date).toBe(SEED_GUARANTEE.start_date + 30 * DAY);
  });

  type Want = undefined | { code: string; param: string; message?: RegExp };
  it.each<[string, { given: { g?: Partial<CoverageFacts>; claim?: Partial<typeof SEED_CLAIM> }; want: Want }]>([
    ["the seeds' claim is allowed", { given: {}, want: undefined }],
    ['a claimed guarantee takes more claims', { given: { g: { status: 'claimed' } }, want: undefined }],
    ['the whole remaining coverage', { given: { claim: { amount: 1_440_000 } }, want: undefined }],
    [
      'the coverage less the deductible',
      { given: { g: { deductible_amount: 20_000 }, claim: { amount: 1_420_000 } }, want: undefined },
    ],
    ["due on the guarantee's last day", { given: { claim: { due_date: 1737676800 } }, want: undefined }],
    [
      'no waiting period: due at the start',
      { given: { g: { waiting_period_days: 0 }, claim: { due_date: 1706140800 } }, want: undefined },
    ],
    // Guard 1: status.
    [
      'a pending guarantee',
      {
        given: { g: { status: 'pending' } },
        want: { code: 'state_invalid', param: 'guarantee', message: /this one is pending/ },
      },
    ],
    [
      'an expired guarantee',
      { given: { g: { status: 'expired' } }, want: { code: 'state_invalid', param: 'guarantee' } },
    ],
    [
      'a cancelled guarantee',
      { given: { g: { status: 'cancelled' } }, want: { code: 'state_invalid', param: 'guarantee' } },
    ],
    [
      'status is checked before everything else',
      {
        given: { g: { status: 'cancelled' }, claim: { currency: 'usd', amount: 99_999_999, due_date: 0 } },
        want: { code: 'state_invalid', param: 'guarantee' },
      },
    ],
    // Guard 2: currency.
    [
      'a claim in another currency',
      {
        given: { claim: { currency: 'usd' } },
        want: { code: 'currency_mismatch', param: 'currency', message: /usd differs from the guarantee's eur/ },
      },
    ],
    [
      'currency is checked before amount and date',
      {
        given: { claim: { currency: 'gbp', amount: 99_999_999, due_date: 0 } },
        want: { code: 'currency_mismatch', param: 'currency' },
      },
    ],
    // Guard 3: amount vs remaining − deductible.
    [
      'one cent over the remaining coverage',
      {
        given: { claim: { amount: 1_440_001 } },
        want: { code: 'amount_exceeds_coverage', param: 'amount', message: /\(1440000 after the deductible\)/ },
      },
    ],
    [
      'one cent over coverage less the deductible',
      {
        given: { g: { deductible_amount: 20_000 }, claim: { amount: 1_420_001 } },
        want: { code: 'amount_exceeds_coverage', param: 'amount', message: /\(1420000 after the deductible\)/ },
      },
    ],
    [
      'a deductible above the remaining coverage leaves nothing',
      {
        given: { g: { remaining_coverage: 10_000, deductible_amount: 50_000 }, claim: { amount: 1 } },
        want: { code: 'amount_exceeds_coverage', param: 'amount', message: /\(0 after the deductible\)/ },
      },
    ],
    [
      'a used-up guarantee',
      {
        given: { g: { status: 'claimed', remaining_coverage: 0 }, claim: { amount: 1 } },
        want: { code: 'amount_exceeds_coverage', param: 'amount' },
      },
    ],
    [
      'amount is checked before the date',
      {
        given: { claim: { amount: 1_440_001, due_date: 0 } },
        want: { code: 'amount_exceeds_coverage', param: 'amount' },
      },
    ],
    // Guard 4: the due date.
    [
      'due one second before the waiting period ends',
      {
        given: { claim: { due_date: 1708732799 } },
        want: {
          code: 'outside_coverage_period',
          param: 'evidence[due_date]',
          message: /waiting period \(1708732800\)/,
        },
      },
    ],
    [
      'due inside the waiting period',
      {
        given: { claim: { due_date: 1706140800 + 10 * DAY } },
        want: { code: 'outside_coverage_period', param: 'evidence[due_date]' },
      },
    ],
    [
      'due before the guarantee starts',
      {
        given: { claim: { due_date: 1706140800 - DAY } },
        want: { code: 'outside_coverage_period', param: 'evidence[due_date]' },
      },
    ],
    [
      'due one second after the guarantee ends',
      {
        given: { claim: { due_date: 1737676801 } },
        want: {
          code: 'outside_coverage_period',
          param: 'evidence[due_date]',
          message: /guarantee's end \(1737676800\)/,
        },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const refusal = checkClaim({ ...SEED_GUARANTEE, ...given.g }, { ...SEED_CLAIM, ...given.claim });
    if (want === undefined) {
      expect(refusal).toBeUndefined();
      return;
    }
    expect(refusal).toMatchObject({ code: want.code, param: want.param });
    if (want.message) expect(refusal?.message).toMatch(want.message);
  });
});
