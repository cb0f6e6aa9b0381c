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
  /** The account's rows in the order they were first written. */
  rows: Array<{ part: string; key: string; value: unknown }>;
}

export interface LoadedState {
  accounts: StoredAccount[];
  globals: Map<string, unknown>;
}

export interface StoreHealth {
  store: 'memory' | 'sqlite' | 'postgres';
  /** Whether the store answers now. */
  reachable: boolean;
  /** Where it is (a path, or the database URL without its password). */
  location?: string;
  detail?: string;
}

export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
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
