// Webhook subscriptions, the same on both APIs: a partner's (Referral API, case events) and a
// client's (Customer API, every event type). The secret is base64 and shown only at create. A shared
// mock refuses non-public URLs (mocks/engine/webhooks/url-guard.ts), at create and when the test dials.
import { created, ok, type Handler, type RequestContext as HandlerContext } from '../../engine/handler.js';
import { MAX_WEBHOOK_ENDPOINTS, withWebhookUrlCheck } from '../../engine/webhooks/registration.js';
import { BLOCKED_CODE } from '../../engine/webhooks/url-guard.js';
import { monotonicMs, realNowSeconds } from '../../../kit/real-time.js';
import { errors } from '../../engine/errors.js';
import { debituraErrors } from './errors.js';
import { isoNow } from './rules.js';
import { worldOf, type StoredSubscription, type WebhookSubscription } from './state.js';
import type { DebituraRuntime } from './cases.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const TEST_TIMEOUT_MS = 10_000;
/** Subscriptions per account (the partner's and its clients' together), the bound of every API's webhook targets. */
export const MAX_SUBSCRIPTIONS = MAX_WEBHOOK_ENDPOINTS;

/**
 * What a failed test delivery reports: the mock's own words for the kind of failure, never the
 * target's error text (which would make the test route a probe of whatever the URL reaches).
 */
function failureOf(error: unknown, timedOut: boolean): { errorMessage: string; errorCategory: string } {
  if (timedOut)
    return {
      errorMessage: `The endpoint did not answer within ${TEST_TIMEOUT_MS / 1000} seconds.`,
      errorCategory: 'TimeoutError',
    };
  const code = String(
    (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code ?? '',
  );
  if (code === BLOCKED_CODE)
    return {
      errorMessage: "The endpoint's address is not public, and this mock delivers only to public addresses.",
      errorCategory: 'NetworkError',
    };
  if (/CERT|TLS|SSL/i.test(code))
    return { errorMessage: 'The TLS handshake with the endpoint failed.', errorCategory: 'SslError' };
  return { errorMessage: 'The endpoint could not be reached.', errorCategory: 'NetworkError' };
}

/** HTTPS (Debitura's rule), or plain http to this machine so local receivers work against the mock. */
function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw errors.parameterInvalid('url', 'must be an absolute URL.');
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return value;
  throw errors.parameterInvalid('url', 'must use https (http is accepted only for localhost receivers of the mock).');
}

export interface SubscriptionApi {
  /** Who owns the subscriptions of this API for the caller: `partner`, or the caller's client id. */
  owner(ctx: HandlerContext): string;
  events: readonly string[];
  names: { create: string; list: string; get?: string; remove: string; test?: readonly string[] };
  /** What a test delivery carries. */
  samplePayload(ctx: HandlerContext, stored: StoredSubscription): unknown;
}

export function subscriptionHandlers(rt: DebituraRuntime, api: SubscriptionApi): Record<string, Handler> {
  const mine = (ctx: HandlerContext, id: string): StoredSubscription => {
    const stored = worldOf(ctx.account).subscriptions.get(id);
    if (!stored || stored.owner !== api.owner(ctx)) throw debituraErrors.notFound('webhook subscription', id);
    return stored;
  };
  const shown = (stored: StoredSubscription) => ({ ...stored.subscription, secret: null });

  const create: Handler = (ctx) => {
    const { url, events, isTestMode } = ctx.body as { url: string; events: string[]; isTestMode?: boolean };
    const unknown = events.find((e) => !api.events.includes(e));
    if (unknown !== undefined)
      throw errors.parameterInvalid('events', `'${unknown}' is not an event type here; use ${api.events.join(', ')}.`);
    const checked = checkedUrl(url);
    if (worldOf(ctx.account).subscriptions.size >= MAX_SUBSCRIPTIONS) {
      throw errors.limitReached(
        'webhook subscriptions',
        MAX_SUBSCRIPTIONS,
        'This one has that many: delete one (DELETE /webhooks/{id}) before creating another.',
      );
    }
    const now = isoNow(ctx);
    const secret = Buffer.from(ctx.ids.secret('')).toString('base64');
    const subscription: WebhookSubscription = {
      id: ctx.ids.uuid(),
      url: checked,
      events: [...new Set(events)],
      isActive: true,
      createdUtc: now,
      updatedUtc: now,
      disabledReason: null,
      secret: null,
      isTestMode: isTestMode ?? false,
    };
    worldOf(ctx.account).subscriptions.set(subscription.id, { subscription, secret, owner: api.owner(ctx) });
    return created({ ...subscription, secret });
  };

  const list: Handler = (ctx) => {
    const owner = api.owner(ctx);
    return ok([...worldOf(ctx.account).subscriptions.values()].filter((s) => s.owner === owner).map(shown));
  };

  const remove: Handler = (ctx) => {
    mine(ctx, ctx.params.id!);
    worldOf(ctx.account).subscriptions.delete(ctx.params.id!);
    return { status: 204, body: undefined };
  };

  /** One signed delivery, now, reported back (not retried, not logged as an event). */
  const test: Handler = async (ctx) => {
    const stored = mine(ctx, ctx.params.id!);
    const payload = api.samplePayload(ctx, stored);
    const body = JSON.stringify(payload);
    const started = monotonicMs();
    // Receivers check `t` against their real clock, as for every delivery (see the dispatcher).
    const signature = rt.sign(
      body,
      realNowSeconds(),
      stored.secret,
      (payload as { event?: string }).event ?? 'webhook.test',
    );
    const headers = { 'Content-Type': 'application/json', 'User-Agent': rt.userAgent, ...signature };
    const signal = AbortSignal.timeout(TEST_TIMEOUT_MS);
    try {
      const response = await rt.send(stored.subscription.url!, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      const success = response.status >= 200 && response.status < 300;
      return ok({
        success,
        httpStatusCode: response.status,
        durationMs: Math.round(monotonicMs() - started),
        errorMessage: success ? null : `The endpoint answered ${response.status}.`,
        errorCategory: success ? null : 'HttpError',
        testPayload: payload,
      });
    } catch (error) {
      const timedOut = signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError';
      return ok({
        success: false,
        httpStatusCode: null,
        durationMs: Math.round(monotonicMs() - started),
        ...failureOf(error, timedOut),
        testPayload: payload,
      });
    }
  };

  const handlers: Record<string, Handler> = {
    [api.names.create]: withWebhookUrlCheck(create),
    [api.names.list]: list,
    [api.names.remove]: remove,
  };
  if (api.names.get) handlers[api.names.get] = (ctx) => ok(shown(mine(ctx, ctx.params.id!)));
  for (const name of api.names.test ?? []) handlers[name] = test;
  return handlers;
}
