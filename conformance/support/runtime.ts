// The suite's only source of real time and randomness. Everything else asks here, so a run's
// nondeterminism is in one place: fresh account keys, idempotency keys and wall-clock readings.
// The clock readings are the kit's (kit/real-time.ts), the same the mock signs webhooks with.
import { randomBytes } from 'node:crypto';
import { realNowMs } from '../../kit/real-time.js';

/** Real time in Unix seconds; real time in milliseconds (durations); a monotonic clock in milliseconds. */
export { realNowSeconds, realNowMs, monotonicMs } from '../../kit/real-time.js';

/**
 * A random token of letters and digits, for keys that must not collide across runs.
 * @example randomToken(12) // 'k3P9xQ2mZ7aB'
 */
export function randomToken(length = 16): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** A fresh test-mode API key; on targets where each key is its own account this is an empty account. */
export const freshApiKey = (): string => `sk_test_conf_${randomToken(20)}`;

/** A unique Idempotency-Key. */
export const freshIdempotencyKey = (): string => `conf-${randomToken(24)}`;

/** The current time as an ISO string, for report timestamps. */
export const realNowIso = (): string => new Date(realNowMs()).toISOString();
