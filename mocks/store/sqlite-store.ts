// The embedded store (`--data-dir DIR`): one SQLite file, `DIR/casapay-mock.sqlite`, in WAL mode, through
// better-sqlite3 (synchronous calls: a batch is one transaction that blocks the event loop for the
// time of its writes, which group commit keeps to one per turn of the loop).
//
// Durability (`--durability`): `full` (the default) syncs the WAL at every commit, so an acknowledged
// write survives the machine losing power; `normal` syncs only at checkpoints, so it survives the mock
// being killed (SIGKILL, a crash) but the last commits may be lost with the machine's power.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import {
  decodeValue,
  encodeValue,
  NewerSchemaError,
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
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${(options.durability ?? 'full').toUpperCase()}`);
  db.pragma('foreign_keys = ON');
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

  const writeBatch = db.transaction((batch: WriteBatch) => {
    if (batch.deleteAll) {
      db.prepare('DELETE FROM rows').run();
      db.prepare('DELETE FROM accounts').run();
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

  let open = true;
  return {
    kind: 'sqlite',
    durable: true,
    async load(): Promise<LoadedState> {
      const accounts = new Map<string, StoredAccount>();
      for (const { key } of db.prepare('SELECT key FROM accounts ORDER BY rowid').iterate() as Iterable<{
        key: string;
      }>)
        accounts.set(key, { key, rows: [] });
      // rowid order is first-write order: a Map-ordered part (creation order) comes back in it.
      const rows = db.prepare('SELECT account, part, key, json, bytes FROM rows ORDER BY rowid').iterate() as Iterable<{
        account: string;
        part: string;
        key: string;
        json: string | null;
        bytes: Buffer | null;
      }>;
      for (const row of rows)
        accounts.get(row.account)?.rows.push({ part: row.part, key: row.key, value: decodeValue(row.json, row.bytes) });
      const globals = new Map<string, unknown>();
      for (const { name, json } of db.prepare('SELECT name, json FROM globals').iterate() as Iterable<{
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
        db.prepare('SELECT 1').get();
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
function migrate(db: Database.Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new NewerSchemaError(current, SCHEMA_VERSION, path);
  }
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!.sqlite);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
