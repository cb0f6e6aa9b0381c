// What every API's webhook registration shares: the bound on targets per account, and the URL check
// a handler runs before it stores a target (a shared mock refuses non-public URLs, url-guard.ts).
import type { Handler, RequestContext } from '../handler.js';

/** Webhook targets (endpoints, subscriptions) per account, as in Stripe's test mode: each one multiplies every event's deliveries. */
export const MAX_WEBHOOK_ENDPOINTS = 16;

/**
 * The handler, run once the body's `url` (when it has one) passes the webhook URL check, so a refused
 * URL changes nothing. Synchronous when there is nothing to wait for (scenario steps stay synchronous).
 * @example handlers.createWebhookEndpoint = withWebhookUrlCheck(createWebhookEndpoint)
 */
export function withWebhookUrlCheck<C extends RequestContext<any>>(handler: Handler<C>): Handler<C> {
  return (ctx) => {
    const url = (ctx.body as { url?: unknown } | undefined)?.url;
    const pending = typeof url === 'string' ? ctx.checkWebhookUrl(url) : undefined;
    return pending ? pending.then(() => handler(ctx)) : handler(ctx);
  };
}
