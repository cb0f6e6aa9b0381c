// The shared store (`--database-url postgres://…`), through `pg` (node-postgres): the same rows as the
// SQLite store, in tables of their own schema version, written one batch per transaction.
import pg from 'pg';
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

export interface PostgresStoreOptions {
  url: string;
  /** Connections kept open (default 4). */
  poolSize?: number;
  /** How long getting a connection may take (default 3000 ms): a database that does not answer is a 503, not a wait. */
  connectTimeoutMs?: number;
  /**
   * How long the mock waits for one statement (default 5000 ms; loading at start, 10 minutes): then its
   * connection is dropped, which rolls its transaction back, and the request is a 503.
   */
  queryTimeoutMs?: number;
}

/** The URL as it may be shown (health, logs): without its password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** Serialises migrations of concurrent instances starting on one database. */
const MIGRATION_LOCK = 0x63617361; // 'casa'
/** Held by the one mock serving a database (several instances on one database are not supported yet). */
const SERVING_LOCK = 0x70617931; // 'pay1'
/** Loading everything at start may take longer than one request's statement is given. */
const START_QUERY_TIMEOUT_MS = 10 * 60_000;

/**
 * @example const store = await openPostgresStore({ url: 'postgres://mock@127.0.0.1:5432/mock' });
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const location = redactUrl(options.url);
  // Bounded waits (docs/state.md, "When the database goes away"): connecting, and each statement. A
  // connection that failed is dropped, never reused; the next request connects anew, so a database
  // that comes back is used again without restarting the mock.
  const connectionTimeoutMillis = options.connectTimeoutMs ?? 3000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis,
    query_timeout: options.queryTimeoutMs ?? 5000,
    keepAlive: true,
  });
  // An idle connection the server dropped (a restart) surfaces here: the pool replaces it on next use.
  pool.on('error', () => undefined);
  await migrate(pool, location);
  // One mock per database for now: a second would serve from its own memory and the two would drift apart.
  const holder = new pg.Client({ connectionString: options.url, connectionTimeoutMillis });
  holder.on('error', () => undefined);
  await holder.connect();
  const { rows: held } = await holder.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SERVING_LOCK]);
  if (!held[0]?.ok) {
    await holder.end();
    await pool.end();
    throw new Error(
      `Another casapay-mock is serving the database at ${location}: one mock per database (several instances on one database are not supported yet). Use another database, or stop the other mock.`,
    );
  }

  let open = true;
  return {
    kind: 'postgres',
    durable: true,
    async load(): Promise<LoadedState> {
      const accounts = new Map<string, StoredAccount>();
      const started = (text: string) => ({ text, query_timeout: START_QUERY_TIMEOUT_MS });
      for (const { key } of (await pool.query<{ key: string }>(started('SELECT key FROM accounts ORDER BY seq'))).rows)
        accounts.set(key, { key, rows: [] });
      const rows = await pool.query<{
        account: string;
        part: string;
        key: string;
        json: string | null;
        bytes: Buffer | null;
      }>(started('SELECT account, part, key, json, bytes FROM rows ORDER BY seq'));
      for (const row of rows.rows)
        accounts.get(row.account)?.rows.push({ part: row.part, key: row.key, value: decodeValue(row.json, row.bytes) });
      const globals = new Map<string, unknown>();
      for (const { name, json } of (
        await pool.query<{ name: string; json: string }>(started('SELECT name, json FROM globals'))
      ).rows)
        globals.set(name, JSON.parse(json));
      return { accounts: [...accounts.values()], globals };
    },
    async write(batch: WriteBatch): Promise<void> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (batch.deleteAll) await client.query('DELETE FROM accounts');
        if (batch.deleted.length) await client.query('DELETE FROM accounts WHERE key = ANY($1)', [batch.deleted]);
        if (batch.accounts.length)
          await client.query('INSERT INTO accounts (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING', [
            batch.accounts,
          ]);
        const upserts = batch.rows.filter((row) => row.value !== undefined);
        const deletes = batch.rows.filter((row) => row.value === undefined);
        if (deletes.length)
          await client.query(
            'DELETE FROM rows r USING unnest($1::text[], $2::text[], $3::text[]) AS d(account, part, key) WHERE r.account = d.account AND r.part = d.part AND r.key = d.key',
            [deletes.map((r) => r.account), deletes.map((r) => r.part), deletes.map((r) => r.key)],
          );
        // One statement for every row of the batch: columns as arrays, unnested into rows.
        if (upserts.length) {
          const columns: [string[], string[], string[], Array<string | null>, Array<Buffer | null>] = [
            [],
            [],
            [],
            [],
            [],
          ];
          for (const row of upserts) {
            const { json, bytes } = encodeValue(row.value);
            columns[0].push(row.account);
            columns[1].push(row.part);
            columns[2].push(row.key);
            columns[3].push(json);
            columns[4].push(bytes);
          }
          await client.query(
            'INSERT INTO rows (account, part, key, json, bytes) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[]) ON CONFLICT (account, part, key) DO UPDATE SET json = excluded.json, bytes = excluded.bytes',
            columns,
          );
        }
        for (const [name, value] of batch.globals) {
          if (value === undefined) await client.query('DELETE FROM globals WHERE name = $1', [name]);
          else
            await client.query(
              'INSERT INTO globals (name, json) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET json = excluded.json',
              [name, JSON.stringify(value)],
            );
        }
        await client.query('COMMIT');
      } catch (error) {
        // The connection goes with the failed batch: closing it rolls the transaction back on the server
        // (a ROLLBACK would wait on a database that stopped answering), and it is never handed out again.
        client.release(error as Error);
        throw error;
      }
      client.release();
    },
    async health(): Promise<StoreHealth> {
      try {
        await pool.query('SELECT 1');
        return { store: 'postgres', reachable: open, location };
      } catch (error) {
        return { store: 'postgres', reachable: false, location, detail: (error as Error).message };
      }
    },
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      await holder.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/** Brings the database to SCHEMA_VERSION under an advisory lock (instances starting together migrate once). */
async function migrate(pool: pg.Pool, location: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const found = (await client.query<{ version: number }>('SELECT max(version) AS version FROM schema_version'))
      .rows[0]?.version;
    const current = found ?? 0;
    if (current > SCHEMA_VERSION) throw new NewerSchemaError(current, SCHEMA_VERSION, location);
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      await client.query('BEGIN');
      await client.query(MIGRATIONS[version - 1]!.postgres);
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
      await client.query('COMMIT');
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
