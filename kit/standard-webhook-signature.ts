// Standard Webhooks signatures (https://www.standardwebhooks.com, the open spec behind Svix and others),
// which the mock can send beside or instead of CasaPay's own (`--webhook-signing`, an endpoint's
// `signature_scheme`) and the receiver kit can grade. Headers:
//   webhook-id: <message id: the event id, the same on every retry>
//   webhook-timestamp: <unix seconds>
//   webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>[ v1,<…>…]
// The key is the secret after its `whsec_` prefix, base64-decoded (a CasaPay `whsec_` secret of 32
// letters and digits is valid base64, so one secret serves both schemes).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { realNowSeconds } from './real-time.js';
import { DEFAULT_TOLERANCE_SECONDS, WebhookSignatureError } from './webhook-signature.js';

export const STANDARD_ID_HEADER = 'webhook-id';
export const STANDARD_TIMESTAMP_HEADER = 'webhook-timestamp';
export const STANDARD_SIGNATURE_HEADER = 'webhook-signature';

/**
 * The HMAC key of a Standard Webhooks secret: the text after `whsec_` (optional), base64-decoded.
 * @example standardSecretKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').length // 24
 */
export function standardSecretKey(secret: string): Buffer {
  if (typeof secret !== 'string' || secret === '')
    throw new TypeError('a Standard Webhooks secret must be a non-empty string (whsec_<base64>)');
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/**
 * One `v1,<base64>` signature of `body` (the exact bytes sent) for message `id` at `timestamp`.
 * @example standardSignature('msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw') // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export function standardSignature(
  id: string,
  timestamp: number,
  body: string | Buffer,
  secret: string | Uint8Array,
): string {
  const key = typeof secret === 'string' ? standardSecretKey(secret) : secret;
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')}`;
}

/**
 * The three Standard Webhooks headers for a delivery.
 * @example standardSignatureHeaders('evt_1', '{"id":"evt_1"}', 'whsec_…', 1708732800) // { 'webhook-id': 'evt_1', 'webhook-timestamp': '1708732800', 'webhook-signature': 'v1,…' }
 */
export function standardSignatureHeaders(
  id: string,
  body: string,
  secret: string | Uint8Array,
  timestamp: number,
): Record<string, string> {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new RangeError(`timestamp must be a non-negative integer of Unix seconds, got ${timestamp}`);
  return {
    [STANDARD_ID_HEADER]: id,
    [STANDARD_TIMESTAMP_HEADER]: String(timestamp),
    [STANDARD_SIGNATURE_HEADER]: standardSignature(id, timestamp, body, secret),
  };
}

/**
 * Verifies a Standard Webhooks request: the raw body, its `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` headers, the `whsec_` secret. Any one `v1` signature of the space-separated
 * list suffices; the timestamp must be within `tolerance` seconds of `now` (default the real clock).
 * Throws {@link WebhookSignatureError} or returns true.
 * @example verifyStandardSignature(raw, { id: req.headers['webhook-id'], timestamp: req.headers['webhook-timestamp'], signature: req.headers['webhook-signature'] }, secret)
 */
export function verifyStandardSignature(
  payload: string | Buffer,
  headers: { id?: unknown; timestamp?: unknown; signature?: unknown },
  secret: string,
  tolerance = DEFAULT_TOLERANCE_SECONDS,
  now?: number,
): true {
  const malformed = (why: string) =>
    new WebhookSignatureError('malformed_header', `Malformed Standard Webhooks headers: ${why}.`);
  if (typeof headers.id !== 'string' || headers.id === '') throw malformed('webhook-id is missing');
  if (typeof headers.timestamp !== 'string' || !/^\d+$/.test(headers.timestamp))
    throw malformed('webhook-timestamp is missing or not Unix seconds');
  if (typeof headers.signature !== 'string' || headers.signature.trim() === '')
    throw malformed('webhook-signature is missing');
  const timestamp = Number(headers.timestamp);
  const candidates = headers.signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => s.slice(3));
  if (candidates.length === 0)
    throw new WebhookSignatureError('no_v1_signature', 'No v1 signature in the webhook-signature header.');
  const expected = Buffer.from(standardSignature(headers.id, timestamp, payload, secret).slice(3), 'utf8');
  let matched = false;
  for (const candidate of candidates) {
    const given = Buffer.from(candidate, 'utf8');
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched)
    throw new WebhookSignatureError(
      'no_matching_signature',
      'No v1 signature matches the payload: check the secret (whsec_ + base64) and that the raw body is verified.',
    );
  if (tolerance > 0 && Math.abs((now ?? realNowSeconds()) - timestamp) > tolerance) {
    throw new WebhookSignatureError(
      'timestamp_outside_tolerance',
      `webhook-timestamp ${timestamp} is more than ${tolerance} seconds from now.`,
    );
  }
  return true;
}
