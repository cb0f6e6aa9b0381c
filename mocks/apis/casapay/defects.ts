// Deliberate implementation defects, off by default (`--defect NAME`). They exist to prove the
// conformance suite catches real mistakes: each one breaks the mock the way a vendor's
// implementation might, and a test asserts the suite fails on it.

import { realNowSeconds } from '../../../kit/real-time.js';
import type { SandboxEdges } from '../../engine/sandbox.js';

export const DEFECTS = {
  'missing-required-field': 'collection case responses omit the required `reference`',
  'wrong-type': '`amount_to_recover` is returned as a string',
  'wrong-status-code': 'creates answer 200 instead of 201',
  'has-more-wrong': 'list `has_more` is always false',
  'filter-ignored': 'the `status` filter of GET /v1/collection_cases is ignored',
  'cursor-ignored': '`starting_after` and `ending_before` are ignored',
  'idempotency-ignored': 'Idempotency-Key is ignored: retries create duplicates',
  '500-on-bad-input': 'validation failures answer 500 instead of 400',
  'flat-error-body': 'errors are `{message, code}` without the `error` envelope',
  'unsigned-webhook': 'webhooks are sent without X-CasaPay-Signature',
  'mis-signed-webhook': 'webhooks are signed with the wrong secret',
  'stale-webhook-timestamp': 'the signature\'s `t` is 10 minutes old (outside the 300 s tolerance receivers allow)',
  'missing-event': '`debt_payment.created` is never emitted',
  'remainder-not-updated': 'debt payments do not lower the case remainder',
  'auth-ignored': 'requests without an API key are accepted',
  'cross-account-leak': 'every API key sees the same account',
  'file-limit-ignored': 'uploads over 25 MB are accepted',
} as const;

export type DefectName = keyof typeof DEFECTS;

/** How old the stale-webhook-timestamp defect makes `t`: past the 300 s receivers allow. */
const STALE_SIGNATURE_SECONDS = 600;

/**
 * The sandbox's edges the defects bend, chosen once at start: the signatures' `t` (stale-webhook-timestamp).
 * @example sandboxEdgesFor(parseDefects(['stale-webhook-timestamp'])).signingTime!() // ten minutes ago
 */
export function sandboxEdgesFor(defects: Defects): Pick<SandboxEdges, 'signingTime'> {
  return defects.has('stale-webhook-timestamp') ? { signingTime: () => realNowSeconds() - STALE_SIGNATURE_SECONDS } : {};
}

export type Defects = ReadonlySet<DefectName>;

export const NO_DEFECTS: Defects = new Set();

/**
 * The names of a table (defects, variants) chosen on the command line or in options, refusing unknown ones.
 * @example namesOf(DEFECTS, ['wrong-type'], 'defect') // Set { 'wrong-type' }
 */
export function namesOf<T extends Record<string, string>>(table: T, names: readonly string[], kind: string): ReadonlySet<keyof T & string> {
  const unknown = names.filter((n) => !(n in table));
  if (unknown.length) throw new Error(`Unknown ${kind}(s): ${unknown.join(', ')}. Known: ${Object.keys(table).join(', ')}.`);
  return new Set(names as Array<keyof T & string>);
}

/** Validates defect names from the command line or options. */
export function parseDefects(names: readonly string[] = []): Defects {
  return namesOf(DEFECTS, names, 'defect');
}
