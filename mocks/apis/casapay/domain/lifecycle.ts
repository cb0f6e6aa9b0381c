// The state machines of cases, guarantees and claims, as pure functions: given an object's state and a
// requested move, they answer with the move's consequences or the reason it is illegal. Handlers,
// test helpers, scenarios and the clock all go through these, so timeline entries, events and
// status always agree.
import type { components } from '../../../../generated/casapay.js';

type Schemas = components['schemas'];
export type CaseStatus = Schemas['CollectionCaseStatus'];
export type CloseCode = Schemas['CloseCode'];
export type GuaranteeStatus = Schemas['GuaranteeStatus'];
export type ClaimStatus = Schemas['ClaimStatus'];
export type TimelineType = Schemas['TimelineEntry']['type'];

export const CASE_MOVES: Record<CaseStatus, readonly CaseStatus[]> = {
  pending_verification: ['active', 'needs_details', 'closed'],
  active: ['paused', 'needs_details', 'closed'],
  needs_details: ['active', 'closed'],
  paused: ['active', 'closed'],
  closed: [],
};

/** Close codes only the system sets; a test helper cannot close with them. */
export const SYSTEM_CLOSE_CODES: readonly CloseCode[] = ['no_quotes_received', 'quotes_expired_not_accepted'];

export type Verdict<T> = { ok: true; value: T } | { ok: false; message: string; param: string | null };
const refuse = <T>(message: string, param: string | null = null): Verdict<T> => ({ ok: false, message, param });

export interface CaseMove {
  status: CaseStatus;
  close_code: CloseCode | null;
  /** The timeline entry the move writes. */
  timeline: { type: TimelineType; title: string; description: string };
}

export interface CaseFacts {
  status: CaseStatus;
  amount_to_recover: number;
  remainder: number;
  partner_name: string | null;
}

/**
 * Whether a case may move to `to` (closing with `close_code`), and what the move writes.
 * @example planCaseMove({ status: 'active', amount_to_recover: 100, remainder: 0, partner_name: 'X' }, 'closed', 'paid').ok // true
 */
export function planCaseMove(
  facts: CaseFacts,
  to: CaseStatus,
  closeCode?: CloseCode | null,
  comment?: string,
  systemMove = false,
): Verdict<CaseMove> {
  if (facts.status === 'closed') return refuse('The case is closed; closed is final.', 'status');
  if (!CASE_MOVES[facts.status].includes(to)) {
    return refuse(
      `A case cannot move from ${facts.status} to ${to}. Allowed: ${CASE_MOVES[facts.status].join(', ')}.`,
      'status',
    );
  }
  if (to !== 'closed') {
    if (closeCode) return refuse('close_code is only allowed when closing a case.', 'close_code');
    return {
      ok: true,
      value: { status: to, close_code: null, timeline: openTimeline(facts.status, to, facts.partner_name, comment) },
    };
  }
  if (!closeCode) return refuse('Closing a case needs a close_code.', 'close_code');
  if (!systemMove && SYSTEM_CLOSE_CODES.includes(closeCode))
    return refuse(`${closeCode} is set by the system only.`, 'close_code');
  const paid = facts.amount_to_recover - facts.remainder;
  if (closeCode === 'paid' && facts.remainder > 0) {
    return refuse(
      `close_code paid needs payments covering the amount; ${facts.remainder} is still outstanding.`,
      'close_code',
    );
  }
  if (closeCode === 'partially_paid' && (paid <= 0 || facts.remainder <= 0)) {
    return refuse(
      paid <= 0
        ? 'close_code partially_paid needs at least one payment.'
        : 'close_code partially_paid needs an outstanding remainder; use paid.',
      'close_code',
    );
  }
  if (closeCode === 'other' && !comment?.trim()) return refuse('close_code other needs a comment.', 'comment');
  return {
    ok: true,
    value: {
      status: 'closed',
      close_code: closeCode,
      timeline: {
        type: 'case_closed',
        title: 'Case closed',
        description: `Case closed: ${closeCode.replace(/_/g, ' ')}${comment ? ` (${comment})` : ''}`,
      },
    },
  };
}

function openTimeline(
  from: CaseStatus,
  to: CaseStatus,
  partner: string | null,
  comment?: string,
): CaseMove['timeline'] {
  const note = comment ? ` ${comment}` : '';
  switch (to) {
    case 'active':
      return from === 'pending_verification'
        ? {
            type: 'case_assigned',
            title: 'Case accepted',
            description: `${partner ?? 'The collection partner'} accepted the case and started collection.${note}`,
          }
        : { type: 'case_resumed', title: 'Case resumed', description: `Collection resumed.${note}` };
    case 'paused':
      return { type: 'case_paused', title: 'Case paused', description: `Collection is on hold.${note}` };
    case 'needs_details':
      return {
        type: 'details_requested',
        title: 'Details requested',
        description: `The collection partner needs more information about the debt.${note}`,
      };
    default:
      return { type: 'case_created', title: 'Case submitted', description: `Case is ${to}.${note}` };
  }
}

export type PaymentType = Schemas['DebtPayment']['type'];

export interface PaymentPlan {
  remainder: number;
  type: PaymentType;
  fee_amount: number;
  net_amount: number;
  /** Close the case as paid after recording the payment. */
  closes: boolean;
}

/**
 * A debt payment's arithmetic and whether it closes the case.
 * @example planPayment({ status: 'active', remainder: 360000 }, 120000, 14.5, true).value // { remainder: 240000, fee_amount: 17400, net_amount: 102600, … }
 */
export function planPayment(
  c: { status: CaseStatus; remainder: number },
  amount: number,
  feePct: number,
  closeWhenPaid: boolean,
  type?: PaymentType,
): Verdict<PaymentPlan> {
  if (c.status !== 'active' && c.status !== 'paused')
    return refuse(`Payments can only be recorded on active or paused cases; this one is ${c.status}.`, 'amount');
  if (amount > c.remainder)
    return refuse(`The amount ${amount} exceeds the case's remainder ${c.remainder}.`, 'amount');
  const remainder = c.remainder - amount;
  const fee_amount = Math.round((amount * feePct) / 100);
  return {
    ok: true,
    value: {
      remainder,
      type: type ?? (remainder === 0 ? 'full_payment' : 'partial_payment'),
      fee_amount,
      net_amount: amount - fee_amount,
      closes: closeWhenPaid && remainder === 0,
    },
  };
}

export const GUARANTEE_MOVES: Record<GuaranteeStatus, readonly GuaranteeStatus[]> = {
  pending: ['active', 'cancelled'],
  active: ['claimed', 'expired', 'cancelled'],
  claimed: ['expired', 'cancelled'],
  expired: [],
  cancelled: [],
};

export function planGuaranteeMove(from: GuaranteeStatus, to: GuaranteeStatus): Verdict<GuaranteeStatus> {
  if (from === to) return { ok: true, value: to };
  return GUARANTEE_MOVES[from].includes(to)
    ? { ok: true, value: to }
    : refuse(`A ${from} guarantee cannot become ${to}.`, 'status');
}

export const CLAIM_MOVES: Record<ClaimStatus, readonly ClaimStatus[]> = {
  submitted: ['under_review'],
  under_review: ['approved', 'denied'],
  approved: ['paid'],
  denied: [],
  paid: [],
};

export function planClaimMove(from: ClaimStatus, to: ClaimStatus): Verdict<ClaimStatus> {
  return CLAIM_MOVES[from].includes(to)
    ? { ok: true, value: to }
    : refuse(`A claim that is ${from} cannot become ${to}.`, 'status');
}

export interface CoverageFacts {
  status: GuaranteeStatus;
  currency: string;
  remaining_coverage: number;
  deductible_amount: number;
  start_date: number;
  end_date: number;
  waiting_period_days: number;
}

export type ClaimRefusal = {
  code: 'state_invalid' | 'currency_mismatch' | 'amount_exceeds_coverage' | 'outside_coverage_period';
  message: string;
  param: string;
};

/**
 * The guards a new claim must pass, in the order a reviewer checks them.
 * @example checkClaim(facts, { amount: 120000, currency: 'eur', due_date: 1708732800 }) // undefined when allowed
 */
export function checkClaim(
  g: CoverageFacts,
  claim: { amount: number; currency: string; due_date: number },
): ClaimRefusal | undefined {
  if (g.status !== 'active' && g.status !== 'claimed')
    return {
      code: 'state_invalid',
      message: `Claims need an active or claimed guarantee; this one is ${g.status}.`,
      param: 'guarantee',
    };
  if (claim.currency !== g.currency)
    return {
      code: 'currency_mismatch',
      message: `The claim's currency ${claim.currency} differs from the guarantee's ${g.currency}.`,
      param: 'currency',
    };
  const available = Math.max(0, g.remaining_coverage - g.deductible_amount);
  if (claim.amount > available)
    return {
      code: 'amount_exceeds_coverage',
      message: `The amount ${claim.amount} exceeds the coverage available (${available} after the deductible).`,
      param: 'amount',
    };
  const waitingEnds = g.start_date + g.waiting_period_days * 86_400;
  if (claim.due_date < waitingEnds || claim.due_date > g.end_date) {
    return {
      code: 'outside_coverage_period',
      message: `evidence[due_date] must fall between the end of the waiting period (${waitingEnds}) and the guarantee's end (${g.end_date}).`,
      param: 'evidence[due_date]',
    };
  }
  return undefined;
}
