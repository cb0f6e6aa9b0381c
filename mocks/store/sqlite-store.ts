// The embedded store (`--data-dir DIR`): one SQLite file, `DIR/casapay-mock.sqlite`, in WAL mode, with
// synchronous calls (a batch is one transaction that blocks the event loop for the time of its writes,
// which group commit keeps to one per turn of the loop). The driver is Node's own `node:sqlite` where
// the runtime has it (22.13 and later), else better-sqlite3 12 (Node 20): better-sqlite3 12 aborts
// Node 24 when the garbage collector finalizes a statement (WiseLibs/better-sqlite3#1515), and 13, which
// fixes it, crashes on Node 20.
//
// Durability (`--durability`): `full` (the default) syncs the WAL at every commit, so an acknowledged
// write survives the machine losing power; `normal` syncs only at checkpoints, so it survives the mock
// being killed (SIGKILL, a crash) but the last commits may be lost with the machine's power.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import {
  decodeValue,
  encodeValue,
  NewerSchemaError,
  trimJournalSql,
  type JournalRow,
  type JournalStore,
  type LoadedState,
  type Store,
  type StoredAccount,
  type StoreHealth,
  type WriteBatch,
} from './store.js';

export type Durability = 'normal' | 'full';

export interface SqliteStoreOptions {
  dataDir: string;
  durability?: Durability;
}

export const SQLITE_FILE = 'casapay-mock.sqlite';

/**
 * @example
 * const store = openSqliteStore({ dataDir: '.mock-data' });
 * const { accounts } = await store.load();
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  mkdirSync(options.dataDir, { recursive: true });
  const path = join(options.dataDir, SQLITE_FILE);
  const db = openSqliteDriver(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${(options.durability ?? 'full').toUpperCase()}`);
  db.exec('PRAGMA foreign_keys = ON');
  migrate(db, path);

  const upsertAccount = db.prepare('INSERT INTO accounts (key) VALUES (?) ON CONFLICT (key) DO NOTHING');
  const upsertRow = db.prepare(
    'INSERT INTO rows (account, part, key, json, bytes) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, part, key) DO UPDATE SET json = excluded.json, bytes = excluded.bytes',
  );
  const deleteRow = db.prepare('DELETE FROM rows WHERE account = ? AND part = ? AND key = ?');
  const deleteAccount = db.prepare('DELETE FROM accounts WHERE key = ?');
  const deleteAccountRows = db.prepare('DELETE FROM rows WHERE account = ?');
  const upsertGlobal = db.prepare(
    'INSERT INTO globals (name, json) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET json = excluded.json',
  );
  const deleteGlobal = db.prepare('DELETE FROM globals WHERE name = ?');

  const deleteAllRows = db.prepare('DELETE FROM rows');
  const deleteAllAccounts = db.prepare('DELETE FROM accounts');
  const selectAccounts = db.prepare('SELECT key FROM accounts ORDER BY rowid');
  const selectRows = db.prepare('SELECT account, part, key, json, bytes FROM rows ORDER BY rowid');
  const selectGlobals = db.prepare('SELECT name, json FROM globals');
  const ping = db.prepare('SELECT 1 AS one');

  const writeBatch = transaction(db, (batch: WriteBatch) => {
    if (batch.deleteAll) {
      deleteAllRows.run();
      deleteAllAccounts.run();
    }
    for (const key of batch.deleted) {
      deleteAccountRows.run(key);
      deleteAccount.run(key);
    }
    for (const key of batch.accounts) upsertAccount.run(key);
    for (const row of batch.rows) {
      if (row.value === undefined) deleteRow.run(row.account, row.part, row.key);
      else {
        const { json, bytes } = encodeValue(row.value);
        upsertRow.run(row.account, row.part, row.key, json, bytes);
      }
    }
    for (const [name, value] of batch.globals) {
      if (value === undefined) deleteGlobal.run(name);
      else upsertGlobal.run(name, JSON.stringify(value));
    }
  });

  const insertJournal = db.prepare('INSERT INTO journal (account, bytes, json) VALUES (?, ?, ?)');
  const trim = trimJournalSql('?');
  const [trimByCount, trimByBytes] = [db.prepare(trim.byCount), db.prepare(trim.byBytes)];
  const appendJournal = transaction(
    db,
    ({ rows, bounds }: { rows: readonly JournalRow[]; bounds: { limit: number; maxBytes: number } }) => {
      for (const row of rows) insertJournal.run(row.account, row.bytes, JSON.stringify(row.entry));
      trimByCount.run(bounds.limit);
      trimByBytes.run(bounds.maxBytes);
    },
  );
  const recentJournal = db.prepare('SELECT account, bytes, json FROM journal ORDER BY seq DESC LIMIT ?');
  const recentJournalOf = db.prepare(
    'SELECT account, bytes, json FROM journal WHERE account = ? ORDER BY seq DESC LIMIT ?',
  );
  const clearJournal = db.prepare('DELETE FROM journal');
  const clearJournalOf = db.prepare('DELETE FROM journal WHERE account = ?');
  const journal: JournalStore = {
    append: async (rows, bounds) => appendJournal({ rows, bounds }),
    recent: async ({ account, limit }) =>
      [
        ...((account === undefined
          ? recentJournal.iterate(limit)
          : recentJournalOf.iterate(account, limit)) as Iterable<{
          account: string | null;
          bytes: number;
          json: string;
        }>),
      ].map((row) => ({ account: row.account, bytes: Number(row.bytes), entry: JSON.parse(row.json) })),
    clear: async (account) => {
      if (account === undefined) clearJournal.run();
      else clearJournalOf.run(account);
    },
  };

  let open = true;
  return {
    kind: 'sqlite',
    durable: true,
    journal,
    async load(): Promise<LoadedState> {
      const accounts = new Map<string, StoredAccount>();
      for (const { key } of selectAccounts.iterate() as Iterable<{ key: string }>) accounts.set(key, { key, rows: [] });
      // rowid order is first-write order: a Map-ordered part (creation order) comes back in it.
      const rows = selectRows.iterate() as Iterable<{
        account: string;
        part: string;
        key: string;
        json: string | null;
        bytes: Uint8Array | null;
      }>;
      for (const row of rows)
        accounts.get(row.account)?.rows.push({ part: row.part, key: row.key, value: decodeValue(row.json, row.bytes) });
      const globals = new Map<string, unknown>();
      for (const { name, json } of selectGlobals.iterate() as Iterable<{
        name: string;
        json: string;
      }>)
        globals.set(name, JSON.parse(json));
      return { accounts: [...accounts.values()], globals };
    },
    async write(batch: WriteBatch): Promise<void> {
      writeBatch(batch);
    },
    async health(): Promise<StoreHealth> {
      try {
        ping.get();
        return { store: 'sqlite', reachable: open, location: path };
      } catch (error) {
        return { store: 'sqlite', reachable: false, location: path, detail: (error as Error).message };
      }
    },
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}

/** Brings the file's schema up to SCHEMA_VERSION, one migration per version, each in a transaction. */
function migrate(db: SqliteDriver, path: string): void {
  const current = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new NewerSchemaError(current, SCHEMA_VERSION, path);
  }
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    transaction(db, () => {
      db.exec(MIGRATIONS[version - 1]!.sqlite);
      db.exec(`PRAGMA user_version = ${version}`);
    })(undefined);
  }
}

/** What the store needs of a SQLite driver: node:sqlite's DatabaseSync and better-sqlite3's Database both have it. */
export interface SqliteDriver {
  exec(sql: string): void;
  prepare(sql: string): {
    run(...params: unknown[]): unknown;
    get(...params: unknown[]): unknown;
    iterate(...params: unknown[]): Iterable<unknown>;
  };
  close(): void;
}

/**
 * The SQLite database at `path`: node:sqlite where the runtime has it, else better-sqlite3.
 * @example openSqliteDriver('/tmp/x.sqlite').prepare('SELECT 1 AS one').get() // { one: 1 }
 */
export function openSqliteDriver(path: string): SqliteDriver {
  const builtin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:sqlite') as
    { DatabaseSync: new (path: string) => SqliteDriver } | undefined;
  if (builtin) return new builtin.DatabaseSync(path);
  // Node 20 (no node:sqlite): better-sqlite3, an optional peer loaded only here.
  let Database: new (path: string) => SqliteDriver;
  try {
    Database = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  } catch (error) {
    throw new Error(
      `--data-dir needs SQLite: this Node (${process.version}) has no node:sqlite, and the better-sqlite3 package could not be loaded (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Install it beside the kit with \`npm install better-sqlite3@12\`, or run Node 22.13 or later.`,
      { cause: error },
    );
  }
  return new Database(path);
}

/** `work` in one transaction: committed when it returns, rolled back when it throws. */
function transaction<T>(db: SqliteDriver, work: (input: T) => void): (input: T) => void {
  return (input) => {
    db.exec('BEGIN IMMEDIATE');
    try {
      work(input);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };
}
