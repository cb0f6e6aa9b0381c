// The seam between the engine's hot in-memory model and where it is made durable: one interface, three
// stores chosen at start — memory (the default: keeps nothing, costs nothing), SQLite (`--data-dir`) and
// PostgreSQL (`--database-url`). A store knows rows, never an API: an account is a key and a set of
// (part, key) rows whose values are JSON or bytes (mocks/engine/state/parts.ts says how an account is cut
// into rows). Writes come in batches, one per turn of the event loop (group commit), and a batch is
// atomic: the rows of every account it touches, the accounts it deletes and the sandbox-wide rows.

/** One row of one account: `value` undefined deletes it. */
export interface RowWrite {
  account: string;
  part: string;
  key: string;
  value: unknown;
}

export interface WriteBatch {
  /** Accounts that exist after the batch (created or changed). */
  accounts: string[];
  rows: RowWrite[];
  /** Accounts dropped with every row (reset, eviction). */
  deleted: string[];
  /** Every account dropped (a reset of the whole mock): applied before `accounts` and `rows`. */
  deleteAll: boolean;
  /** Sandbox-wide rows (the clock, tokens): undefined deletes. */
  globals: Array<[name: string, value: unknown]>;
}

export interface StoredAccount {
  key: string;
  /** Where the account stood when loaded (a shared store). */
  version?: AccountVersion;
  /** The account's rows in the order they were first written. */
  rows: Array<{ part: string; key: string; value: unknown }>;
}

export interface LoadedState {
  accounts: StoredAccount[];
  globals: Map<string, unknown>;
  /** The highest version of the globals loaded (a shared store). */
  globalsVersion?: number;
}

export interface StoreHealth {
  store: 'memory' | 'sqlite' | 'postgres';
  /** Whether the store answers now. */
  reachable: boolean;
  /** Where it is (a path, or the database URL without its password). */
  location?: string;
  detail?: string;
}

/** Where an account stands in a shared store: its incarnation (a new one after each reset) and its last write. */
export interface AccountVersion {
  seq: number;
  version: number;
}

/** One account held by this instance: its lock, and what other instances wrote since this one last looked. */
export interface AccountSession {
  /** The account as stored when the lock was taken; undefined when the store has no such account. */
  readonly stored: AccountVersion | undefined;
  /** Rows written since the version asked for (every row when the incarnation differs); value undefined: deleted. */
  readonly rows: ReadonlyArray<{ part: string; key: string; value: unknown }>;
  /** Writes rows of this account in one transaction (creating the account when new); answers its new version. */
  commit(rows: readonly RowWrite[]): Promise<AccountVersion>;
  /** Lets the account go (other instances waiting for it go on). */
  release(): Promise<void>;
}

/**
 * What several instances on one store need (PostgreSQL): accounts locked one at a time across
 * instances and read back from where this instance last saw them, sandbox-wide rows versioned.
 */
export interface SharedStore {
  /** This instance's name while it is connected (other instances can ask whether it still is). */
  readonly instance: string;
  /** Whether the instance so named is still connected to the store (its deliveries are its own while it is). */
  alive(instance: string): Promise<boolean>;
  /** Takes the account's lock (waiting while another instance holds it) and reads what changed since `since`. */
  open(key: string, since: AccountVersion | undefined): Promise<AccountSession>;
  /** Sandbox-wide rows written after `version`, and the highest version seen. */
  globalsSince(version: number): Promise<{ version: number; changed: Array<[name: string, value: unknown]> }>;
  /** Writes one sandbox-wide row; answers its version. */
  writeGlobal(name: string, value: unknown): Promise<number>;
  /** The account that holds row (part, key) (a Debitura token), if any. */
  accountOfRow(part: string, key: string): Promise<string | undefined>;
  /** Deletes accounts with their rows, each under its lock ('all': every account). */
  deleteAccounts(keys: readonly string[] | 'all'): Promise<void>;
}

/** One journal entry as kept: the full key it is filed under, its estimated bytes, the entry as JSON. */
export interface JournalRow {
  account: string | null;
  bytes: number;
  entry: unknown;
}

/** The journal of requests (`GET /__admin/journal`), kept within the same bounds as in memory. */
export interface JournalStore {
  /** Adds entries (oldest first), then drops the oldest beyond `limit` entries or `maxBytes` (the newest always stays). */
  append(rows: readonly JournalRow[], bounds: { limit: number; maxBytes: number }): Promise<void>;
  /** The newest entries first, of one account or all. */
  recent(query: { account?: string; limit: number }): Promise<JournalRow[]>;
  clear(account?: string): Promise<void>;
}

export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  /** Where the journal is kept (the durable stores). */
  readonly journal?: JournalStore;
  /** Present when several instances may serve one store (PostgreSQL): the engine then locks and syncs per account. */
  readonly shared?: SharedStore;
  /** Whether anything is kept: false for memory, where the engine tracks no changes at all. */
  readonly durable: boolean;
  /** Everything kept, at start. */
  load(): Promise<LoadedState>;
  /** Writes one batch atomically; resolves once it is committed. */
  write(batch: WriteBatch): Promise<void>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

/** The default: nothing is kept, nothing is tracked. */
export function createMemoryStore(): Store {
  return {
    kind: 'memory',
    durable: false,
    load: async () => ({ accounts: [], globals: new Map() }),
    write: async () => undefined,
    health: async () => ({ store: 'memory', reachable: true }),
    close: async () => undefined,
  };
}

/** Thrown when the store holds a schema newer than this code knows (a downgrade): start refuses with it. */
export class NewerSchemaError extends Error {
  constructor(found: number, known: number, where: string) {
    super(
      `The store at ${where} has schema version ${found}, newer than this mock knows (${known}): it was written by a newer casapay-mock. Use that version, or another --data-dir / database.`,
    );
  }
}

/** Row values as stored: JSON text, or bytes for Buffers. */
export function encodeValue(value: unknown): { json: string | null; bytes: Buffer | null } {
  if (Buffer.isBuffer(value)) return { json: null, bytes: value };
  return { json: JSON.stringify(value), bytes: null };
}

export function decodeValue(json: string | null, bytes: Buffer | Uint8Array | null): unknown {
  if (bytes !== null && bytes !== undefined) return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  return json === null ? null : JSON.parse(json);
}

/**
 * Trimming the journal after an append, one statement per bound, each with one parameter (`?` for
 * SQLite, `$1` for PostgreSQL): the oldest rows beyond `limit` entries, then beyond `maxBytes` (the
 * newest row always stays).
 */
export const trimJournalSql = (parameter: string) => ({
  byCount: `DELETE FROM journal WHERE seq <= (SELECT seq FROM journal ORDER BY seq DESC LIMIT 1 OFFSET ${parameter})`,
  byBytes: `DELETE FROM journal WHERE seq < COALESCE((SELECT min(seq) FROM (SELECT seq, sum(bytes) OVER (ORDER BY seq DESC) AS total FROM journal) kept WHERE total <= ${parameter}), (SELECT max(seq) FROM journal))`,
});
