// "What did the mock receive?" asked the way WireMock's verify asks it: a request pattern (method,
// path, a subset of the JSON body, an account) matched against the journal. The in-process handle
// (`handle.received(...)`) and `POST /__admin/journal/find` both answer through `findRequests`.
import type { Journal, JournalEntry } from './journal.js';

export interface RequestPattern {
  /** GET, POST, … (any case). */
  method?: string;
  /** The path without the query (`/v1/collection_cases`), the path with its query, or a RegExp tested on the whole URL. */
  path?: string | RegExp;
  /** A JSON value the request body must contain: every field given must be equal; arrays must be equal. */
  body?: unknown;
  /** The full API key whose requests to consider. */
  account?: string;
}

/**
 * Whether `actual` contains `expected`: equal scalars and arrays, and for objects every key of
 * `expected` present in `actual` with a containing value.
 * @example contains({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }) // true
 */
export function contains(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected);
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, i) => contains(actual[i], item))
    );
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  return Object.entries(expected).every(
    ([key, value]) => key in actual && contains((actual as Record<string, unknown>)[key], value),
  );
}

export function matches(entry: JournalEntry, pattern: RequestPattern): boolean {
  if (pattern.method !== undefined && entry.method.toUpperCase() !== pattern.method.toUpperCase()) return false;
  if (pattern.path !== undefined) {
    if (pattern.path instanceof RegExp) {
      if (!pattern.path.test(entry.url)) return false;
    } else if (pattern.path.includes('?') ? entry.url !== pattern.path : entry.url.split('?')[0] !== pattern.path)
      return false;
  }
  if (pattern.body !== undefined && !contains(entry.request.body, pattern.body)) return false;
  return true;
}

/**
 * The journal's requests matching a pattern, in the order they were received (oldest first).
 * @example findRequests(journal, { method: 'POST', path: '/v1/collection_cases', body: { currency: 'eur' } }).length // 1
 */
export function findRequests(journal: Journal, pattern: RequestPattern = {}): JournalEntry[] {
  return findIn(journal.entries(pattern.account === undefined ? {} : { account: pattern.account }), pattern);
}

/** The entries (newest first, as a journal lists them) matching the pattern, oldest first. */
export function findIn(entries: readonly JournalEntry[], pattern: RequestPattern = {}): JournalEntry[] {
  return entries.filter((entry) => matches(entry, pattern)).reverse();
}
