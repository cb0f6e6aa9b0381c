// /v1/collection_cases: create (the preview's rules, in ../rules.ts, decide partner, fee and status), retrieve by id
// or reference, list with filters, timeline. Also the case operations the clock, test helpers and
// scenarios share: moving a case and recording a debt payment.
import type { components } from '../../../../generated/casapay.js';
import { errors } from '../errors.js';
import { SECONDS_PER_DAY } from '../../common/calendar.js';
import { assessSubmission, decideCase, type Submission, type SubmissionBody } from '../rules.js';
import {
  planCaseMove,
  planPayment,
  type CaseStatus,
  type CloseCode,
  type PaymentPlan,
  type PaymentType,
} from '../domain/lifecycle.js';
import type { CollectionCase, DebtPayment, TimelineEntry } from '../state.js';
import { magicPlan } from '../domain/magic.js';
import { timelineOf, withEntry } from '../timelines.js';
import { created, ok, type Effects, type Handler, type HandlerContext } from './context.js';
import { fieldError, find, listPage, previousAttributes, testClockOf } from './shared.js';

type CreateParams = components['schemas']['CollectionCaseCreateParams'];

/** The rules a preview and a create share (rules.ts), read against this account; a refused field throws its 400. */
export function assess(ctx: HandlerContext, body: SubmissionBody, now: number): Submission {
  const verdict = assessSubmission(
    body,
    { agreements: ctx.account.agreements, unsupportedCountries: ctx.account.unsupportedCountries },
    now,
  );
  if (!verdict.ok) throw fieldError(verdict);
  return verdict.value;
}

function uniqueReference(fx: Effects): string {
  for (;;) {
    const reference = fx.ids.reference();
    if (!fx.account.references.has(reference)) return reference;
  }
}

export function addTimeline(fx: Effects, caseId: string, entry: TimelineEntry): void {
  fx.account.timelines.set(caseId, withEntry(fx.account.timelines.get(caseId), entry));
}

export const createCollectionCase: Handler = (ctx) => {
  const body = ctx.body as CreateParams;
  const clock = testClockOf(ctx, body.test_clock);
  const now = ctx.now(clock);
  const submission = assess(ctx, body, now);
  const { currency: code, country: countryCode, dueDate } = submission;
  const decision = decideCase(submission, body.allow_pending_contracts === true);
  if (!decision.ok) throw errors.business(decision.code, decision.message, decision.param, decision.solution_url);
  const { status, partner } = decision;
  const debtor = body.debtor;
  const collectionCase: CollectionCase = {
    id: ctx.ids.id('dc'),
    object: 'collection_case',
    reference: uniqueReference(ctx),
    status,
    close_code: null,
    amount_to_recover: body.amount_to_recover,
    remainder: body.amount_to_recover,
    currency: code,
    debtor: {
      type: debtor.type,
      name: debtor.name,
      contact_person: debtor.contact_person ?? null,
      email: debtor.email ?? null,
      phone: debtor.phone ?? null,
      address: { ...debtor.address, country: debtor.address.country ?? countryCode },
      country: countryCode,
    },
    // Shared, not copied: the partner's contact is frozen and stored objects are never changed in place.
    collection_partner: partner.contact,
    success_fee_pct: decision.fee,
    creditor_reference: body.creditor_reference ?? null,
    due_date: dueDate,
    is_test: !ctx.account.livemode || body.is_test === true,
    test_clock: clock,
    metadata: body.metadata ?? {},
    created: now,
  };
  ctx.account.cases.add(collectionCase);
  ctx.account.references.set(collectionCase.reference, collectionCase.id);
  // Its timeline's first entry ('Case submitted', naming the partner) is read from the case as created.
  ctx.account.timelines.set(collectionCase.id, collectionCase);
  ctx.emit('collection_case.created', collectionCase, undefined, now);
  ctx.emit(
    status === 'active' ? 'collection_case.active' : 'collection_case.pending_verification',
    collectionCase,
    undefined,
    now,
  );
  if (status === 'active') scheduleDemandLetter(ctx, collectionCase);
  scheduleMagic(ctx, collectionCase);
  return created(collectionCase);
};

/** Stripe-test-card style: some debtor names script the case's future (see domain/magic.ts). */
function scheduleMagic(fx: Effects, c: CollectionCase): void {
  const start = fx.now(c.test_clock);
  for (const step of magicPlan(c.debtor?.name ?? '', c.amount_to_recover)) {
    fx.schedule(
      start + step.after,
      c.test_clock ?? null,
      'case.magic',
      { case: c.id, payment: step.payment ?? null, move: step.move ?? null },
      `${step.describe} (${c.id})`,
    );
  }
}

interface MagicParams {
  case: string;
  payment: number | null;
  move: { status: CaseStatus; close_code?: CloseCode | null; comment?: string } | null;
}

/** A scripted payment or move of a magic debtor name, unless the case has closed meanwhile. */
export function runMagicStepWith(record: RecordPayment, fx: Effects, { case: id, payment, move }: MagicParams): void {
  const current = fx.account.cases.get(id);
  if (!current || current.status === 'closed') return;
  if (payment !== null) record(fx, current, { amount: Math.min(payment, current.remainder) });
  else if (move) moveCase(fx, current, move.status, move.close_code ?? null, move.comment);
}

export const runMagicStep = (fx: Effects, params: MagicParams): void => runMagicStepWith(recordPayment, fx, params);

/** Partners send the first demand letter the day after a case becomes active (as in the seeds' timeline). */
export function scheduleDemandLetter(fx: Effects, c: CollectionCase): void {
  const at = fx.now(c.test_clock) + SECONDS_PER_DAY;
  fx.schedule(at, c.test_clock ?? null, 'case.demand_letter', { case: c.id, at }, `demand letter for ${c.id}`);
}

export function runDemandLetter(fx: Effects, { case: id, at }: { case: string; at: number }): void {
  const current = fx.account.cases.get(id);
  if (!current || current.status !== 'active') return;
  addTimeline(fx, id, {
    date: at,
    type: 'demand_letter_sent',
    title: 'Demand letter sent',
    description: 'First demand letter sent to debtor via registered mail',
  });
}

const STATUS_EVENTS = {
  pending_verification: 'collection_case.pending_verification',
  needs_details: 'collection_case.needs_details',
  active: 'collection_case.active',
  paused: 'collection_case.paused',
  closed: 'collection_case.closed',
} as const;

/**
 * Moves a case (test helpers, scenarios, payments that clear the remainder): checks the state machine,
 * writes the timeline entry and emits `collection_case.updated` then the status event.
 * Moving to the current status (and close code) is a no-op.
 */
export function moveCase(
  fx: Effects,
  c: CollectionCase,
  to: CaseStatus,
  closeCode?: CloseCode | null,
  comment?: string,
  system = false,
): CollectionCase {
  if (c.status === to && to !== 'closed' && !closeCode) return c;
  if (c.status === 'closed' && to === 'closed' && c.close_code === closeCode) return c;
  const verdict = planCaseMove(
    {
      status: c.status,
      amount_to_recover: c.amount_to_recover,
      remainder: c.remainder,
      partner_name: c.collection_partner?.name ?? null,
    },
    to,
    closeCode,
    comment,
    system,
  );
  if (!verdict.ok) throw errors.stateInvalid(verdict.message, verdict.param);
  const now = fx.now(c.test_clock);
  const next: CollectionCase = { ...c, status: verdict.value.status, close_code: verdict.value.close_code };
  fx.account.cases.replace(next);
  addTimeline(fx, c.id, { date: now, ...verdict.value.timeline });
  fx.emit('collection_case.updated', next, previousAttributes(c, next), now);
  fx.emit(STATUS_EVENTS[next.status], next, undefined, now);
  if (c.status === 'pending_verification' && next.status === 'active') scheduleDemandLetter(fx, next);
  return next;
}

export interface PaymentInput {
  amount: number;
  type?: PaymentType;
  payment_date?: number;
  close_case?: boolean;
}

/**
 * The two steps of recording a payment that a deliberate defect may swap (mocks/apis/casapay/defects.ts
 * builds its variant at start with `recordPaymentWith`), so the honest path has no flag to test.
 */
export interface PaymentSteps {
  /** The case's remainder once the payment is recorded. */
  remainderAfter(c: CollectionCase, plan: PaymentPlan): number;
  /** Announces the payment (`debt_payment.created`). */
  announce(fx: Effects, payment: DebtPayment, at: number): void;
}

export const PAYMENT_STEPS: PaymentSteps = {
  remainderAfter: (_c, plan) => plan.remainder,
  announce: (fx, payment, at) => void fx.emit('debt_payment.created', payment, undefined, at),
};

export type RecordPayment = (
  fx: Effects,
  c: CollectionCase,
  input: PaymentInput,
) => { payment: DebtPayment; case: CollectionCase };

/** Records a debt payment: lowers the remainder, charges the case's fee, and closes the case as paid when cleared. */
export const recordPayment: RecordPayment = (fx, c, input) => recordPaymentWith(PAYMENT_STEPS, fx, c, input);

/** `recordPayment` with its steps given. */
export function recordPaymentWith(
  steps: PaymentSteps,
  fx: Effects,
  c: CollectionCase,
  input: PaymentInput,
): { payment: DebtPayment; case: CollectionCase } {
  const verdict = planPayment(c, input.amount, c.success_fee_pct ?? 0, input.close_case ?? true, input.type);
  if (!verdict.ok) throw errors.stateInvalid(verdict.message, verdict.param);
  const plan = verdict.value;
  const now = fx.now(c.test_clock);
  const payment: DebtPayment = {
    id: fx.ids.id('dp'),
    object: 'debt_payment',
    case: c.id,
    amount: input.amount,
    currency: c.currency,
    type: plan.type,
    payment_date: input.payment_date ?? now,
    payout: null,
    fee_amount: plan.fee_amount,
    net_amount: plan.net_amount,
    created: now,
  };
  fx.account.payments.add(payment);
  const remainder = steps.remainderAfter(c, plan);
  let next: CollectionCase = { ...c, remainder };
  fx.account.cases.replace(next);
  addTimeline(fx, c.id, {
    date: now,
    type: 'payment_received',
    title: 'Payment received',
    description: `Debtor paid ${(input.amount / 100).toFixed(2)} ${c.currency.toUpperCase()}; ${(remainder / 100).toFixed(2)} outstanding`,
  });
  steps.announce(fx, payment, now);
  fx.emit('collection_case.updated', next, previousAttributes(c, next), now);
  if (plan.closes && remainder === 0) next = moveCase(fx, next, 'closed', 'paid');
  return { payment, case: next };
}

function findCase(ctx: HandlerContext, id: string): CollectionCase {
  return find(ctx.account.cases, id, 'collection_case');
}

export const listCollectionCases: Handler = (ctx) => {
  const { status, debtor_country, debtor_type } = ctx.query as {
    status?: CaseStatus;
    debtor_country?: string;
    debtor_type?: string;
  };
  const filter =
    status || debtor_country || debtor_type
      ? (c: CollectionCase) =>
          (!status || c.status === status) &&
          (!debtor_country || c.debtor?.country === debtor_country) &&
          (!debtor_type || c.debtor?.type === debtor_type)
      : undefined;
  return ok(listPage(ctx, ctx.account.cases, filter, { status, debtor_country, debtor_type }));
};

export const retrieveCollectionCase: Handler = (ctx) => ok(findCase(ctx, ctx.params.id!));

export const retrieveCollectionCaseByReference: Handler = (ctx) => {
  const reference = ctx.params.reference!;
  const id = ctx.account.references.get(reference);
  if (!id) throw errors.notFound('collection_case with reference', reference, 'reference');
  return ok(findCase(ctx, id));
};

export const retrieveCollectionCaseTimeline: Handler = (ctx) => {
  const c = findCase(ctx, ctx.params.id!);
  return ok({ object: 'list', data: timelineOf(ctx.account.timelines, c.id) ?? [], has_more: false, url: ctx.path });
};
