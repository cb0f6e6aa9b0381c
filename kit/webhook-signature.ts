// Webhook signing (the mock) and verification (receivers import verifySignature from the kit).
// Header format: `X-CasaPay-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]` where each hex is
// lowercase HMAC-SHA256(secret, "<t>.<raw body>"). Several `v1` entries appear while a secret is
// rotated; any one matching is enough. Unknown schemes (`v0=`, …) are ignored, as in Stripe's scheme.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { realNowSeconds } from './real-time.js';

/** Default accepted distance between the header's `t` and the receiver's clock, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Which verification rule failed; `message` says the same in words. */
export type WebhookSignatureFailure =
  'malformed_header' | 'no_v1_signature' | 'timestamp_outside_tolerance' | 'no_matching_signature';

/**
 * Thrown by {@link verifySignature} when a webhook request must be rejected (answer it with 400).
 * @example
 * try { verifySignature(raw, header, secret); }
 * catch (err) { if (err instanceof WebhookSignatureError) console.log(err.reason); }
 */
export class WebhookSignatureError extends Error {
  override readonly name = 'WebhookSignatureError';
  constructor(
    readonly reason: WebhookSignatureFailure,
    message: string,
  ) {
    super(message);
  }
}

function hmacHex(payload: string | Buffer, secret: string | Uint8Array, timestamp: number): string {
  // Two updates instead of a concatenation: a Buffer payload is hashed byte for byte, never re-decoded.
  return createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');
}

/**
 * The `X-CasaPay-Signature` value for `payload` (the exact bytes that are sent) signed at `timestamp`.
 * @example
 * signatureHeader('{"id":"evt_1"}', 'whsec_test', 1708732800); // 't=1708732800,v1=…64 hex…'
 */
export function signatureHeader(payload: string, secret: string | Uint8Array, timestamp: number): string {
  // A fractional or negative t would not match the contract's `^t=\d+` pattern.
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new RangeError(`timestamp must be a non-negative integer of Unix seconds, got ${timestamp}`);
  return `t=${timestamp},v1=${hmacHex(payload, secret, timestamp)}`;
}

interface ParsedHeader {
  timestamp: number;
  v1: string[];
}

function parseHeader(header: unknown): ParsedHeader {
  const malformed = (why: string) =>
    new WebhookSignatureError(
      'malformed_header',
      `Malformed X-CasaPay-Signature header: ${why}. Expected "t=<unix seconds>,v1=<hex>".`,
    );
  if (typeof header !== 'string')
    throw malformed(
      header === undefined
        ? 'the header is missing'
        : `expected a string, got ${Array.isArray(header) ? 'several headers' : typeof header}`,
    );
  if (header.trim() === '') throw malformed('the header is empty');
  let timestamp: number | undefined;
  const v1: string[] = [];
  for (const raw of header.split(',')) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (eq <= 0) throw malformed(`"${part}" is not a key=value pair`);
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 't') {
      if (timestamp !== undefined) throw malformed('"t" appears more than once');
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
        throw malformed(`"t=${value}" is not a Unix timestamp in seconds`);
      timestamp = Number(value);
    } else if (key === 'v1') {
      v1.push(value);
    }
    // Other schemes (v0, future versions) are skipped so a new scheme can be added without breaking receivers.
  }
  if (timestamp === undefined) throw malformed('no "t=" timestamp');
  return { timestamp, v1 };
}

/**
 * Verifies a webhook request; returns `true` or throws {@link WebhookSignatureError}.
 * Pass the raw request body (before any JSON parsing), the `X-CasaPay-Signature` header and the
 * endpoint's `whsec_…` secret. Checks, in order: the header parses, it has a `v1` entry, one `v1`
 * matches (constant-time compare), and `t` is within `tolerance` seconds of `now` (`0` disables
 * that check). The signature is checked before the timestamp so a "too old" verdict is only ever
 * given for an authentic request. `now` defaults to the real clock, in Unix seconds.
 * @example
 * const raw = await readRawBody(req); // Buffer
 * verifySignature(raw, req.headers['x-casapay-signature'] as string, process.env.CASAPAY_WEBHOOK_SECRET!);
 * const event = JSON.parse(raw.toString('utf8'));
 */
export function verifySignature(
  payload: string | Buffer,
  header: string,
  secret: string | Uint8Array,
  tolerance = DEFAULT_TOLERANCE_SECONDS,
  now?: number,
): true {
  // Programmer errors, not bad requests: an empty secret would let anyone forge signatures.
  if (!(typeof secret === 'string' || secret instanceof Uint8Array) || secret.length === 0)
    throw new TypeError(
      "verifySignature: secret must be a non-empty string (the endpoint's whsec_… secret) or key bytes",
    );
  if (!Number.isFinite(tolerance) || tolerance < 0)
    throw new RangeError(`verifySignature: tolerance must be a non-negative number of seconds, got ${tolerance}`);
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload))
    throw new TypeError('verifySignature: payload must be the raw body as a string or Buffer, not a parsed object');

  const { timestamp, v1 } = parseHeader(header);
  if (v1.length === 0)
    throw new WebhookSignatureError(
      'no_v1_signature',
      'No v1 signature in the X-CasaPay-Signature header (only "t" or unknown schemes were present).',
    );

  const expected = Buffer.from(hmacHex(payload, secret, timestamp), 'utf8');
  let matched = false;
  for (const candidate of v1) {
    const given = Buffer.from(candidate, 'utf8');
    // timingSafeEqual throws on unequal lengths; the length is public (always 64 hex), so checking it first leaks nothing.
    // No early exit: every candidate is compared so timing does not reveal which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) {
    throw new WebhookSignatureError(
      'no_matching_signature',
      `No v1 signature matches the payload (${v1.length} checked). Check the endpoint secret and that the raw body is verified before any parsing or re-serialising.`,
    );
  }

  if (tolerance > 0) {
    const current = now ?? realNowSeconds(); // receivers compare with their own (real) clock
    const skew = current - timestamp;
    if (Math.abs(skew) > tolerance) {
      const direction = skew > 0 ? `${skew} seconds old` : `${-skew} seconds in the future`;
      throw new WebhookSignatureError(
        'timestamp_outside_tolerance',
        `Timestamp outside the tolerance: t=${timestamp} is ${direction}, more than the ${tolerance} seconds allowed (a replay, or clocks out of sync).`,
      );
    }
  }
  return true;
}

/**
 * {@link verifySignature} as a boolean: `false` for any {@link WebhookSignatureError}; misuse (an
 * empty secret, a negative tolerance) still throws.
 * @example
 * if (!isValidSignature(raw, header, secret)) return res.writeHead(400).end();
 */
export function isValidSignature(
  payload: string | Buffer,
  header: string,
  secret: string | Uint8Array,
  tolerance = DEFAULT_TOLERANCE_SECONDS,
  now?: number,
): boolean {
  try {
    return verifySignature(payload, header, secret, tolerance, now);
  } catch (err) {
    if (err instanceof WebhookSignatureError) return false;
    throw err;
  }
}
