// What happens to Debitura cases: submission (the gates of rules.ts), lifecycle moves, payments and
// the events each one emits. Used by the handlers of both APIs, by scheduled tasks (verification,
// contract signing) and by scenarios, always with the effects of the moment (clock, ids, delivery
// after the response).
import { errors, type ApiError } from '../../engine/errors.js';
import { addBusinessDays } from '../common/calendar.js';
import type { Effects } from '../../engine/handler.js';
import type { DeliveryTarget, DispatchableEvent, WebhookDispatcher } from '../../engine/webhooks/dispatcher.js';
import type { Send } from '../../engine/webhooks/url-guard.js';
import type { IdMinter } from '../../engine/state/ids.js';
import { markChanged } from '../../engine/state/changes.js';
import { debituraErrors } from './errors.js';
import { countryName } from '../common/codes.js';
import { collectionPartnerOf, debituraPartnerFor, type DebituraPartner } from './partners.js';
import {
  belowMinimum,
  combinedSigningUrl,
  gatesFor,
  isoTime,
  pricingFor,
  readDate,
  refusalErrors,
  sanitizeReturnUrl,
  usState,
  type CreateCaseRequest,
} from './rules.js';
import {
  referenceKey,
  worldOf,
  type Case,
  type CaseRecord,
  type DebituraClient,
  type DebituraWorld,
  type Lifecycle,
  type Payment,
  type StoredEvent,
  type WebhookEvent,
  appendEvent,
} from './state.js';
import { casePayload, targetsFor, type DebituraEventType, type DebituraSigner } from './webhooks.js';

/** What the Debitura side shares across requests: the dispatcher, and how deliveries are signed. */
export interface DebituraRuntime {
  dispatcher: WebhookDispatcher;
  sign: DebituraSigner;
  /** The id of a new webhook event (a uuid; a variant mints the docs' `evt_…`). */
  eventId(ids: IdMinter): string;
  /** A deliberate defect's last look at each signed delivery (defects-customer.ts), or undefined. */
  mutateDelivery?: DeliveryTarget['mutate'];
  /** The payload as it is sent (variants may bend it; the stored event keeps the original). */
  outgoing(payload: WebhookEvent): WebhookEvent;
  /** The docs' field rules of a submission (rules.ts's caseRequestProblem; a defect may loosen it). */
  checkCase(body: CreateCaseRequest, now: number): ApiError | undefined;
  /** How the synchronous test delivery is sent: the sandbox's (checked when the mock blocks private targets). */
  send: Send;
  /** Events kept per account (--max-events), the oldest dropped first with its deliveries; undefined: all. */
  maxEvents?: number;
  /** The User-Agent of webhook requests (the dispatcher's). */
  userAgent: string;
}

export const VERIFICATION_TASK = 'debitura.verification_completes';
export const SIGNING_TASK = 'debitura.contracts_signed';

const CLOSED: ReadonlySet<Lifecycle> = new Set(['Closed', 'Merged']);
export const isClosed = (c: Case) => CLOSED.has(c.lifecycle as Lifecycle);

/** Records the event and delivers it once the operation has completed; returns how many subscriptions it went to. */
export function emit(
  rt: DebituraRuntime,
  fx: Effects,
  world: DebituraWorld,
  record: CaseRecord,
  type: DebituraEventType,
  extra: Record<string, unknown> = {},
  target: { only?: string; testOnly?: boolean } = {},
): number {
  const client = world.clients.get(record.clientId)!;
  const event: StoredEvent = {
    payload: casePayload(rt.eventId(fx.ids), type, record, client.externalTenantId, isoTime(fx.now()), extra),
    caseId: record.case.id,
    clientId: record.clientId,
  };
  // The log is a window, as CasaPay's events are: beyond it the oldest event goes with its deliveries.
  for (const oldest of appendEvent(fx.account, world, event, rt.maxEvents))
    rt.dispatcher.forgetEvent(oldest.payload.id, fx.account.key);
  const targets = targetsFor(world, event, rt.sign, target, rt.mutateDelivery);
  // Events about one case reach each receiver in order: the case id is the dispatcher's ordering key.
  if (targets.length)
    fx.deliverLater(rt.outgoing(event.payload) as DispatchableEvent, targets, () => !event.dropped, record.case.id);
  return targets.length;
}

/** Replaces the case with `changes` applied (stored objects are never edited), stamping dateUpdated. */
function store(fx: Effects, record: CaseRecord, changes: Partial<Case>): CaseRecord {
  record.case = { ...record.case, ...changes, dateUpdated: isoTime(fx.now()) };
  // Reached through a walk over the cases too (signing moves every pending case), not only through get.
  markChanged(fx.account, 'debitura.cases', record.case.id);
  return record;
}

/** Moves a case to another lifecycle and says so (case.updated, and case.closed on closing). */
export function moveCase(
  rt: DebituraRuntime,
  fx: Effects,
  world: DebituraWorld,
  record: CaseRecord,
  lifecycle: Lifecycle,
  changes: Partial<Case> = {},
): void {
  const old = record.case.lifecycle;
  if (old === lifecycle) return;
  const now = isoTime(fx.now());
  store(fx, record, {
    lifecycle,
    ...(lifecycle === 'Active' && !record.case.dateCollectionStarted ? { dateCollectionStarted: now } : {}),
    ...(CLOSED.has(lifecycle) ? { dateFinished: now } : {}),
    ...(lifecycle !== 'PendingContractSigning' ? { signingHandoff: null, solutionUrl: null } : {}),
    ...changes,
  });
  emit(rt, fx, world, record, 'case.updated', { oldLifecycle: old ?? null, newLifecycle: lifecycle });
  if (CLOSED.has(lifecycle)) emit(rt, fx, world, record, 'case.closed', { closeCode: record.case.closeCode ?? null });
}

/** Debitura verifies a new case, then the partner starts: one business day on the (virtual) clock. */
function scheduleVerification(fx: Effects, record: CaseRecord): void {
  fx.schedule(
    addBusinessDays(fx.now(), 1),
    null,
    VERIFICATION_TASK,
    { caseId: record.case.id },
    `Debitura verifies case ${record.case.reference} and the partner starts`,
  );
}

export function completeVerification(rt: DebituraRuntime, fx: Effects, caseId: string): void {
  const world = worldOf(fx.account);
  const record = world.cases.get(caseId);
  if (
    record &&
    (record.case.lifecycle === 'PendingVerification' || record.case.lifecycle === 'PendingVerificationInternal')
  )
    moveCase(rt, fx, world, record, 'Active');
}

/** The client signs what is pending: its PendingContractSigning cases go on to verification. */
export function signContracts(rt: DebituraRuntime, fx: Effects, world: DebituraWorld, client: DebituraClient): void {
  client.contracts = { debtCollectionAgreement: 'Signed', powerOfAttorney: 'Signed' };
  for (const record of world.cases.values()) {
    if (record.clientId !== client.id || record.case.lifecycle !== 'PendingContractSigning') continue;
    moveCase(rt, fx, world, record, 'PendingVerification');
    scheduleVerification(fx, record);
  }
}

export interface Submission {
  via: 'api_key' | 'bearer';
  /** Submitted with the partner's token or at onboarding: revenue is attributed to the partnership. */
  attributedToPartner: boolean;
}

/** A 400 or 422 refusal for a case, before anything is stored (onboarding checks all cases first). */
export function submissionProblem(
  rt: DebituraRuntime,
  fx: Effects,
  world: DebituraWorld,
  client: DebituraClient,
  body: CreateCaseRequest,
  via: Submission['via'],
) {
  const problem = rt.checkCase(body, fx.now());
  if (problem) return { problem };
  if (body.creditorReference && world.creditorReferences.has(referenceKey(client.id, body.creditorReference))) {
    return {
      problem: errors.parameterInvalid(
        'creditorReference',
        `a case with creditorReference '${body.creditorReference}' already exists for this client.`,
      ),
    };
  }
  const country = body.debtor!.countryAlpha2!.toUpperCase();
  const partner = debituraPartnerFor(country, worldOf(fx.account).unsupportedCountries);
  if (body.collectionPartnerId && partner?.collectionPartnerId !== body.collectionPartnerId) {
    return {
      problem: errors.parameterInvalid(
        'collectionPartnerId',
        `no collection partner '${body.collectionPartnerId}' covers ${country}.`,
      ),
    };
  }
  const returnUrl = sanitizeReturnUrl(body.returnUrl);
  const gates = gatesFor(client, partner, via, returnUrl);
  const handoff = gates.signing.length ? { combinedSigningUrl: combinedSigningUrl(returnUrl) } : null;
  if (partner && belowMinimum({ amountToRecover: body.amountToRecover!, currencyCode: body.currencyCode! })) {
    return {
      refusal: debituraErrors.business({
        businessErrors: [
          {
            type: 'AmountBelowMinimum',
            message: 'The amount to recover is below the minimum of USD 100.',
            solutionUrl: null,
          },
        ],
        signingHandoff: handoff,
      }),
    };
  }
  if (gates.noPartner || gates.kyc || (gates.signing.length && !body.allowPendingContracts)) {
    return { refusal: debituraErrors.business({ businessErrors: refusalErrors(gates), signingHandoff: handoff }) };
  }
  return { partner: partner!, handoff };
}

/** Submits a case for a client: refused (throws a 400 or 422) or stored, with case.created emitted. */
export function submitCase(
  rt: DebituraRuntime,
  fx: Effects,
  world: DebituraWorld,
  client: DebituraClient,
  body: CreateCaseRequest,
  submission: Submission,
): CaseRecord {
  const checked = submissionProblem(rt, fx, world, client, body, submission.via);
  if (checked.problem) throw checked.problem;
  if (checked.refusal) throw checked.refusal;
  const { partner, handoff } = checked as { partner: DebituraPartner; handoff: Case['signingHandoff'] };
  const now = fx.now();
  const date = readDate(body.date!)!;
  const due = body.dueDate != null ? readDate(body.dueDate)! : date;
  const lifecycle: Lifecycle = handoff
    ? 'PendingContractSigning'
    : body.skipDebituraVerification
      ? 'Active'
      : 'PendingVerification';
  const debtor = body.debtor!;
  const country = debtor.countryAlpha2!.toUpperCase();
  const fee = pricingFor(
    partner,
    {
      ...body,
      amountToRecover: body.amountToRecover!,
      currencyCode: body.currencyCode!,
      dueDate: body.dueDate ?? null,
    },
    now,
  ).totalSuccessFeePercentage;
  const kase: Case = {
    id: fx.ids.uuid(),
    dateCreated: isoTime(now),
    dateUpdated: null,
    reference: fx.ids.reference(),
    creditorReference: body.creditorReference ?? null,
    creditorComments: body.comments ?? null,
    claimDescription: body.claimDescription ?? null,
    grossAmount: body.amountToRecover!,
    remainder: body.amountToRecover!,
    interestFees: 0,
    reminderFees: 0,
    collectionFees: 0,
    totalAddedFees: 0,
    currency: body.currencyCode!.toUpperCase(),
    isTestCase: body.isTest === true,
    lifecycle,
    dueDate: isoTime(due),
    date: isoTime(date),
    dateFinished: null,
    dateCollectionStarted: lifecycle === 'Active' ? isoTime(now) : null,
    closeCode: null,
    debtor: {
      ...debtor,
      countryAlpha2: country,
      ...(country === 'US' ? { stateAlpha2: usState(debtor.stateAlpha2)! } : {}),
      country: debtor.country ?? countryName(country),
    },
    collectionPartner: collectionPartnerOf(partner),
    creditor: { id: client.id, companyName: client.name, country: countryName(client.country) },
    preLegalSuccessFee: fee,
    signingHandoff: handoff,
    solutionUrl: handoff?.combinedSigningUrl ?? null,
  } as Case;
  const record: CaseRecord = {
    case: kase,
    clientId: client.id,
    attributedToPartner: submission.attributedToPartner,
    partnerCountry: partner.partner.country,
    tag: body.tag ?? null,
    files: [],
    chats: [],
    paymentIds: [],
  };
  world.cases.set(kase.id, record);
  if (body.creditorReference) world.creditorReferences.add(referenceKey(client.id, body.creditorReference));
  emit(rt, fx, world, record, 'case.created');
  if (lifecycle === 'PendingVerification') scheduleVerification(fx, record);
  return record;
}

/** A payment on the case: lowers the remainder and says so (payment.created). */
export function recordPayment(
  rt: DebituraRuntime,
  fx: Effects,
  world: DebituraWorld,
  record: CaseRecord,
  amount: number,
) {
  const now = isoTime(fx.now());
  const c = record.case;
  const payment: Payment & { caseId: string } = {
    id: fx.ids.uuid(),
    dateCreated: now,
    dateUpdated: null,
    date: now,
    grossAmount: amount,
    recipient: 'Creditor',
    method: 'BankTransfer',
    currency: c.currency ?? 'EUR',
    invoice: { invoiceId: c.id, reference: c.reference ?? null, status: c.lifecycle ?? null },
    caseId: c.id,
  };
  world.payments.set(payment.id, payment);
  record.paymentIds.push(payment.id);
  store(fx, record, { remainder: Math.max(0, Math.round(((c.remainder ?? 0) - amount) * 100) / 100) });
  emit(rt, fx, world, record, 'payment.created', { paymentId: payment.id, paymentAmount: amount });
  return payment;
}

/** A system message on the case thread (file uploads, KYC provided). */
export function postSystemMessage(fx: Effects, record: CaseRecord, message: string): void {
  markChanged(fx.account, 'debitura.cases', record.case.id);
  record.chats.push({
    id: fx.ids.uuid(),
    caseId: record.case.id,
    message: `System message: ${message}`,
    isSystemMessage: true,
    dateCreated: isoTime(fx.now()),
  });
}
