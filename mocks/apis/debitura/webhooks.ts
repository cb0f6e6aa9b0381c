// Debitura's webhooks: the event payload, who receives it (the client's Customer API subscriptions and
// the partner's Referral API subscriptions), and the signature scheme of Debitura's docs:
//   X-Debitura-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(base64-decoded secret, "<t>.<raw body>")>
//   X-Debitura-Timestamp: <t>        X-Debitura-Event: <event type>
// Receivers compare in constant time and reject |now − t| > 300 s. Deliveries, retries and their log
// are the shared dispatcher's (mocks/engine/webhooks/dispatcher.ts).
import { verifySignature, WebhookSignatureError, DEFAULT_TOLERANCE_SECONDS } from '../../../kit/webhook-signature.js';
import { signatureHeader } from '../../../kit/webhook-signature.js';
import type { DeliveryTarget } from '../../engine/webhooks/dispatcher.js';
import type { CaseRecord, DebituraWorld, StoredEvent, WebhookEvent } from './state.js';

export const DEBITURA_SIGNATURE_HEADER = 'X-Debitura-Signature';
/** Events a partner's Referral API subscription can receive; the Customer API adds payment and chat events. */
export const PARTNER_EVENTS = ['case.created', 'case.updated', 'case.closed'] as const;
export const CUSTOMER_EVENTS = ['case.created', 'case.updated', 'case.closed', 'payment.created', 'payment.deleted', 'chat.created'] as const;
export type DebituraEventType = (typeof CUSTOMER_EVENTS)[number];

/** How a delivery is signed; a defect may swap it (see defects.ts). */
export type DebituraSigner = (body: string, t: number, secretBase64: string, type: string) => Record<string, string>;

export const signDebitura: DebituraSigner = (body, t, secretBase64, type) => ({
  [DEBITURA_SIGNATURE_HEADER]: signatureHeader(body, Buffer.from(secretBase64, 'base64'), t),
  'X-Debitura-Timestamp': String(t),
  'X-Debitura-Event': type,
});

/**
 * Checks a Debitura webhook: the raw body, the X-Debitura-Signature header and the subscription's
 * base64 secret. Throws WebhookSignatureError (the reason in `reason`) or returns true.
 * @example verifyDebituraSignature(rawBody, req.headers['x-debitura-signature'], subscription.secret)
 */
export function verifyDebituraSignature(payload: string | Buffer, header: string, secretBase64: string, tolerance = DEFAULT_TOLERANCE_SECONDS, now?: number): true {
  if (typeof secretBase64 !== 'string' || secretBase64 === '') throw new TypeError('verifyDebituraSignature: secret must be the subscription\'s base64 secret');
  try {
    return verifySignature(payload, header, Buffer.from(secretBase64, 'base64'), tolerance, now);
  } catch (error) {
    if (error instanceof WebhookSignatureError) throw new WebhookSignatureError(error.reason, error.message.replace('X-CasaPay-Signature', DEBITURA_SIGNATURE_HEADER));
    throw error;
  }
}

/** The payload for an event about a case, with what the event adds (old and new lifecycle, close code, payment). */
export function casePayload(id: string, type: DebituraEventType, record: CaseRecord, externalTenantId: string, at: string, extra: Partial<WebhookEvent['data']> = {}): WebhookEvent {
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
export function targetsFor(world: DebituraWorld, event: StoredEvent, sign: DebituraSigner, options: { only?: string; testOnly?: boolean } = {}): DeliveryTarget[] {
  const targets: DeliveryTarget[] = [];
  for (const stored of world.subscriptions.values()) {
    const s = stored.subscription;
    if (!s.isActive || !(s.events ?? []).includes(event.payload.event ?? '')) continue;
    if (stored.owner !== 'partner' && stored.owner !== event.clientId) continue;
    if (options.only !== undefined && s.id !== options.only) continue;
    if (options.testOnly && !s.isTestMode) continue;
    const type = event.payload.event ?? '';
    targets.push({ endpointId: null, url: s.url!, secret: stored.secret, sign: (body, t) => sign(body, t, stored.secret, type) });
  }
  return targets;
}
