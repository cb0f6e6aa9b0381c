// The stores' schema, versioned: migration N brings a store from version N-1 to N, applied at start in
// order, each in its own transaction. A store at a version above SCHEMA_VERSION was written by a newer
// mock and is refused (NewerSchemaError). Never edit a released migration: add the next one.

export interface Migration {
  version: number;
  description: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, their rows (part, key → JSON or bytes) and sandbox-wide rows',
    sqlite: `
      CREATE TABLE accounts (key TEXT PRIMARY KEY);
      CREATE TABLE rows (
        account TEXT NOT NULL REFERENCES accounts (key),
        part TEXT NOT NULL,
        key TEXT NOT NULL,
        json TEXT,
        bytes BLOB,
        PRIMARY KEY (account, part, key)
      );
      CREATE TABLE globals (name TEXT PRIMARY KEY, json TEXT NOT NULL);
    `,
    postgres: `
      CREATE TABLE accounts (key TEXT PRIMARY KEY, seq BIGSERIAL UNIQUE, version BIGINT NOT NULL DEFAULT 0);
      CREATE TABLE rows (
        account TEXT NOT NULL REFERENCES accounts (key) ON DELETE CASCADE,
        part TEXT NOT NULL,
        key TEXT NOT NULL,
        json TEXT,
        bytes BYTEA,
        seq BIGSERIAL,
        version BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (account, part, key)
      );
      CREATE TABLE globals (name TEXT PRIMARY KEY, json TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    description:
      'the journal of requests, bounded; several instances on one PostgreSQL: every write numbered from one sequence (rows, accounts, globals), deleted rows kept as tombstones, rows found by (part, key)',
    sqlite: `
      CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT, bytes INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE INDEX journal_by_account ON journal (account, seq);
    `,
    postgres: `
      CREATE TABLE journal (seq BIGSERIAL PRIMARY KEY, account TEXT, bytes INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE INDEX journal_by_account ON journal (account, seq);
      CREATE SEQUENCE versions;
      ALTER TABLE globals ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
      CREATE INDEX rows_by_version ON rows (account, version);
      CREATE INDEX rows_by_part_key ON rows (part, key);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
