// Idempotency-Key handling (POST only), Stripe's rules: the first result is kept for 24 hours;
// the same key and body replays it; the same key with another body is refused; the same key while
// the first request is still running answers 409. Requests that fail validation are never stored.
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

export type IdempotencyOutcome =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

/** A stable hash of what the request asked for: method, path and a canonical form of the body. */
export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonical(body)}`).digest('hex');
}

function canonical(value: unknown): string {
  if (Buffer.isBuffer(value)) return `buffer:${createHash('sha256').update(value).digest('hex')}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly nowMs: () => number) {}

  /** Looks the key up and, when it is new, reserves it (in flight) until `complete` or `release`. */
  begin(scope: string, key: string, print: string): IdempotencyOutcome {
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    const now = this.nowMs();
    if (entry && now - entry.storedAt < RETENTION_MS) {
      if (entry.fingerprint !== print) return { kind: 'mismatch' };
      return entry.response ? { kind: 'replay', response: entry.response } : { kind: 'in_flight' };
    }
    this.entries.set(id, { fingerprint: print, storedAt: now });
    return { kind: 'new' };
  }

  complete(scope: string, key: string, response: StoredResponse): void {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (entry) entry.response = response;
  }

  /** Forgets a reservation whose request was not executed (e.g. it failed validation). */
  release(scope: string, key: string): void {
    this.entries.delete(`${scope}\u0000${key}`);
  }

  clear(scope?: string): void {
    if (scope === undefined) return this.entries.clear();
    for (const id of this.entries.keys()) if (id.startsWith(`${scope}\u0000`)) this.entries.delete(id);
  }
}
