// Debitura's webhooks: the event payload and who receives it (the client's Customer API subscriptions
// and the partner's Referral API subscriptions). The signature scheme (X-Debitura-Signature, base64
// secret) is the kit's (kit/debitura-webhook-signature.ts), shared with the suite and receivers.
// Deliveries, retries and their log are the shared dispatcher's (mocks/engine/webhooks/dispatcher.ts).
import type { signDebitura } from '../../../kit/debitura-webhook-signature.js';
import type { DeliveryTarget } from '../../engine/webhooks/dispatcher.js';
import type { CaseRecord, DebituraWorld, StoredEvent, StoredSubscription, WebhookEvent } from './state.js';

/** Events a partner's Referral API subscription can receive; the Customer API adds payment and chat events. */
export const PARTNER_EVENTS = ['case.created', 'case.updated', 'case.closed'] as const;
export const CUSTOMER_EVENTS = [
  'case.created',
  'case.updated',
  'case.closed',
  'payment.created',
  'payment.deleted',
  'chat.created',
] as const;
export type DebituraEventType = (typeof CUSTOMER_EVENTS)[number];

/** How a delivery is signed: the kit's signDebitura, which a defect may swap (see defects.ts). */
export type DebituraSigner = typeof signDebitura;

/** The payload for an event about a case, with what the event adds (old and new lifecycle, close code, payment). */
export function casePayload(
  id: string,
  type: DebituraEventType,
  record: CaseRecord,
  externalTenantId: string,
  at: string,
  extra: Partial<WebhookEvent['data']> = {},
): WebhookEvent {
  const c = record.case;
  return {
    id,
    event: type,
    timestamp: at,
    data: {
      caseId: c.id,
      reference: c.reference ?? null,
      creditorReference: c.creditorReference ?? null,
      status: c.lifecycle ?? null,
      amount: c.grossAmount ?? 0,
      currency: c.currency ?? null,
      debtorName: c.debtor?.name ?? null,
      externalTenantId,
      ...extra,
    },
  } as WebhookEvent;
}

/**
 * The active subscriptions an event goes to: the client's own (Customer API) for every event type it
 * chose, and the partner's (Referral API) for case events. `only` narrows to one subscription
 * (POST /test/webhooks/fire with subscriptionId); `testOnly` to test-mode ones.
 */
export function targetsFor(
  world: DebituraWorld,
  event: StoredEvent,
  sign: DebituraSigner,
  options: { only?: string; testOnly?: boolean } = {},
  mutate?: DeliveryTarget['mutate'],
): DeliveryTarget[] {
  const targets: DeliveryTarget[] = [];
  for (const stored of world.subscriptions.values()) {
    const s = stored.subscription;
    if (!s.isActive || !(s.events ?? []).includes(event.payload.event ?? '')) continue;
    if (stored.owner !== 'partner' && stored.owner !== event.clientId) continue;
    if (options.only !== undefined && s.id !== options.only) continue;
    if (options.testOnly && !s.isTestMode) continue;
    const type = event.payload.event ?? '';
    targets.push(subscriptionTarget(stored, type, sign, mutate));
  }
  return targets;
}

/** The target of one subscription for an event type (also how a kept delivery resumes after a restart). */
export function subscriptionTarget(
  stored: StoredSubscription,
  type: string,
  sign: DebituraSigner,
  mutate?: DeliveryTarget['mutate'],
): DeliveryTarget {
  return {
    resumeAs: { api: 'debitura', ref: stored.subscription.id ?? null },
    endpointId: null,
    url: stored.subscription.url!,
    secret: stored.secret,
    sign: (body, t) => sign(body, t, stored.secret, type),
    ...(mutate ? { mutate } : {}),
  };
}
