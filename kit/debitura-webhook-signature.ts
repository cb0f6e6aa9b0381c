// Debitura's webhook signature, as Debitura's docs give it: the mock signs with it, the suite and
// receivers verify with it (package export `casapay-contract-kit/debitura/webhooks`). Headers:
//   X-Debitura-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(base64-decoded secret, "<t>.<raw body>")>
//   X-Debitura-Timestamp: <t>        X-Debitura-Event: <event type>
// CasaPay's `t=…,v1=…` scheme keyed with the decoded bytes of the subscription's base64 secret, so the
// work is webhook-signature.ts's. Receivers compare in constant time and reject |now − t| > 300 s.
import {
  DEFAULT_TOLERANCE_SECONDS,
  signatureHeader,
  verifySignature,
  WebhookSignatureError,
} from './webhook-signature.js';

// Re-exported so a receiver catching failures needs only this module.
export { DEFAULT_TOLERANCE_SECONDS, WebhookSignatureError, type WebhookSignatureFailure } from './webhook-signature.js';

export const DEBITURA_SIGNATURE_HEADER = 'X-Debitura-Signature';

/**
 * The three headers of a Debitura delivery of `body` (the exact bytes sent), signed at `t` (Unix
 * seconds) with the subscription's base64 secret.
 * @example signDebitura('{"event":"case.created"}', 1708732800, 'c2VjcmV0LWtleS1ieXRlcy0wMTIz', 'case.created') // { 'X-Debitura-Signature': 't=1708732800,v1=…', 'X-Debitura-Timestamp': '1708732800', 'X-Debitura-Event': 'case.created' }
 */
export function signDebitura(body: string, t: number, secretBase64: string, type: string): Record<string, string> {
  return {
    [DEBITURA_SIGNATURE_HEADER]: signatureHeader(body, Buffer.from(secretBase64, 'base64'), t),
    'X-Debitura-Timestamp': String(t),
    'X-Debitura-Event': type,
  };
}

/**
 * Checks a Debitura webhook: the raw body, the X-Debitura-Signature header and the subscription's
 * base64 secret. Throws WebhookSignatureError (the reason in `reason`) or returns true.
 * @example verifyDebituraSignature(rawBody, req.headers['x-debitura-signature'], subscription.secret)
 */
export function verifyDebituraSignature(
  payload: string | Buffer,
  header: string,
  secretBase64: string,
  tolerance = DEFAULT_TOLERANCE_SECONDS,
  now?: number,
): true {
  if (typeof secretBase64 !== 'string' || secretBase64 === '')
    throw new TypeError("verifyDebituraSignature: secret must be the subscription's base64 secret");
  try {
    return verifySignature(payload, header, Buffer.from(secretBase64, 'base64'), tolerance, now);
  } catch (error) {
    if (error instanceof WebhookSignatureError)
      throw new WebhookSignatureError(
        error.reason,
        error.message.replace('X-CasaPay-Signature', DEBITURA_SIGNATURE_HEADER),
      );
    throw error;
  }
}
