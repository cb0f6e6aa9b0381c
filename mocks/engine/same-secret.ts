// Comparing a secret someone sent with the one expected, without leaking either through timing.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Constant-time comparison (of digests, so lengths do not leak either).
 * @example sameSecret('key_1', 'key_1') // true
 */
export const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));
