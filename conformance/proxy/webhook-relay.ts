// `--webhook-listen <port> --forward-to <receiver URL> [--webhook-secret whsec_…]`: deliveries from the
// implementation arrive here (register http://127.0.0.1:<port>/<any path> as the endpoint URL), are
// checked — the signature with the kit's own verifiers (kit/webhook-signature.ts, Debitura's), the payload
// against the contract's `webhooks` schema of its type plus the additive policy (support/warnings.ts),
// the order per object — and are forwarded byte for byte to the real receiver, whose answer goes back to
// the implementation unchanged. Findings use the suite's rule ids (hook.signature, hook.payload,
// hook.order) and join the session's groups under `webhook <type>`. Why a relay rather than rewriting
// registered endpoint URLs: DECISIONS.md, "The proxy relays webhooks".
import { verifyDebituraSignature } from '../../kit/debitura-webhook-signature.js';
import { describeErrors } from '../../kit/contract.js';
import { verifySignature, WebhookSignatureError } from '../../kit/webhook-signature.js';
import { contract } from '../support/contract.js';
import { debituraContract } from '../support/debitura-contracts.js';
import { eventWarnings } from '../support/warnings.js';
import type { CapturedExchange, CheckedExchange, Finding, ProxyApi } from './exchange-check.js';
import { startProxyServer, type RunningProxy } from './proxy-server.js';

export interface WebhookRelayOptions {
  api: ProxyApi;
  port: number;
  forwardTo: string;
  /**
   * The secrets deliveries may be signed with: `--webhook-secret`, and every endpoint secret the proxy saw
   * handed out for an endpoint at the relay's address. None: signatures are not checked.
   */
  secrets: () => readonly string[];
  strict: boolean;
  maxBodyBytes: number;
  maxConcurrent: number;
  timeoutMs: number;
  /** A delivery, checked. */
  onDelivery(exchange: CapturedExchange, checked: CheckedExchange): void;
}

/** Objects whose last event time the relay remembers (order per object); the oldest are forgotten first. */
export const MAX_TRACKED_OBJECTS = 10_000;

/**
 * Checks one delivery (the request the implementation sent). Exported for the tests.
 * @example deliveryChecker({ api: 'casapay', secrets: () => ['whsec_…'], strict: false })(captured) // { operationId: 'webhook collection_case.created', findings: [] }
 */
export function deliveryChecker(
  options: Pick<WebhookRelayOptions, 'api' | 'secrets' | 'strict'> & { maxTrackedObjects?: number },
) {
  const maxTracked = options.maxTrackedObjects ?? MAX_TRACKED_OBJECTS;
  const lastSeen = new Map<string, { created: number; type: string }>();
  return (exchange: CapturedExchange): CheckedExchange => {
    const findings: Finding[] = [];
    const raw = exchange.requestBody;
    let event: Record<string, any> | undefined;
    try {
      event = raw ? (JSON.parse(raw.toString('utf8')) as Record<string, any>) : undefined;
    } catch {
      event = undefined;
    }
    const type = String(event?.type ?? event?.event ?? 'unknown');
    const operationId = `webhook ${type}`;
    const add = (rule: string, severity: Finding['severity'], message: string, path?: string) =>
      findings.push({ operationId, rule, severity, message, ...(path ? { path } : {}) });
    if (exchange.method !== 'POST' || !event || typeof event !== 'object')
      add(
        'hook.payload',
        'error',
        `a delivery must be a JSON POST (got ${exchange.method}, ${raw ? 'a body that is not JSON' : 'no body'})`,
      );
    const secrets = options.secrets();
    if (secrets.length && raw) {
      const header =
        options.api === 'debitura'
          ? exchange.requestHeaders['x-debitura-signature']
          : exchange.requestHeaders['x-casapay-signature'];
      let failure: string | undefined;
      for (const secret of secrets) {
        try {
          if (!header) throw new WebhookSignatureError('no_v1_signature', 'the delivery carries no signature header');
          if (options.api === 'debitura') verifyDebituraSignature(raw, header, secret);
          else verifySignature(raw, header, secret);
          failure = undefined;
          break;
        } catch (error) {
          if (!(error instanceof WebhookSignatureError)) throw error;
          failure ??= error.message;
        }
      }
      if (failure) add('hook.signature', 'error', failure);
    }
    if (event && options.api === 'casapay') {
      const validate = contract().webhookValidator(type);
      if (validate && !validate(event))
        add(
          'hook.payload',
          'error',
          `${type} does not match its webhook payload schema: ${describeErrors(validate.errors)}`,
        );
      else
        for (const w of eventWarnings(event, operationId, null, ''))
          add(
            w.rule,
            options.strict ? 'error' : 'warning',
            options.strict ? `${w.message} (--strict)` : w.message,
            w.path,
          );
      // Order is promised per object: an event older than the last one delivered for its object is out of order.
      const objectId = event.data?.object?.id as string | undefined;
      const created = typeof event.created === 'number' ? event.created : undefined;
      if (objectId && created !== undefined) {
        const last = lastSeen.get(objectId);
        if (last && created < last.created)
          add(
            'hook.order',
            'error',
            `${type} (created ${created}) arrived after ${last.type} (created ${last.created}) for ${objectId}`,
          );
        else {
          lastSeen.delete(objectId);
          if (lastSeen.size >= maxTracked) lastSeen.delete(lastSeen.keys().next().value!);
          lastSeen.set(objectId, { created, type });
        }
      }
    } else if (event && options.api === 'debitura') {
      const validate = debituraContract('referral').webhookValidator(type);
      if (validate && !validate(event))
        add(
          'hook.payload',
          'error',
          `${type} does not match its webhook payload schema: ${describeErrors(validate.errors)}`,
        );
    }
    return { operationId, route: `POST (webhook) ${type}`, findings };
  };
}

/**
 * Starts the relay on 127.0.0.1.
 * @example await startWebhookRelay({ api: 'casapay', port: 4021, forwardTo: 'http://127.0.0.1:3000/webhooks', … })
 */
export async function startWebhookRelay(options: WebhookRelayOptions): Promise<RunningProxy> {
  const check = deliveryChecker(options);
  const forward = new URL(options.forwardTo);
  // Deliveries keep their own path under the relay: /hooks → <forward-to>/hooks when forward-to is an origin.
  return startProxyServer({
    targetUrl: forward.pathname === '/' ? forward.origin : forward.href,
    pathOf: forward.pathname === '/' ? undefined : () => '',
    port: options.port,
    maxBodyBytes: options.maxBodyBytes,
    maxConcurrent: options.maxConcurrent,
    timeoutMs: options.timeoutMs,
    keepMultipart: false,
    onExchange: (exchange) => options.onDelivery(exchange, check(exchange)),
  });
}
