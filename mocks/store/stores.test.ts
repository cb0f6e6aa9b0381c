// Each durable store on its own: a batch written is what loads back (JSON rows, bytes, globals,
// deletions, a reset of everything), in first-write order; the schema is migrated once and a newer
// one is refused; health says where the store is. PostgreSQL runs where CASAPAY_TEST_POSTGRES_URL is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './migrations.js';
import { openPostgresStore, redactUrl } from './postgres-store.js';
import { openSqliteDriver, openSqliteStore, SQLITE_FILE } from './sqlite-store.js';
import type { Store, WriteBatch } from './store.js';
import { freshDatabase, NO_POSTGRES, POSTGRES_URL } from './test-postgres.js';

const folders: string[] = [];
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  for (const drop of drops) await drop();
});

const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'casapay-store-'));
  folders.push(dir);
  return dir;
};

const batch = (overrides: Partial<WriteBatch>): WriteBatch => ({
  accounts: [],
  rows: [],
  deleted: [],
  deleteAll: false,
  globals: [],
  ...overrides,
});

/** Opens a fresh store of each kind; a second open on the same place gives the reopened store. */
const KINDS: Array<[string, () => Promise<{ open(): Promise<Store> }>, string | undefined]> = [
  [
    'sqlite',
    async () => {
      const dir = folder();
      return { open: async () => openSqliteStore({ dataDir: dir }) };
    },
    undefined,
  ],
  [
    'postgres',
    async () => {
      const db = await freshDatabase();
      drops.push(db.drop);
      return { open: () => openPostgresStore({ url: db.url }) };
    },
    POSTGRES_URL ? undefined : NO_POSTGRES,
  ],
];

describe.each(KINDS)('the %s store', (kind, place, skip) => {
  it.skipIf(skip)('loads back what it wrote: rows in first-write order, bytes, globals, deletions', async () => {
    const at = await place();
    const store = await at.open();
    expect(await store.load()).toMatchObject({ accounts: [], globals: new Map() });
    await store.write(
      batch({
        accounts: ['sk_test_a', 'sk_test_b'],
        rows: [
          { account: 'sk_test_a', part: 'casapay.cases', key: 'dc_2', value: { id: 'dc_2', n: 2 } },
          { account: 'sk_test_a', part: 'casapay.cases', key: 'dc_1', value: { id: 'dc_1', n: 1 } },
          { account: 'sk_test_a', part: 'casapay.file_contents', key: 'file_1', value: Buffer.from([0, 1, 255]) },
          { account: 'sk_test_b', part: 'engine.account', key: '', value: { nextTaskSeq: 3 } },
        ],
        globals: [['engine.clock', { frozenAtMs: null, offsetMs: 5 }]],
      }),
    );
    // An update keeps its place; a deletion goes; a deleted account takes its rows.
    await store.write(
      batch({
        accounts: ['sk_test_a'],
        rows: [
          { account: 'sk_test_a', part: 'casapay.cases', key: 'dc_2', value: { id: 'dc_2', n: 22 } },
          { account: 'sk_test_a', part: 'casapay.cases', key: 'dc_1', value: undefined },
        ],
        deleted: ['sk_test_b'],
      }),
    );
    await store.close();
    const again = await at.open();
    const loaded = await again.load();
    expect(loaded.accounts.map(withoutVersion)).toEqual([
      {
        key: 'sk_test_a',
        rows: [
          { part: 'casapay.cases', key: 'dc_2', value: { id: 'dc_2', n: 22 } },
          { part: 'casapay.file_contents', key: 'file_1', value: Buffer.from([0, 1, 255]) },
        ],
      },
    ]);
    expect(loaded.globals.get('engine.clock')).toEqual({ frozenAtMs: null, offsetMs: 5 });
    await again.write(batch({ deleteAll: true, accounts: ['sk_test_c'] }));
    expect((await again.load()).accounts.map(withoutVersion)).toEqual([{ key: 'sk_test_c', rows: [] }]);
    expect(await again.health()).toMatchObject({ store: kind, reachable: true });
    await again.close();
  });
});

describe('the SQLite store file', () => {
  it('is migrated to the current schema version, and a newer one is refused with a message', async () => {
    const dir = folder();
    await (await Promise.resolve(openSqliteStore({ dataDir: dir }))).close();
    const db = openSqliteDriver(join(dir, SQLITE_FILE));
    const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get() as object)[0];
    expect(pragma('user_version')).toBe(SCHEMA_VERSION);
    expect(pragma('journal_mode')).toBe('wal');
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStore({ dataDir: dir })).toThrow(/schema version \d+, newer than this mock knows/);
  });
});

/** A stored account without where it stood (only a shared store says). */
function withoutVersion({ key, rows }: { key: string; rows: unknown[] }) {
  return { key, rows };
}

describe('the PostgreSQL store', () => {
  it.skipIf(!POSTGRES_URL)(
    'lets several instances share a database: one holds an account at a time, the next reads only what changed',
    async () => {
      const db = await freshDatabase();
      drops.push(db.drop);
      const [a, b] = [await openPostgresStore({ url: db.url }), await openPostgresStore({ url: db.url })];
      const held = await a.shared!.open('sk_test_a', undefined);
      expect(held.stored).toBeUndefined();
      const first = await held.commit([
        { account: 'sk_test_a', part: 'casapay.cases', key: 'dc_1', value: { id: 'dc_1' } },
        { account: 'sk_test_a', part: 'casapay.cases', key: 'dc_2', value: { id: 'dc_2' } },
      ]);
      // B waits for the account while A holds it.
      let bHas = false;
      const waiting = b.shared!.open('sk_test_a', undefined).then((session) => ((bHas = true), session));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(bHas).toBe(false);
      await held.release();
      const seen = await waiting;
      expect(seen.stored).toEqual(first);
      expect(seen.rows.map((row) => row.key)).toEqual(['dc_1', 'dc_2']);
      // B deletes one and changes the other; A, catching up from where it was, reads exactly that.
      const second = await seen.commit([
        { account: 'sk_test_a', part: 'casapay.cases', key: 'dc_1', value: undefined },
        { account: 'sk_test_a', part: 'casapay.cases', key: 'dc_2', value: { id: 'dc_2', n: 2 } },
      ]);
      await seen.release();
      const caught = await a.shared!.open('sk_test_a', first);
      expect(caught.stored).toEqual(second);
      expect(caught.rows).toEqual([
        { part: 'casapay.cases', key: 'dc_1', value: undefined },
        { part: 'casapay.cases', key: 'dc_2', value: { id: 'dc_2', n: 2 } },
      ]);
      await caught.release();
      // A reset starts a new life of the key: another seq, read whole.
      expect(await a.shared!.accountOfRow('casapay.cases', 'dc_2')).toBe('sk_test_a');
      await b.shared!.deleteAccounts(['sk_test_a']);
      expect(await a.shared!.accountOfRow('casapay.cases', 'dc_2')).toBeUndefined();
      const reborn = await a.shared!.open('sk_test_a', second);
      expect(reborn.stored).toBeUndefined();
      expect((await reborn.commit([])).seq).not.toBe(second.seq);
      await reborn.release();
      // Sandbox-wide rows: each instance reads what the other wrote after the version it has.
      await a.shared!.writeGlobal('engine.clock', { frozenAtMs: 1, offsetMs: 0 });
      const globals = await b.shared!.globalsSince(0);
      expect(globals.changed).toEqual([['engine.clock', { frozenAtMs: 1, offsetMs: 0 }]]);
      expect((await b.shared!.globalsSince(globals.version)).changed).toEqual([]);
      await a.close();
      await b.close();
    },
  );

  it('never shows a password', () => {
    expect(redactUrl('postgres://mock:s3cret@db.example:5432/mock')).toBe('postgres://mock:***@db.example:5432/mock');
  });
});
