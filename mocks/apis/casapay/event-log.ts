// CasaPay's events: each change an operation makes is recorded as an Event in the account's log
// (GET /v1/events) and delivered, signed, to every enabled endpoint that subscribes to its type (and
// to the CLI's --webhook-url). The log is a window (--max-events); `pending_webhooks` follows the
// deliveries. The engine's dispatcher sends; this file decides what is sent, to whom, signed how.
import { signatureHeader } from '../../../kit/webhook-signature.js';
import { standardSignatureHeaders } from '../../../kit/standard-webhook-signature.js';
import type { Effects, RequestInfo } from '../../engine/handler.js';
import type { Sandbox } from '../../engine/sandbox.js';
import type { DeliveryTarget, OutgoingRequest, WebhookDelivery } from '../../engine/webhooks/dispatcher.js';
import type { components } from '../../../generated/casapay.js';
import { casapayAccount, type AccountState, type ApiEvent } from './state.js';
import type { EventType } from './handlers/context.js';
import { API_VERSION } from './handlers/webhook-endpoints.js';
import { subscribes } from './handlers/events.js';

export type SignatureScheme = components['schemas']['SignatureScheme'];
export const SIGNATURE_SCHEMES: readonly SignatureScheme[] = ['casapay', 'standard', 'both'];
export const SIGNATURE_HEADER = 'X-CasaPay-Signature';
export const DEFAULT_WEBHOOK_SECRET = 'whsec_casapay_mock_cli';

/** A benign variant's last look at a CasaPay delivery before it is sent (chosen once at start). */
export type DeliveryEdge = (
  target: CasaPayTarget,
  body: string,
  headers: Record<string, string>,
  signedAt: number,
) => OutgoingRequest | void;

/** A deliberate defect's last look at a signed delivery, after the Standard Webhooks headers (chosen once at start). */
export type SignedEdge = (request: OutgoingRequest, signedAt: number) => OutgoingRequest;

/** A delivery target with what the Standard Webhooks headers need: the scheme and the event id (`webhook-id`). */
export interface CasaPayTarget extends DeliveryTarget {
  scheme: SignatureScheme;
  eventId: string;
}

export interface EventLogOptions {
  /** Also deliver every event of every account here (the CLI's --webhook-url), signed with `webhookSecret`. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** How deliveries are signed unless an endpoint chose (`signature_scheme`): default `casapay`. */
  webhookSigning?: SignatureScheme;
  /** Events kept per account, the oldest dropped first with its deliveries (default unbounded). */
  maxEvents?: number;
  /** The edges of the signed request, chosen once at start: a variant's before the Standard Webhooks headers, a defect's after. */
  edges?: { variant?: DeliveryEdge; signed?: SignedEdge };
}

export class EventLog {
  private readonly eventsById = new Map<string, ApiEvent>();
  /** The account of each event in eventsById, so a change of its pending_webhooks is written (a durable store). */
  private readonly ownerOf = new Map<string, AccountState>();
  private readonly mutate: DeliveryTarget['mutate'];

  constructor(
    private readonly sandbox: Sandbox,
    private readonly options: EventLogOptions,
  ) {
    const { variant, signed } = options.edges ?? {};
    // The edges of the signed request, in order: benign variants, the Standard Webhooks headers over the
    // final body (an endpoint's scheme or --webhook-signing), then deliberate defects.
    this.mutate = (target, body, headers, signedAt) => {
      const out = variant?.(target as CasaPayTarget, body, headers, signedAt) ?? { body, headers };
      const { scheme, eventId } = target as CasaPayTarget;
      if (scheme === 'standard' || scheme === 'both') {
        Object.assign(out.headers, standardSignatureHeaders(eventId, out.body, target.secret, signedAt));
        if (scheme === 'standard') delete out.headers[SIGNATURE_HEADER];
      }
      return signed ? signed(out, signedAt) : out;
    };
    sandbox.onDeliveryChange((delivery) => {
      const event = this.eventsById.get(delivery.event);
      if (!event) return;
      event.pending_webhooks = sandbox.dispatcher.pendingCount(delivery.event);
      this.ownerOf.get(delivery.event)?.events.touch(delivery.event);
      // Nothing left to follow until a resend (which watches it again): not kept for the log's lifetime.
      if (event.pending_webhooks === 0) this.unwatch(delivery.event);
    });
    sandbox.onEventsGone((eventIds) => {
      for (const eventId of eventIds) {
        this.eventsById.delete(eventId);
        this.ownerOf.delete(eventId);
      }
    });
    // Events whose deliveries are still pending (those whose pending_webhooks may still move).
    sandbox.reportRetained(() => ({ eventsWithDeliveries: this.eventsById.size }));
    // After a restart on a durable store, a pending delivery goes on to the same endpoint (or --webhook-url),
    // signed with its current secret; pending_webhooks follows it again.
    sandbox.onResumeDelivery('casapay', (account, record, endpointId) => {
      const state = casapayAccount(account);
      const eventId = record.event.id;
      const stored = state.events.get(eventId);
      if (stored) this.watch(state, stored);
      const fallback = this.options.webhookSigning ?? 'casapay';
      if (endpointId === null)
        return this.options.webhookUrl === record.target.url
          ? this.target(
              null,
              record.target.url,
              this.options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
              fallback,
              eventId,
            )
          : undefined;
      const endpoint = state.webhookEndpoints.get(endpointId);
      if (!endpoint) return undefined;
      return this.target(
        endpoint.id,
        record.target.url,
        state.webhookSecrets.get(endpoint.id) ?? '',
        endpoint.signature_scheme ?? fallback,
        eventId,
      );
    });
  }

  private target(
    endpointId: string | null,
    url: string,
    secret: string,
    scheme: SignatureScheme,
    eventId: string,
  ): CasaPayTarget {
    const target: CasaPayTarget = {
      resumeAs: { api: 'casapay', ref: endpointId },
      endpointId,
      url,
      secret,
      scheme,
      eventId,
      sign: (body, t) => ({ [SIGNATURE_HEADER]: signatureHeader(body, secret, t) }),
      mutate: this.mutate,
    };
    return target;
  }

  /** Records an event in the account's log; its deliveries start once the operation has completed. */
  record(
    fx: Effects<AccountState>,
    request: ApiEvent['request'],
    type: EventType,
    data: ApiEvent['data'],
    at: number,
  ): ApiEvent {
    const account = fx.account;
    const targets: CasaPayTarget[] = [];
    // The effects' minter (the sandbox's), so a scenario step's `mint: { evt: … }` reaches it.
    const eventId = fx.ids.id('evt');
    const fallback = this.options.webhookSigning ?? 'casapay';
    // values() copies the collection: skip it for the usual account without endpoints.
    if (account.webhookEndpoints.size)
      for (const endpoint of account.webhookEndpoints.values()) {
        if (endpoint.status !== 'enabled') continue;
        if (!subscribes(endpoint.enabled_events, type)) continue;
        targets.push(
          this.target(
            endpoint.id,
            endpoint.url,
            account.webhookSecrets.get(endpoint.id) ?? '',
            endpoint.signature_scheme ?? fallback,
            eventId,
          ),
        );
      }
    if (this.options.webhookUrl)
      targets.push(
        this.target(
          null,
          this.options.webhookUrl,
          this.options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
          fallback,
          eventId,
        ),
      );
    const event: ApiEvent = {
      id: eventId,
      object: 'event',
      type,
      api_version: API_VERSION,
      created: at,
      livemode: account.livemode,
      // Stored objects are never changed in place (updates store a new object), so the event can keep
      // the object as it was at this moment without copying it.
      data,
      request,
      pending_webhooks: targets.length,
    };
    account.events.add(event);
    // Only events with deliveries need finding again (pending_webhooks bookkeeping).
    if (targets.length) this.watch(account, event);
    if (this.options.maxEvents !== undefined) this.keepWindow(account, this.options.maxEvents);
    // An event already out of the window (an operation that emitted more than --max-events) is not delivered.
    fx.deliverLater(event, targets, () => account.events.has(event.id));
    return event;
  }

  /**
   * Events are a window, not a store (Stripe keeps 30 days): beyond `max` the oldest recorded event
   * goes, with its delivery log and its unfinished deliveries (aborted; see DECISIONS.md). Its id then
   * 404s, and as a list cursor it is a 400 naming the cursor.
   */
  private keepWindow(account: AccountState, max: number): void {
    while (account.events.size > max) {
      const oldest = account.events.firstAdded()!;
      account.events.delete(oldest.id);
      this.eventsById.delete(oldest.id);
      this.ownerOf.delete(oldest.id);
      this.sandbox.dispatcher.forgetEvent(oldest.id, account.key);
    }
  }

  /** A new delivery of a stored event to one endpoint, signed with the endpoint's current secret. */
  redeliver(account: AccountState, event: ApiEvent, endpointId: string): WebhookDelivery {
    const { dispatcher } = this.sandbox;
    const endpoint = account.webhookEndpoints.get(endpointId)!;
    // pending_webhooks is kept up to date through eventsById, including for an event that had no delivery until now.
    this.watch(account, event);
    const before = dispatcher.deliveries(event.id).length;
    const target = this.target(
      endpoint.id,
      endpoint.url,
      account.webhookSecrets.get(endpoint.id) ?? '',
      endpoint.signature_scheme ?? this.options.webhookSigning ?? 'casapay',
      event.id,
    );
    dispatcher.deliver(event, [target], undefined, account.key);
    event.pending_webhooks = dispatcher.pendingCount(event.id);
    account.events.touch(event.id);
    return dispatcher.deliveries(event.id)[before]!;
  }

  private unwatch(eventId: string): void {
    this.eventsById.delete(eventId);
    this.ownerOf.delete(eventId);
  }

  /** Keeps the event's pending_webhooks following its deliveries. */
  private watch(account: AccountState, event: ApiEvent): void {
    this.eventsById.set(event.id, event);
    this.ownerOf.set(event.id, account);
  }
}

/** The `request` of an event: one object for every event of an operation (events are immutable, so they can share it). */
export const eventRequest = (request: RequestInfo | null): ApiEvent['request'] => ({
  id: request?.id ?? null,
  idempotency_key: request?.idempotencyKey ?? null,
});
