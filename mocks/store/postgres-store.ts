// The shared store (`--database-url postgres://…`), through `pg` (node-postgres): the same rows as the
// SQLite store, in tables of their own schema version, written one batch per transaction.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import {
  decodeValue,
  encodeValue,
  NewerSchemaError,
  trimJournalSql,
  type AccountVersion,
  type JournalStore,
  type LoadedState,
  type RowWrite,
  type SharedStore,
  type Store,
  type StoredAccount,
  type StoreHealth,
  type WriteBatch,
} from './store.js';

export interface PostgresStoreOptions {
  url: string;
  /** Connections for accounts held by requests (default 20: a held account keeps one while its request runs). */
  poolSize?: number;
  /** How long getting a connection may take (default 3000 ms): a database that does not answer is a 503, not a wait. */
  connectTimeoutMs?: number;
  /**
   * How long the mock waits for one statement (default 5000 ms; loading at start, 10 minutes; an
   * account another instance holds, 30 s): then its connection is dropped, which rolls its
   * transaction back and lets its locks go, and the request is a 503.
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
/** The key space of the accounts' locks (two-int advisory locks: this, hashtext(key)). */
const ACCOUNT_LOCKS = 0x61636374; // 'acct'
/** Rows as the columns of an unnest: deletions as tombstones (no JSON, no bytes). */
function encodeColumns(rows: readonly RowWrite[]) {
  const columns = {
    parts: [] as string[],
    keys: [] as string[],
    json: [] as Array<string | null>,
    bytes: [] as Array<Buffer | null>,
  };
  for (const row of rows) {
    const { json, bytes } = row.value === undefined ? { json: null, bytes: null } : encodeValue(row.value);
    columns.parts.push(row.part);
    columns.keys.push(row.key);
    columns.json.push(json);
    columns.bytes.push(bytes);
  }
  return columns;
}

/** How long a request waits for an account another instance holds. */
const LOCK_WAIT_MS = 30_000;
/** Loading everything at start may take longer than one request's statement is given. */
const START_QUERY_TIMEOUT_MS = 10 * 60_000;
/** A statement with its own time limit (node-postgres reads `query_timeout` per query too). */
const timed = (text: string, values: unknown[], ms: number) => ({ text, values, query_timeout: ms }) as pg.QueryConfig;
/** The key space of the instances' presence: each holds (this, hashtext(its name)) while connected. */
const INSTANCE_LOCKS = 0x696e7374; // 'inst'

type Row = { part: string; key: string; json: string | null; bytes: Buffer | null };
/** A stored row's value: undefined for a tombstone (a row another instance deleted). */
const valueOf = (row: Row) => (row.json === null && row.bytes === null ? undefined : decodeValue(row.json, row.bytes));
const LIVE = '(json IS NOT NULL OR bytes IS NOT NULL)';

/**
 * Several instances may serve one database (SharedStore): each account is locked by one instance at a
 * time (a session advisory lock), and every write carries a number from one sequence, so an instance
 * reads back only what others wrote since it last looked. Deleted rows stay as tombstones (no JSON, no
 * bytes) so that an instance catching up learns of the deletion.
 * @example const store = await openPostgresStore({ url: 'postgres://mock@127.0.0.1:5432/mock' });
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const location = redactUrl(options.url);
  // Bounded waits (docs/state.md, "When the database goes away"): connecting, and each statement. A
  // connection that failed is dropped, never reused; the next request connects anew, so a database
  // that comes back is used again without restarting the mock.
  const connectionTimeoutMillis = options.connectTimeoutMs ?? 3000;
  const poolOptions = {
    connectionString: options.url,
    connectionTimeoutMillis,
    query_timeout: options.queryTimeoutMs ?? 5000,
    keepAlive: true,
  };
  // Two pools: held accounts keep a connection each while their request runs; everything else (the
  // clock, the journal, health) has its own few, so it is never starved by requests that wait for it.
  const sessions = new pg.Pool({ ...poolOptions, max: options.poolSize ?? 20 });
  const pool = new pg.Pool({ ...poolOptions, max: 4 });
  // An idle connection the server dropped (a restart) surfaces here: the pool replaces it on next use.
  pool.on('error', () => undefined);
  sessions.on('error', () => undefined);
  await migrate(pool, location);
  const instance = randomUUID();
  const presence = await holdPresence(options.url, instance, connectionTimeoutMillis);

  /** Writes rows of one account at `version` (tombstones for deletions), on a client inside a transaction. */
  const writeRows = async (client: pg.PoolClient, rows: readonly RowWrite[], version: (account: string) => number) => {
    if (!rows.length) return;
    const columns: [string[], string[], string[], Array<string | null>, Array<Buffer | null>, number[]] = [
      [],
      [],
      [],
      [],
      [],
      [],
    ];
    for (const row of rows) {
      const { json, bytes } = row.value === undefined ? { json: null, bytes: null } : encodeValue(row.value);
      columns[0].push(row.account);
      columns[1].push(row.part);
      columns[2].push(row.key);
      columns[3].push(json);
      columns[4].push(bytes);
      columns[5].push(version(row.account));
    }
    // One statement for every row: columns as arrays, unnested into rows.
    await client.query(
      'INSERT INTO rows (account, part, key, json, bytes, version) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::bigint[]) ON CONFLICT (account, part, key) DO UPDATE SET json = excluded.json, bytes = excluded.bytes, version = excluded.version',
      columns,
    );
  };
  // A transaction that fails is not rolled back here (a ROLLBACK would wait on a database that stopped
  // answering): its connection is dropped by the caller, which rolls it back on the server.
  const transaction = async <T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> => {
    await client.query('BEGIN');
    const result = await work();
    await client.query('COMMIT');
    return result;
  };
  /** Runs `work` on a pooled connection, dropping the connection if it fails. */
  const withClient = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => (broken ??= error);
    client.on('error', onError);
    try {
      const result = await work(client);
      return result;
    } catch (error) {
      broken ??= error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  };

  const shared: SharedStore = {
    instance,
    async alive(other) {
      if (other === instance) return true;
      return withClient(async (client) => {
        // Free only when nobody holds it: that instance has gone (then let go of it at once).
        const { rows } = await client.query<{ free: boolean }>(
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS free',
          [INSTANCE_LOCKS, other],
        );
        if (rows[0]?.free) await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [INSTANCE_LOCKS, other]);
        return !rows[0]?.free;
      });
    },
    async open(key, since) {
      const client = await sessions.connect();
      let broken: Error | undefined;
      // Held for a whole request: a server that goes away meanwhile errors the client, not the process.
      const onError = (error: Error) => (broken ??= error);
      client.on('error', onError);
      try {
        // Waiting for another instance's request on the account: longer than a statement, still bounded.
        await client.query(timed('SELECT pg_advisory_lock($1, hashtext($2))', [ACCOUNT_LOCKS, key], LOCK_WAIT_MS));
        // Where the account stands, then what changed since `since` (every live row when the key has had
        // another life since), in one statement after the lock (a statement's snapshot is taken when it
        // starts). Each branch is an index scan: (account, version) for what changed.
        const read = await client.query<Row & { seq: string | null; version: string | null; part: string | null }>(
          `SELECT a.seq, a.version, NULL AS part, NULL AS key, NULL AS json, NULL::bytea AS bytes, -1::bigint AS ord
             FROM accounts a WHERE a.key = $1
           UNION ALL
           SELECT NULL, NULL, r.part, r.key, r.json, r.bytes, r.seq FROM rows r
             WHERE r.account = $1 AND r.version > $3 AND EXISTS (SELECT 1 FROM accounts a WHERE a.key = $1 AND a.seq = $2)
           UNION ALL
           SELECT NULL, NULL, r.part, r.key, r.json, r.bytes, r.seq FROM rows r
             WHERE r.account = $1 AND (r.json IS NOT NULL OR r.bytes IS NOT NULL)
               AND EXISTS (SELECT 1 FROM accounts a WHERE a.key = $1 AND a.seq <> $2)
           ORDER BY ord`,
          [key, since?.seq ?? -1, since?.version ?? 0],
        );
        const head = read.rows[0];
        let stored: AccountVersion | undefined =
          head && head.seq !== null ? { seq: Number(head.seq), version: Number(head.version) } : undefined;
        const rows = read.rows
          .filter((row) => row.part !== null)
          .map((row) => ({ part: row.part!, key: row.key, value: valueOf(row) }));
        return {
          get stored() {
            return stored;
          },
          rows,
          async commit(writes) {
            try {
              // One statement, so one round trip and atomic: the account's new version, and its rows at it.
              const columns = encodeColumns(writes);
              const { rows: written } = await client.query<{ seq: string; version: string }>(
                `WITH account AS (
                   INSERT INTO accounts (key, version) VALUES ($1, nextval('versions'))
                   ON CONFLICT (key) DO UPDATE SET version = excluded.version RETURNING seq, version
                 ), written AS (
                   INSERT INTO rows (account, part, key, json, bytes, version)
                   SELECT $1, w.part, w.key, w.json, w.bytes, (SELECT version FROM account)
                   FROM unnest($2::text[], $3::text[], $4::text[], $5::bytea[]) AS w (part, key, json, bytes)
                   ON CONFLICT (account, part, key) DO UPDATE
                     SET json = excluded.json, bytes = excluded.bytes, version = excluded.version
                 )
                 SELECT seq, version FROM account`,
                [key, columns.parts, columns.keys, columns.json, columns.bytes],
              );
              const now = { seq: Number(written[0]!.seq), version: Number(written[0]!.version) };
              stored = now;
              return now;
            } catch (error) {
              broken = error as Error;
              throw error;
            }
          },
          async release() {
            if (!broken) {
              try {
                await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [ACCOUNT_LOCKS, key]);
              } catch (error) {
                broken = error as Error;
              }
            }
            // A connection that failed is destroyed (its session's lock goes with it), never reused.
            client.off('error', onError);
            client.release(broken);
          },
        };
      } catch (error) {
        client.off('error', onError);
        client.release(error as Error);
        throw error;
      }
    },
    async globalsSince(version) {
      const { rows } = await pool.query<{ name: string; json: string; version: string }>(
        'SELECT name, json, version FROM globals WHERE version > $1',
        [version],
      );
      let highest = version;
      for (const row of rows) highest = Math.max(highest, Number(row.version));
      return { version: highest, changed: rows.map((row) => [row.name, JSON.parse(row.json)]) };
    },
    async writeGlobal(name, value) {
      const { rows } = await pool.query<{ version: string }>(
        "INSERT INTO globals (name, json, version) VALUES ($1, $2, nextval('versions')) ON CONFLICT (name) DO UPDATE SET json = excluded.json, version = excluded.version RETURNING version",
        [name, JSON.stringify(value)],
      );
      return Number(rows[0]!.version);
    },
    async accountOfRow(part, key) {
      const { rows } = await pool.query<{ account: string }>(
        `SELECT account FROM rows WHERE part = $1 AND key = $2 AND ${LIVE} LIMIT 1`,
        [part, key],
      );
      return rows[0]?.account;
    },
    async deleteAccounts(keys) {
      await withClient((client) =>
        transaction(client, async () => {
          if (keys === 'all') return void (await client.query('DELETE FROM accounts'));
          // Each under its lock: never under a request another instance is serving for it.
          for (const key of [...keys].sort())
            await client.query(
              timed('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ACCOUNT_LOCKS, key], LOCK_WAIT_MS),
            );
          await client.query('DELETE FROM accounts WHERE key = ANY($1)', [keys]);
        }),
      );
    },
  };

  const journal: JournalStore = {
    async append(rows, bounds) {
      // One statement: the new rows in, and the oldest beyond the bounds out (as the journal stood
      // before it: the bounds may be passed by this one batch until the next append).
      await pool.query(
        `WITH added AS (
           INSERT INTO journal (account, bytes, json) SELECT * FROM unnest($1::text[], $2::int[], $3::text[])
         ), by_count AS (${trimJournalSql('$4').byCount}), by_bytes AS (${trimJournalSql('$5').byBytes})
         SELECT 1`,
        [
          rows.map((row) => row.account),
          rows.map((row) => row.bytes),
          rows.map((row) => JSON.stringify(row.entry)),
          bounds.limit,
          bounds.maxBytes,
        ],
      );
    },
    async recent({ account, limit }) {
      const { rows } =
        account === undefined
          ? await pool.query<{ account: string | null; bytes: number; json: string }>(
              'SELECT account, bytes, json FROM journal ORDER BY seq DESC LIMIT $1',
              [limit],
            )
          : await pool.query<{ account: string | null; bytes: number; json: string }>(
              'SELECT account, bytes, json FROM journal WHERE account = $1 ORDER BY seq DESC LIMIT $2',
              [account, limit],
            );
      return rows.map((row) => ({ account: row.account, bytes: Number(row.bytes), entry: JSON.parse(row.json) }));
    },
    async clear(account) {
      if (account === undefined) await pool.query('DELETE FROM journal');
      else await pool.query('DELETE FROM journal WHERE account = $1', [account]);
    },
  };

  let open = true;
  return {
    kind: 'postgres',
    durable: true,
    shared,
    journal,
    async load(): Promise<LoadedState> {
      const accounts = new Map<string, StoredAccount>();
      const started = (text: string) => ({ text, query_timeout: START_QUERY_TIMEOUT_MS });
      for (const row of (
        await pool.query<{ key: string; seq: string; version: string }>(
          started('SELECT key, seq, version FROM accounts ORDER BY seq'),
        )
      ).rows)
        accounts.set(row.key, {
          key: row.key,
          rows: [],
          version: { seq: Number(row.seq), version: Number(row.version) },
        });
      const rows = await pool.query<Row & { account: string }>(
        started(`SELECT account, part, key, json, bytes FROM rows WHERE ${LIVE} ORDER BY seq`),
      );
      for (const row of rows.rows)
        accounts.get(row.account)?.rows.push({ part: row.part, key: row.key, value: valueOf(row) });
      const globals = new Map<string, unknown>();
      let globalsVersion = 0;
      for (const row of (
        await pool.query<{ name: string; json: string; version: string }>(
          started('SELECT name, json, version FROM globals'),
        )
      ).rows) {
        globals.set(row.name, JSON.parse(row.json));
        globalsVersion = Math.max(globalsVersion, Number(row.version));
      }
      return { accounts: [...accounts.values()], globals, globalsVersion };
    },
    // One instance's group commit (tests, tools): every account it touches gets a new version.
    async write(batch: WriteBatch): Promise<void> {
      await withClient((client) =>
        transaction(client, async () => {
          if (batch.deleteAll) await client.query('DELETE FROM accounts');
          if (batch.deleted.length) await client.query('DELETE FROM accounts WHERE key = ANY($1)', [batch.deleted]);
          const versions = new Map<string, number>();
          if (batch.accounts.length) {
            const { rows } = await client.query<{ key: string; version: string }>(
              "INSERT INTO accounts (key, version) SELECT unnest($1::text[]), nextval('versions') ON CONFLICT (key) DO UPDATE SET version = excluded.version RETURNING key, version",
              [batch.accounts],
            );
            for (const row of rows) versions.set(row.key, Number(row.version));
          }
          await writeRows(client, batch.rows, (account) => versions.get(account) ?? 0);
          for (const [name, value] of batch.globals) {
            if (value === undefined) await client.query('DELETE FROM globals WHERE name = $1', [name]);
            else
              await client.query(
                "INSERT INTO globals (name, json, version) VALUES ($1, $2, nextval('versions')) ON CONFLICT (name) DO UPDATE SET json = excluded.json, version = excluded.version",
                [name, JSON.stringify(value)],
              );
          }
        }),
      );
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
      await presence.close();
      await sessions.end();
      await pool.end();
    },
  };
}

/**
 * Holds this instance's presence lock on a connection of its own for as long as the store is open; a
 * connection the server dropped is replaced (the lock taken again) a second later.
 */
async function holdPresence(
  url: string,
  instance: string,
  connectionTimeoutMillis: number,
): Promise<{ close(): Promise<void> }> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis });
    next.on('error', () => {
      if (closed) return;
      client = undefined;
      retry = setTimeout(() => void connect().catch(() => undefined), 1000).unref();
    });
    try {
      await next.connect();
      await next.query('SELECT pg_advisory_lock($1, hashtext($2))', [INSTANCE_LOCKS, instance]);
      client = next;
    } catch (error) {
      await next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect().catch(() => undefined), 1000).unref();
      throw error;
    }
  };
  try {
    await connect();
  } catch (error) {
    closed = true;
    clearTimeout(retry);
    throw error;
  }
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
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
