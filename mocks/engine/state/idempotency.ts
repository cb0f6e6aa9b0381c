// Idempotency-Key handling (POST only), Stripe's rules: the first result is kept for 24 hours;
// the same key and body replays it; the same key with another body is refused; the same key while
// the first request is still running answers 409. Requests that fail validation are never stored.
// Per account at most --max-idempotency-keys are kept: beyond it the oldest completed key goes first.
import { createHash } from 'node:crypto';

export const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

interface Entry {
  fingerprint: string;
  storedAt: number;
  response?: StoredResponse;
}

/** A completed key as a store keeps it (one still in flight is not kept: its request was never answered). */
export type StoredIdempotency = Required<Entry>;

export type IdempotencyOutcome =
  { kind: 'new' } | { kind: 'replay'; response: StoredResponse } | { kind: 'mismatch' } | { kind: 'in_flight' };

/** A stable hash of what the request asked for: method, path and a canonical form of the body. */
export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest('hex');
}

function canonical(value: unknown): string {
  if (Buffer.isBuffer(value)) return `buffer:${createHash('sha256').update(value).digest('hex')}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Idempotency keys kept per account when the mock is shared and no --max-idempotency-keys is given. */
export const DEFAULT_SHARED_MAX_IDEMPOTENCY_KEYS = 10_000;

export class IdempotencyCache {
  /** Scope (account key) → its keys, in the order they were stored (a key stored again moves to the end). */
  private readonly scopes = new Map<string, Map<string, Entry>>();

  /**
   * `maxPerScope` bounds the keys kept per account: beyond it the oldest completed key is forgotten
   * (its retry then runs afresh, as after Stripe's 24 hours); a key still in flight is never forgotten.
   */
  /** Told each (scope, key) whose record changed (a durable store's change tracking; unset in memory). */
  onChange: ((scope: string, key: string) => void) | undefined;

  constructor(
    private readonly nowMs: () => number,
    readonly maxPerScope?: number,
  ) {}

  /** The completed record of a key, as a store keeps it; undefined while in flight or when gone. */
  stored(scope: string, key: string): StoredIdempotency | undefined {
    const entry = this.scopes.get(scope)?.get(key);
    return entry?.response ? (entry as StoredIdempotency) : undefined;
  }

  /** Puts a stored record back (loading from a store), telling no one. */
  restore(scope: string, key: string, entry: StoredIdempotency): void {
    let entries = this.scopes.get(scope);
    if (!entries) this.scopes.set(scope, (entries = new Map()));
    entries.delete(key);
    entries.set(key, { ...entry });
  }

  /** Looks the key up and, when it is new, reserves it (in flight) until `complete` or `release`. */
  begin(scope: string, key: string, print: string): IdempotencyOutcome {
    let entries = this.scopes.get(scope);
    const entry = entries?.get(key);
    const now = this.nowMs();
    if (entry && now - entry.storedAt < RETENTION_MS) {
      if (entry.fingerprint !== print) return { kind: 'mismatch' };
      return entry.response ? { kind: 'replay', response: entry.response } : { kind: 'in_flight' };
    }
    if (!entries) this.scopes.set(scope, (entries = new Map()));
    // Deleted first so the Map's order stays storing order (an expired key stored again is the newest).
    entries.delete(key);
    entries.set(key, { fingerprint: print, storedAt: now });
    if (this.maxPerScope !== undefined && entries.size > this.maxPerScope) {
      const forgotten = forgetOldestCompleted(entries);
      if (forgotten !== undefined) this.onChange?.(scope, forgotten);
    }
    return { kind: 'new' };
  }

  complete(scope: string, key: string, response: StoredResponse): void {
    const entry = this.scopes.get(scope)?.get(key);
    if (entry) entry.response = response;
    this.onChange?.(scope, key);
  }

  /** Forgets a reservation whose request was not executed (e.g. it failed validation). */
  release(scope: string, key: string): void {
    const entries = this.scopes.get(scope);
    entries?.delete(key);
    if (entries?.size === 0) this.scopes.delete(scope);
    this.onChange?.(scope, key);
  }

  clear(scope?: string): void {
    if (scope === undefined) this.scopes.clear();
    else this.scopes.delete(scope);
  }

  /** Keys kept for one account (tests, /__admin). */
  size(scope: string): number {
    return this.scopes.get(scope)?.size ?? 0;
  }
}

/** Drops the first completed entry in storing order; the walk passes only in-flight entries (a handful). */
function forgetOldestCompleted(entries: Map<string, Entry>): string | undefined {
  for (const [key, entry] of entries) {
    if (entry.response === undefined) continue;
    entries.delete(key);
    return key;
  }
  return undefined;
}
