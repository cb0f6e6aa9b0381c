// A bounded journal of recent requests and their responses, for `GET /__admin/journal`: what did my
// client actually send, and what did the mock answer? A ring buffer (oldest entries fall out), API
// keys and webhook secrets masked, file downloads and uploads summarised, not copied.
// Bounded in bytes as well as in entries: each body is cut to 64 KB when it is recorded (not when it
// is read: a kept 1 MB body is 1 MB pinned until the entry falls out), and the entries' estimated
// bytes (URL, headers, both bodies) stay within a budget (default 8 MB), oldest dropped first.
// Time comes from the injected `now`; durations from Fastify's own timer. On a durable store each entry
// is also written to it as shown (batched per turn of the event loop, within the same bounds), so a
// restart keeps the journal, and instances sharing one database read it from there.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { refusalRule } from '../engine/mount-operations.js';
import { SCENARIO_SUFFIX } from '../engine/state/accounts.js';
import type { JournalRow, JournalStore } from '../store/store.js';

export const DEFAULT_JOURNAL_LIMIT = 200;
/** Bodies longer than this are kept as a truncated string, cut when recorded. */
export const BODY_LIMIT_BYTES = 64 * 1024;
/** Default budget of the entries' estimated bytes (URL, headers, request and response bodies). */
export const DEFAULT_JOURNAL_MAX_BYTES = 8 * 1024 * 1024;

export interface JournalEntry {
  /** The Request-Id. */
  id: string;
  /** When the request arrived (ISO 8601, from the mock's clock). */
  at: string;
  method: string;
  url: string;
  /** The account's key with its middle masked, e.g. `sk_test_4eC3…p7dc` (`debitura:…` for Debitura's); null without one. */
  account: string | null;
  /** null when the connection closed before an answer (a dropped request or a client that gave up). */
  status: number | null;
  duration_ms: number;
  request: { headers: Record<string, string | string[] | undefined>; body: unknown; truncated?: true };
  response: { body: unknown; truncated?: true };
  /**
   * On an operation's refusal, the contract's reason: an `x-rules` id (docs/contract.md#rules) or
   * `schema:<keyword>`; null when the contract states none (the mock's fault: a 500 under --validate-responses).
   */
  rule?: string | null;
}

export interface JournalQuery {
  /** The full key of the account (`sk_test_…`, `debitura:<XApiKey>`) whose requests to list. */
  account?: string;
  limit?: number;
}

export interface Journal {
  /** Newest first (by when the answer was sent): what this instance holds. */
  entries(query?: JournalQuery): JournalEntry[];
  /** Newest first: on a store several instances share, every instance's entries (read from the store); else `entries`. */
  read(query?: JournalQuery): Promise<JournalEntry[]>;
  /** Forgets every entry, or those of one account (full API key), here and in the store. */
  clear(account?: string): void;
  /** Forgets an account's entries here only (another instance reset it and cleared the store). */
  forget(account: string): void;
  /** Puts back the entries the store kept (at start). */
  load(): Promise<void>;
  /** Resolves once every entry recorded so far is in the store. */
  flush(): Promise<void>;
  readonly limit: number;
  readonly size: number;
  /** The kept entries' estimated bytes (never above maxBytes but for a single entry). */
  readonly bytes: number;
  readonly maxBytes: number;
}

export interface InstallJournalOptions {
  /** Now in Unix milliseconds (the mock's clock: `() => clock.nowMs()`). */
  now: () => number;
  /** How many entries to keep; default 200. */
  limit?: number;
  /** Budget of the entries' estimated bytes; default 8 MB. */
  maxBytes?: number;
  /** Where entries are kept too (a durable store), within the same bounds. */
  store?: JournalStore;
  /** Several instances write the store: reads come from it. */
  shared?: boolean;
}

/** A body as kept: JSON text (parsed when read), or a summary for anything else. */
type Captured = { json: string; truncated: boolean } | { summary: string } | null;
/** A JSON request body kept by reference: serialised only when someone reads the journal. */
type Deferred = { deferred: unknown; type: unknown; length: unknown };

interface Pending {
  id: string;
  atMs: number;
  method: string;
  url: string;
  key: string | null;
  headers: Record<string, string | string[] | undefined>;
  requestBody: Captured | Deferred;
  responseBody: Captured;
  status: number | null;
  durationMs: number;
  /** Estimated bytes the entry holds (for the byte budget). */
  bytes: number;
  /** An entry read back from the store, as it was shown. */
  kept?: JournalEntry;
  rule?: string | null;
}

const KEY_PREFIX = /^([a-z]+_(?:(?:test|live)_)?)(.*)$/;

/**
 * Masks the middle of a key or secret, keeping its prefix and up to four characters at each end.
 * @example
 * maskKey('sk_test_4eC39HqLyjWDarjtT1zdp7dc'); // 'sk_test_4eC3…p7dc'
 * maskKey('sk_test_123');                      // 'sk_test_…'
 */
export function maskKey(key: string): string {
  const [, prefix = '', secret = key] = KEY_PREFIX.exec(key) ?? [];
  // Short secrets show less, so at least half of the secret is always hidden.
  const keep = Math.min(4, Math.floor(secret.length / 4));
  return keep === 0 ? `${prefix}…` : `${prefix}${secret.slice(0, keep)}…${secret.slice(-keep)}`;
}

const bearer = (header: string | undefined): string | null => {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1]! : null;
};

/**
 * The account an entry belongs to: the one the request was answered for (an X-Mock-Scenario session
 * files under its key; Debitura's `debitura:<XApiKey>`, also for requests with a minted token), or,
 * when authentication refused it, the bearer key it sent.
 */
const accountOf = (request: FastifyRequest): string | null => {
  const key = (request.account as { key: string } | undefined)?.key;
  if (key === undefined) return bearer(request.headers.authorization);
  const session = key.indexOf(SCENARIO_SUFFIX);
  return session === -1 ? key : key.slice(0, session);
};

const isJsonType = (type: unknown) => typeof type === 'string' && /^application\/(?:[\w.+-]+\+)?json\b/i.test(type);
const mediaType = (type: unknown) =>
  typeof type === 'string' && type ? type.split(';')[0]!.trim() : 'no content type';

function captureJson(text: string): Captured {
  // Cheap length test first; count bytes only when the text could be over the limit.
  if (text.length * 3 <= BODY_LIMIT_BYTES || Buffer.byteLength(text) <= BODY_LIMIT_BYTES)
    return { json: text, truncated: false };
  return { json: Buffer.from(text).subarray(0, BODY_LIMIT_BYTES).toString(), truncated: true };
}

/**
 * At record time: a JSON body whose declared length is within the limit is kept by reference and
 * serialised when read (the hot path pays nothing); anything else is cut or summarised now, so no
 * large body is pinned. Returns what is kept and its estimated bytes.
 */
function recordRequestBody(request: FastifyRequest): [Captured | Deferred, number] {
  const body = request.body;
  const type = request.headers['content-type'];
  const length = request.headers['content-length'];
  if (body === undefined || body === null) return [null, 0];
  const declared = length === undefined ? NaN : Number(length);
  if (
    !Buffer.isBuffer(body) &&
    typeof body === 'object' &&
    declared <= BODY_LIMIT_BYTES &&
    !(typeof type === 'string' && /^multipart\//i.test(type))
  ) {
    return [{ deferred: body, type, length }, declared];
  }
  const captured = captureRequestBody({ deferred: body, type, length });
  return [captured, capturedBytes(captured)];
}

const capturedBytes = (captured: Captured): number =>
  captured === null ? 0 : 'json' in captured ? captured.json.length : captured.summary.length;

/** Header names and values, counted as characters (a cheap estimate of what the entry pins). */
function headerBytes(headers: Record<string, string | string[] | undefined>): number {
  let bytes = 0;
  for (const name in headers) {
    const value = headers[name];
    bytes +=
      name.length + (typeof value === 'string' ? value.length : Array.isArray(value) ? value.join('').length : 0);
  }
  return bytes;
}

function captureRequestBody({ deferred: body, type, length }: Deferred): Captured {
  const size = length === undefined ? 'size unknown' : `${String(length)} bytes`;
  if (typeof type === 'string' && /^multipart\//i.test(type)) return { summary: `(multipart, ${size})` };
  if (body === undefined || body === null) return null;
  if (Buffer.isBuffer(body)) return { summary: `(${mediaType(type)}, ${body.length} bytes)` };
  try {
    return captureJson(JSON.stringify(body));
  } catch {
    return { summary: `(${mediaType(type)}, ${size})` };
  }
}

function captureResponseBody(reply: FastifyReply, payload: unknown): Captured {
  const type = reply.getHeader('content-type');
  if (payload === undefined || payload === null || payload === '') return null;
  if (typeof payload === 'string' && isJsonType(type)) return captureJson(payload);
  // Downloads and other non-JSON payloads: what and how big, never the bytes.
  const length = reply.getHeader('content-length');
  const bytes =
    typeof payload === 'string'
      ? Buffer.byteLength(payload)
      : Buffer.isBuffer(payload)
        ? payload.length
        : length === undefined
          ? undefined
          : Number(length);
  return { summary: `(${mediaType(type)}, ${bytes === undefined ? 'streamed' : `${bytes} bytes`})` };
}

/** A webhook endpoint's `secret` is shown once to the client, not to whoever reads the journal. */
function redact(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const object = body as Record<string, unknown>;
    if (object.object === 'webhook_endpoint' && typeof object.secret === 'string')
      return { ...object, secret: maskKey(object.secret) };
  }
  return body;
}

function materialise(captured: Captured): { body: unknown; truncated?: true } {
  if (captured === null) return { body: null };
  if ('summary' in captured) return { body: captured.summary };
  if (captured.truncated) return { body: captured.json, truncated: true };
  try {
    return { body: redact(JSON.parse(captured.json)) };
  } catch {
    return { body: captured.json };
  }
}

/** A copy of the request's headers with the API keys and tokens masked. */
function maskedHeaders(entry: Pending): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = { ...entry.headers };
  if (headers.authorization !== undefined) {
    const sent = bearer(headers.authorization as string);
    headers.authorization = sent ? `Bearer ${maskKey(sent)}` : '(masked)';
  }
  // Debitura's key travels as XApiKey: masked like a bearer key.
  if (typeof headers.xapikey === 'string') headers.xapikey = maskKey(headers.xapikey);
  // The console's admin token travels as a header or a cookie; neither belongs in a readable log.
  if (headers.cookie !== undefined) headers.cookie = '(masked)';
  if (headers['x-admin-token'] !== undefined) headers['x-admin-token'] = '(masked)';
  return headers;
}

/** Fixed-size ring, oldest overwritten first. */
class Ring<T> {
  private slots: Array<T | undefined>;
  private next = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Adds an item; returns the one it overwrote, if the ring was full. */
  push(item: T): T | undefined {
    const overwritten = this.size === this.capacity ? this.slots[this.next] : undefined;
    this.slots[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
    return overwritten;
  }

  /** Removes and returns the oldest item. */
  dropOldest(): T | undefined {
    if (this.size === 0) return undefined;
    const at = (this.next - this.size + this.capacity) % this.capacity;
    const item = this.slots[at];
    this.slots[at] = undefined;
    this.size--;
    return item;
  }

  /** Newest first. */
  *newest(): Generator<T> {
    for (let i = 1; i <= this.size; i++) yield this.slots[(this.next - i + this.capacity) % this.capacity]!;
  }

  /** Keeps the items that pass, in order. */
  retain(keep: (item: T) => boolean): void {
    const kept = [...this.newest()].reverse().filter(keep);
    this.slots = new Array<T | undefined>(this.capacity);
    this.next = 0;
    this.size = 0;
    for (const item of kept) this.push(item);
  }
}

/** An entry as shown: headers masked, bodies parsed or summarised (an entry read back is shown as kept). */
function toEntry(entry: Pending): JournalEntry {
  if (entry.kept) return entry.kept;
  const request = materialise(
    entry.requestBody !== null && 'deferred' in entry.requestBody
      ? captureRequestBody(entry.requestBody)
      : entry.requestBody,
  );
  return {
    id: entry.id,
    at: new Date(entry.atMs).toISOString(),
    method: entry.method,
    url: entry.url,
    account: entry.key === null ? null : maskKey(entry.key),
    status: entry.status,
    duration_ms: entry.durationMs,
    request: { headers: maskedHeaders(entry), ...request },
    response:
      entry.status === null ? { body: '(no response: the connection closed first)' } : materialise(entry.responseBody),
    ...(entry.rule !== undefined ? { rule: entry.rule } : {}),
  };
}

const ADMIN = '/__admin';
/** The console's own page and scripts are not what a client sent: left out like /__admin. */
const CONSOLE = '/__console';
const journaled = (url: string) => !url.startsWith(ADMIN) && !url.startsWith(CONSOLE);

/**
 * Records every request outside /__admin with its response. Call it before the routes' own hooks
 * (authentication, faults) so refused, failed and dropped requests are journaled too.
 * @example
 * const journal = installJournal(app, { now: () => clock.nowMs(), limit: 200 });
 * journal.entries({ account: 'sk_test_123', limit: 10 }); // newest first
 */
export function installJournal(app: FastifyInstance, options: InstallJournalOptions): Journal {
  const limit = options.limit ?? DEFAULT_JOURNAL_LIMIT;
  if (!Number.isInteger(limit) || limit < 0)
    throw new Error(`journal limit must be a whole number (0 turns the journal off), got ${limit}.`);
  // Off: no hooks at all, so the request path pays nothing for it.
  if (limit === 0)
    return {
      limit,
      size: 0,
      bytes: 0,
      maxBytes: 0,
      entries: () => [],
      read: async () => [],
      clear: () => undefined,
      forget: () => undefined,
      load: async () => undefined,
      flush: async () => undefined,
    };
  const maxBytes = options.maxBytes ?? DEFAULT_JOURNAL_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 1)
    throw new Error(`journal byte budget must be a whole number of bytes of at least 1, got ${maxBytes}.`);
  const { now, store } = options;
  const ring = new Ring<Pending>(limit);
  let bytes = 0;
  const holds = (account: string) => {
    for (const entry of ring.newest()) if (entry.key === account) return true;
    return false;
  };

  // One hook on the request path, when the answer is ready: the journal keeps references (headers,
  // parsed body, payload) and copies, masks or serialises them only when someone reads it.
  const record = (
    request: FastifyRequest,
    status: number | null,
    elapsedMs: number,
    responseBody: Captured,
  ): Promise<void> | undefined => {
    const [requestBody, requestBytes] = recordRequestBody(request);
    const entryBytes = request.url.length + headerBytes(request.headers) + requestBytes + capturedBytes(responseBody);
    const pending: Pending = {
      id: request.id,
      atMs: now() - elapsedMs,
      method: request.method,
      url: request.url,
      key: accountOf(request),
      headers: request.headers,
      // Parsed bodies are never changed after parsing (validation does not default bodies), so a
      // deferred one is what the client sent.
      requestBody,
      responseBody,
      status,
      durationMs: Math.round(elapsedMs * 10) / 10,
      bytes: entryBytes,
      rule: refusalRule(request),
    };
    const overwritten = ring.push(pending);
    bytes += entryBytes - (overwritten?.bytes ?? 0);
    // Oldest out until within budget; the newest entry stays even if it alone is over (at most ~16 KB
    // of headers and two 64 KB bodies).
    while (bytes > maxBytes && ring.size > 1) bytes -= ring.dropOldest()!.bytes;
    // A durable store keeps it as shown (masked, bodies cut), written with the others of this turn.
    return store ? keep({ account: pending.key, bytes: pending.bytes, entry: toEntry(pending) }) : undefined;
  };

  // What goes to the store: one append per turn of the event loop, in order.
  let outbox: JournalRow[] = [];
  let writing: Promise<void> = Promise.resolve();
  /** Resolves once the turn's batch holding `row` is written (or refused). */
  let batch: Promise<void> | undefined;
  const keep = (row: JournalRow): Promise<void> => {
    outbox.push(row);
    batch ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        const rows = outbox;
        outbox = [];
        batch = undefined;
        // A store that refuses (the database away) loses these entries: the journal is a log, not the sandbox.
        writing = writing.then(() => store!.append(rows, { limit, maxBytes }).catch(() => undefined));
        void writing.then(resolve);
      }),
    );
    return batch;
  };
  const settled = async () => {
    while (outbox.length) await new Promise((resolve) => setImmediate(resolve));
    await writing;
  };

  app.addHook('onSend', (request, reply, payload, done) => {
    const kept = journaled(request.url)
      ? record(request, reply.statusCode, reply.elapsedTime, captureResponseBody(reply, payload))
      : undefined;
    // Shared by several instances: the entry is in the store before the answer, so the next request,
    // on any instance, finds it in the journal.
    if (kept && options.shared) void kept.then(() => done(null, payload));
    else done(null, payload);
  });

  // No answer: the connection was dropped (fault) or the client gave up.
  app.addHook('onRequestAbort', (request, done) => {
    if (journaled(request.url)) record(request, null, 0, null);
    done();
  });

  return {
    limit,
    maxBytes,
    get size() {
      return ring.size;
    },
    get bytes() {
      return bytes;
    },
    entries(query = {}) {
      const max = query.limit ?? limit;
      const out: JournalEntry[] = [];
      for (const entry of ring.newest()) {
        if (out.length >= max) break;
        if (query.account !== undefined && entry.key !== query.account) continue;
        out.push(toEntry(entry));
      }
      return out;
    },
    async read(query = {}) {
      if (!store || !options.shared) return this.entries(query);
      await settled();
      const rows = await store.recent({ account: query.account, limit: query.limit ?? limit });
      return rows.map((row) => row.entry as JournalEntry);
    },
    forget(account) {
      if (!holds(account)) return;
      ring.retain((entry) => entry.key !== account);
      bytes = 0;
      for (const entry of ring.newest()) bytes += entry.bytes;
    },
    async load() {
      if (!store) return;
      const rows = await store.recent({ limit });
      for (const row of rows.reverse()) {
        const entry = row.entry as JournalEntry;
        ring.push({
          id: entry.id,
          atMs: Date.parse(entry.at),
          method: entry.method,
          url: entry.url,
          key: row.account,
          headers: {},
          requestBody: null,
          responseBody: null,
          status: entry.status,
          durationMs: entry.duration_ms,
          bytes: row.bytes,
          kept: entry,
        });
        bytes += row.bytes;
      }
      while (bytes > maxBytes && ring.size > 1) bytes -= ring.dropOldest()!.bytes;
    },
    flush: settled,
    clear(account) {
      if (store) {
        // After what is already on its way, so an entry recorded before the clear does not come back.
        outbox = outbox.filter((row) => account !== undefined && row.account !== account);
        writing = writing.then(() => store.clear(account).catch(() => undefined));
      }
      // Called on every eviction: rebuild the ring only when it holds something of the account.
      if (account !== undefined && !holds(account)) return;
      if (account === undefined) ring.retain(() => false);
      else ring.retain((entry) => entry.key !== account);
      bytes = 0;
      for (const entry of ring.newest()) bytes += entry.bytes;
    },
  };
}
