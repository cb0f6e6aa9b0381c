// The Customer API's operations (/debitura/customer): what a creditor — or a referral partner acting
// for one with a minted token — sees and does. Every request acts for one client (ctx.caller).
import { ok, type Handler, type RequestContext as HandlerContext } from '../../engine/handler.js';
import { errors } from '../../engine/errors.js';
import { debituraErrors } from './errors.js';
import { debituraPartnerFor } from './partners.js';
import { MINIMUM_USD } from '../common/money.js';
import {
  belowMinimum,
  gatesFor,
  isoNow,
  isoTime,
  pricingFor,
  previewRequestProblem,
  sanitizeReturnUrl,
  combinedSigningUrl,
  NO_PARTNER_REASON,
  usState,
} from './rules.js';
import { emit, isClosed, moveCase, recordPayment, submitCase, type DebituraRuntime } from './cases.js';
import { checkedFileName, CUSTOMER_EXTENSIONS, listParam, pageOf, sortCases, statusFilter } from './lists.js';
import {
  worldOf,
  type CaseFile,
  type CaseRecord,
  type DebituraClient,
  type DebituraWorld,
  type StoredSubscription,
} from './state.js';
import { casePayload, CUSTOMER_EVENTS, type DebituraEventType } from './webhooks.js';
import { subscriptionHandlers } from './subscriptions.js';

/** The client the request acts for (a token's client, or a direct creditor's own). */
export function callerClient(ctx: HandlerContext): { world: DebituraWorld; client: DebituraClient } {
  const world = worldOf(ctx.account);
  const client = ctx.caller?.clientId ? world.clients.get(ctx.caller.clientId) : undefined;
  if (!client) throw debituraErrors.tokenInvalid();
  return { world, client };
}

/** One of the caller's cases, or 404 (another client's case does not exist for this caller). */
function callerCase(
  ctx: HandlerContext,
  id: string,
): { world: DebituraWorld; client: DebituraClient; record: CaseRecord } {
  const { world, client } = callerClient(ctx);
  const record = world.cases.get(id);
  if (!record || record.clientId !== client.id) throw debituraErrors.notFound('case', id);
  return { world, client, record };
}

export function customerHandlers(rt: DebituraRuntime): Record<string, Handler> {
  const createCase: Handler = (ctx) => {
    const { world, client } = callerClient(ctx);
    const record = submitCase(rt, ctx, world, client, ctx.body, {
      via: ctx.caller!.via,
      attributedToPartner: ctx.caller!.via === 'bearer',
    });
    return ok(record.case);
  };

  const listCases: Handler = (ctx) => {
    const { world, client } = callerClient(ctx);
    const inStatuses = statusFilter(ctx.query.Statuses);
    const ids = new Set(listParam(ctx.query.Ids));
    const debtorIds = listParam(ctx.query.DebtorIds);
    const mine = [...world.cases.values()].filter(
      (r) => r.clientId === client.id && inStatuses(r.case) && (!ids.size || ids.has(r.case.id)),
    );
    // Debtors have no ids of their own in the mock: a DebtorIds filter matches no case.
    const matching = debtorIds.length ? [] : mine;
    const { items, page } = pageOf(
      sortCases(matching, ctx.query.Sort, (r) => r.case),
      ctx.query,
    );
    return ok({ page, cases: items.map((r) => r.case) });
  };

  const getCase: Handler = (ctx) => ok(callerCase(ctx, ctx.params.id!).record.case);

  const previewCase: Handler = (ctx) => {
    const { client } = callerClient(ctx);
    const body = ctx.body;
    const problem = previewRequestProblem(body, ctx.now());
    if (problem) throw problem;
    const country = String(body.debtor.countryAlpha2).toUpperCase();
    const partner = debituraPartnerFor(country, worldOf(ctx.account).unsupportedCountries);
    const returnUrl = sanitizeReturnUrl(body.returnUrl);
    const gates = gatesFor(client, partner, ctx.caller!.via, returnUrl);
    const requiredActions = [...gates.signing, ...(gates.kyc ? [gates.kyc] : [])].map((e) => ({
      ...e,
      isBlocking: true,
    }));
    const tooSmall = partner ? belowMinimum(body) : false;
    const eligible = Boolean(partner) && !tooSmall;
    return ok({
      result: {
        isEligible: eligible,
        ineligibilityReason: !partner
          ? NO_PARTNER_REASON
          : tooSmall
            ? `The amount to recover is below the minimum of USD ${MINIMUM_USD}.`
            : null,
        partnerAssignment: partner
          ? {
              collectionPartnerId: partner.collectionPartnerId,
              partnerName: partner.partner.contact.name,
              partnerCountry: partner.partner.country,
            }
          : null,
        requiredActions,
        jurisdiction: partner
          ? {
              id: partner.jurisdictionId,
              name:
                country === 'US' ? `${partner.countryName} - ${usState(body.debtor.stateAlpha2)}` : partner.countryName,
              countryAlpha2: country,
              stateAlpha2: country === 'US' ? usState(body.debtor.stateAlpha2)! : null,
            }
          : null,
        pricingPreview: partner ? pricingFor(partner, body, ctx.now()) : null,
        requiresKycVerification: partner?.requiresKyc ?? false,
        hasKycOnFile: client.kyc !== null,
        signingHandoff: gates.signing.length ? { combinedSigningUrl: combinedSigningUrl(returnUrl) } : null,
      },
    });
  };

  const uploadCaseFile: Handler = (ctx) => {
    const { record } = callerCase(ctx, ctx.params.id!);
    if (!ctx.file) throw errors.parameterMissing('File');
    const fileName = checkedFileName(ctx.file.filename, CUSTOMER_EXTENSIONS);
    const now = isoNow(ctx);
    const file: CaseFile = {
      id: ctx.ids.uuid(),
      dateCreated: now,
      dateUpdated: now,
      caseId: record.case.id,
      entityType: 'Case',
      entityId: record.case.id,
      fileName,
      url: null,
      description: ctx.body?.Description ?? null,
      documentType: ctx.body?.DocumentType ?? 'OriginalInvoice',
    };
    record.files.push(file);
    worldOf(ctx.account).fileCount++;
    return ok(file);
  };

  const listCaseFiles: Handler = (ctx) => ok(callerCase(ctx, ctx.params.id!).record.files);

  const listPayments: Handler = (ctx) => {
    const { world, client } = callerClient(ctx);
    const mine = [...world.payments.values()]
      .filter((p) => world.cases.get(p.caseId)?.clientId === client.id)
      .reverse();
    const { items, page } = pageOf(mine, ctx.query);
    return ok({ page, payments: items.map(({ caseId: _, ...payment }) => payment) });
  };

  const getPayment: Handler = (ctx) => {
    const { world, client } = callerClient(ctx);
    const payment = world.payments.get(ctx.params.id!);
    if (!payment || world.cases.get(payment.caseId)?.clientId !== client.id)
      throw debituraErrors.notFound('payment', ctx.params.id!);
    const { caseId: _, ...shown } = payment;
    return ok(shown);
  };

  /** Debitura's CI helper: drive a test case to Active, Closed:Paid or Closed:NoPayment, with real events. */
  const advanceTestCase: Handler = (ctx) => {
    const { world, record } = callerCase(ctx, ctx.params.id!);
    const { to, amount } = ctx.body as { to: string; amount?: number | null };
    if (!record.case.isTestCase)
      throw errors.parameterInvalid('id', 'only test cases (created with isTest: true) can be advanced.');
    const state = () =>
      isClosed(record.case)
        ? record.case.closeCode === 'Paid'
          ? 'Closed:Paid'
          : record.case.closeCode === 'PreLegalExhaustedNoPayment'
            ? 'Closed:NoPayment'
            : 'Closed'
        : record.case.lifecycle;
    const done = (advanced: boolean) => ok({ advanced, state: state() });
    if (to === 'Active') {
      if (isClosed(record.case) || record.case.lifecycle === 'Active') return done(false);
      moveCase(rt, ctx, world, record, 'Active');
      return done(true);
    }
    if (to !== 'Closed:Paid' && to !== 'Closed:NoPayment')
      throw errors.parameterInvalid('to', 'must be one of Active, Closed:Paid, Closed:NoPayment.');
    if (to === 'Closed:Paid' && !(typeof amount === 'number' && amount > 0))
      throw errors.parameterMissing('amount', 'Closed:Paid records a payment of `amount` (a positive number).');
    if (isClosed(record.case)) {
      if (state() === to) return done(false);
      throw errors.parameterInvalid('to', `the case is already closed as ${state()}.`);
    }
    if (record.case.lifecycle !== 'Active') moveCase(rt, ctx, world, record, 'Active');
    if (to === 'Closed:Paid') {
      recordPayment(rt, ctx, world, record, amount!);
      moveCase(rt, ctx, world, record, 'Closed', { closeCode: 'Paid' });
    } else {
      moveCase(rt, ctx, world, record, 'Closed', { closeCode: 'PreLegalExhaustedNoPayment' });
    }
    return done(true);
  };

  /** Fires a current-state event for a test case to test-mode subscriptions (all, or one). */
  const fireTestWebhook: Handler = (ctx) => {
    const { event, caseId, subscriptionId } = ctx.body as {
      event: string;
      caseId: string;
      subscriptionId?: string | null;
    };
    if (!(CUSTOMER_EVENTS as readonly string[]).includes(event))
      throw errors.parameterInvalid('event', `must be one of ${CUSTOMER_EVENTS.join(', ')}.`);
    const { world, client, record } = callerCase(ctx, caseId);
    if (subscriptionId) {
      const stored = world.subscriptions.get(subscriptionId);
      if (!stored || !stored.subscription.isTestMode || (stored.owner !== 'partner' && stored.owner !== client.id))
        throw errors.parameterInvalid('subscriptionId', 'no test subscription with this id belongs to you.');
    }
    const type = event as DebituraEventType;
    let extra: Record<string, unknown> = {};
    if (type === 'case.updated')
      extra = { oldLifecycle: record.case.lifecycle ?? null, newLifecycle: record.case.lifecycle ?? null };
    if (type === 'case.closed') extra = { closeCode: record.case.closeCode ?? null };
    if (type === 'payment.created') {
      const last = record.paymentIds.at(-1);
      if (!last) throw nothingToFire('payment.created', 'the case has no payments');
      extra = { paymentId: last, paymentAmount: world.payments.get(last)!.grossAmount };
    }
    if (type === 'payment.deleted') throw nothingToFire('payment.deleted', 'no payment of the case was deleted');
    if (type === 'chat.created' && !record.chats.length)
      throw nothingToFire('chat.created', 'the case has no chat messages');
    const enqueuedCount = emit(rt, ctx, world, record, type, extra, {
      only: subscriptionId ?? undefined,
      testOnly: true,
    });
    return ok({ eventType: type, caseId: record.case.id, enqueuedCount });
  };

  return {
    createCase,
    listCases,
    getCase,
    previewCase,
    uploadCaseFile,
    listCaseFiles,
    listPayments,
    getPayment,
    advanceTestCase,
    fireTestWebhook,
    ...subscriptionHandlers(rt, {
      owner: (ctx) => callerClient(ctx).client.id,
      events: CUSTOMER_EVENTS,
      names: {
        create: 'createWebhook',
        list: 'listWebhooks',
        get: 'getWebhook',
        remove: 'deleteWebhook',
        test: ['testWebhook', 'testWebhookColon'],
      },
      samplePayload: (ctx, stored: StoredSubscription) => {
        const { world, client } = callerClient(ctx);
        const record = [...world.cases.values()].reverse().find((r) => r.clientId === client.id);
        return record
          ? rt.outgoing(
              casePayload(rt.eventId(ctx.ids), 'case.updated', record, client.externalTenantId, isoTime(ctx.now())),
            )
          : {
              id: rt.eventId(ctx.ids),
              event: 'webhook.test',
              timestamp: isoTime(ctx.now()),
              data: { subscriptionId: stored.subscription.id },
            };
      },
    }),
  };
}

const nothingToFire = (event: string, why: string) =>
  debituraErrors.business({
    businessErrors: [{ type: 'NoEventSource', message: `Cannot fire ${event}: ${why}.`, solutionUrl: null }],
    signingHandoff: null,
  });
