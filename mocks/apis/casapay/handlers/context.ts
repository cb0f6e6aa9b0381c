// What every handler receives and returns. Handlers never import singletons: the account, the clock,
// id minting and event emission all arrive here, so the same handler serves a request, a scenario
// step or a test.
import type { components } from '../../../../generated/casapay.js';
import type { AccountState, ApiEvent } from '../../../engine/state/store.js';
import type { IdMinter } from '../../../engine/state/ids.js';
import type { Contract } from '../../../../kit/contract.js';

export type EventType = components['schemas']['EventType'];

/** An object events can carry: every resource has `object` and `id`. */
export interface EventSubject {
  object: string;
  id: string;
}

/** The side effects a domain operation may have, whether a request or the clock caused it. */
export interface Effects {
  account: AccountState;
  ids: IdMinter;
  /** Now, in Unix seconds, on the given test clock (or the account's clock for null/undefined). */
  now(testClock?: string | null): number;
  /** Records an event (stored at once, delivered after the operation completes) and returns it. */
  emit(type: EventType, subject: EventSubject, previous?: Record<string, unknown>, at?: number): ApiEvent;
  /**
   * Runs the task of `kind` (a runner in mocks/apis/casapay/handlers/tasks.ts) with `params` when the (test) clock
   * reaches `at`. Tasks are data: params hold ids and values, never objects or functions.
   */
  schedule(at: number, testClock: string | null, kind: string, params: Record<string, unknown>, description: string): void;
  /** Sends a stored event again to one of the account's endpoints, as a new delivery (starts at once). */
  redeliver(event: ApiEvent, endpointId: string): components['schemas']['WebhookDelivery'];
  /** Runs `effect` once the operation has completed (after the response is written), like emitted events. */
  afterResponse(effect: () => void): void;
  /**
   * Whether a webhook URL may be registered (mocks/engine/webhooks/url-guard.ts): throws the 400 naming `url`,
   * or returns a promise when DNS must tell (rejected with that 400), or undefined when it may.
   */
  checkWebhookUrl(url: string): Promise<void> | undefined;
}

export interface UploadedFile {
  filename: string;
  buffer: Buffer;
}

/** Who a request's credentials stand for within the account: Debitura's token names one linked client. */
export interface Caller {
  /** How the caller authenticated: an API key, or a bearer token minted for one client. */
  via: 'api_key' | 'bearer';
  /** The client (creditor) the request acts for, when the credentials name one. */
  clientId?: string;
}

export interface HandlerContext extends Effects {
  params: Record<string, string>;
  /** Query parameters, validated against the contract and coerced to their types. */
  query: Record<string, any>;
  /** The JSON body (or multipart fields), validated against the contract. */
  body: any;
  file?: UploadedFile;
  caller?: Caller;
  /** The request path without its query, for list objects' `url`. */
  path: string;
  contract: Contract;
  /** The delivery log of an event, one entry per endpoint it was sent to. */
  deliveries(eventId: string): components['schemas']['WebhookDelivery'][];
  /** Moves a test clock to `to`, running everything due on it in time order. */
  advanceTestClock(clockId: string, to: number): void;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  /** Non-JSON responses (file downloads). */
  raw?: { contentType: string; data: Buffer; filename: string };
}

export type Handler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;

export const ok = (body: unknown): HandlerResult => ({ status: 200, body });
export const created = (body: unknown): HandlerResult => ({ status: 201, body });
