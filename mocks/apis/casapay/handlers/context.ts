// What CasaPay's handlers receive: the engine's request context (engine/handler.ts) with CasaPay's
// account and its effects — events recorded and delivered (`emit`), redelivery, delivery logs and test
// clocks. Handlers never import singletons, so the same handler serves a request, a scenario step or a test.
import type { components } from '../../../../generated/casapay.js';
import type { Effects as EngineEffects, HandlerResult, RequestContext } from '../../../engine/handler.js';
import type { WebhookDelivery } from '../../../engine/webhooks/dispatcher.js';
import type { AccountState, ApiEvent } from '../state.js';

export type { Caller, HandlerResult, UploadedFile } from '../../../engine/handler.js';
export { created, ok } from '../../../engine/handler.js';

export type EventType = components['schemas']['EventType'];

/** An object events can carry: every resource has `object` and `id`. */
export interface EventSubject {
  object: string;
  id: string;
}

/** The side effects a CasaPay operation may have, whether a request or the clock caused it. */
export interface Effects extends EngineEffects<AccountState> {
  /** Records an event (stored at once, delivered after the operation completes) and returns it. */
  emit(type: EventType, subject: EventSubject, previous?: Record<string, unknown>, at?: number): ApiEvent;
  /** Sends a stored event again to one of the account's endpoints, as a new delivery (starts at once). */
  redeliver(event: ApiEvent, endpointId: string): components['schemas']['WebhookDelivery'];
}

export interface HandlerContext extends RequestContext<AccountState>, Effects {
  /** The delivery log of an event, one entry per endpoint it was sent to. */
  deliveries(eventId: string): WebhookDelivery[];
  /** Moves a test clock to `to`, running everything due on it in time order. */
  advanceTestClock(clockId: string, to: number): void;
}

export type Handler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;
