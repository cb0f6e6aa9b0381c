// For tests: a PostgreSQL database of their own on the server CASAPAY_TEST_POSTGRES_URL names (`.ci/run`
// starts a throwaway cluster and sets it; locally, point it at any server you may create databases on).
// Without it, the PostgreSQL tests skip and say why.
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export const POSTGRES_URL = process.env.CASAPAY_TEST_POSTGRES_URL || undefined;

export const NO_POSTGRES =
  'no PostgreSQL: set CASAPAY_TEST_POSTGRES_URL to a server where databases may be created (.ci/run starts one)';

/**
 * A fresh, empty database; `drop()` removes it (closing whatever still holds a connection).
 * @example const db = await freshDatabase(); createMockServer({ databaseUrl: db.url }); … await db.drop();
 */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!POSTGRES_URL) throw new Error(NO_POSTGRES);
  const name = `casapay_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
