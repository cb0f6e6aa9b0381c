// What every handler of every API receives and returns, as far as the engine knows it. Handlers never
// import singletons: the account, the clock, id minting and scheduling arrive here, so the same handler
// serves a request, a scenario step or a test. An API extends the context with its own effects (CasaPay's
// `emit` of events, for one) in its module.
import type { Contract } from '../../kit/contract.js';
import type { Account } from './state/accounts.js';
import type { IdMinter } from './state/ids.js';
import type { DeliveryTarget, DispatchableEvent } from './webhooks/dispatcher.js';

/** The side effects a domain operation may have, whether a request or the clock caused it. */
export interface Effects<A extends Account = Account> {
  account: A;
  ids: IdMinter;
  /** Now, in Unix seconds, on the given named clock (an API's test clock) or the account's clock for null/undefined. */
  now(clock?: string | null): number;
  /**
   * Runs the task of `kind` (a runner defined on the sandbox's `tasks`) with `params` when the (named)
   * clock reaches `at`. Tasks are data: params hold ids and values, never objects or functions.
   */
  schedule(at: number, clock: string | null, kind: string, params: Record<string, unknown>, description: string): void;
  /** Runs `effect` once the operation has completed (after the response is written), after the deliveries. */
  afterResponse(effect: () => void): void;
  /**
   * Delivers `event` to `targets` once the operation has completed, unless `keep()` then says no (an event
   * already dropped). Events with the same `orderKey` (default the event's `data.object.id`) reach a URL in order.
   */
  deliverLater(event: DispatchableEvent, targets: DeliveryTarget[], keep?: () => boolean, orderKey?: string): void;
  /**
   * Whether a webhook URL may be registered (engine/webhooks/url-guard.ts): throws the 400 naming `url`,
   * or returns a promise when DNS must tell (rejected with that 400), or undefined when it may.
   */
  checkWebhookUrl(url: string): Promise<void> | undefined;
}

export interface UploadedFile {
  filename: string;
  buffer: Buffer;
}

/** Who a request's credentials stand for within the account (a bearer token may name one client of it). */
export interface Caller {
  /** How the caller authenticated: an API key, or a bearer token minted for one client. */
  via: 'api_key' | 'bearer';
  /** The client (creditor) the request acts for, when the credentials name one. */
  clientId?: string;
}

/** The request as the pipeline hands it over: validated against the contract. */
export interface RequestContext<A extends Account = Account> extends Effects<A> {
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
  /** The request's id and Idempotency-Key, for what the API records about it (CasaPay's events). */
  request: RequestInfo;
}

export interface RequestInfo {
  id: string | null;
  idempotencyKey: string | null;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  /** Non-JSON responses (file downloads). */
  raw?: { contentType: string; data: Buffer; filename: string };
}

export type Handler<C extends RequestContext<any> = RequestContext> = (
  ctx: C,
) => HandlerResult | Promise<HandlerResult>;

export const ok = (body: unknown): HandlerResult => ({ status: 200, body });
export const created = (body: unknown): HandlerResult => ({ status: 201, body });
