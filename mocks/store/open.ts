// Chooses the store from the options (the CLI's --data-dir, --database-url, --durability): memory
// when neither is given. The drivers load only when asked for, so the default starts without them;
// SQLite is Node's own node:sqlite where it exists, and better-sqlite3 (an optional peer) on Node 20.
import { createMemoryStore, type Store } from './store.js';
import type { Durability } from './sqlite-store.js';

export interface StoreOptions {
  /** A folder for the embedded SQLite store (created if missing). */
  dataDir?: string;
  /** A PostgreSQL connection URL (`postgres://user:pass@host:5432/db`). */
  databaseUrl?: string;
  durability?: Durability;
}

/**
 * @example const store = await openStore({ dataDir: '.mock-data' }); // SQLite in .mock-data/casapay-mock.sqlite
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.dataDir !== undefined && options.databaseUrl !== undefined)
    throw new Error('Choose one store: --data-dir (SQLite) or --database-url (PostgreSQL), not both.');
  if (options.durability !== undefined && options.dataDir === undefined)
    throw new Error('--durability applies to the SQLite store: give --data-dir too.');
  if (options.dataDir !== undefined) {
    const sqlite = await import('./sqlite-store.js');
    return sqlite.openSqliteStore({ dataDir: options.dataDir, durability: options.durability });
  }
  if (options.databaseUrl !== undefined) {
    const { openPostgresStore } = await import('./postgres-store.js');
    return openPostgresStore({ url: options.databaseUrl });
  }
  return createMemoryStore();
}
