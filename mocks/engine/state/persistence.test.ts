// Write-through as the engine does it: what a tracked account's containers mark goes to the store in one
// batch per turn of the event loop, read as it is when the batch runs; a batch the store refuses is
// not lost — its rows are marked again and the next batch writes them.
import { describe, expect, it } from 'vitest';
import type { Store, WriteBatch } from '../../store/store.js';
import { createAccount } from './accounts.js';
import { mapFor } from './changes.js';
import { mapPart, metaPart } from './parts.js';
import { Persistence } from './persistence.js';

/** A store that keeps the batches it is given, and refuses the first `failures` of them. */
function recordingStore(failures = 0): Store & { batches: WriteBatch[] } {
  const batches: WriteBatch[] = [];
  let refusals = failures;
  return {
    kind: 'sqlite',
    durable: true,
    batches,
    load: async () => ({ accounts: [], globals: new Map() }),
    write: async (batch) => {
      if (refusals-- > 0) throw new Error('the database is away');
      batches.push(batch);
    },
    health: async () => ({ store: 'sqlite', reachable: true }),
    close: async () => undefined,
  };
}

function trackedAccount(persistence: Persistence) {
  const account = createAccount('acct_persist', true) as ReturnType<typeof createAccount> & {
    notes: Map<string, string>;
  };
  account.notes = mapFor<string>(account, 'test.notes');
  persistence.define([
    mapPart('test.notes', (a) => (a as typeof account).notes),
    metaPart(
      'engine.account',
      () => ({ nextTaskSeq: 0 }),
      () => undefined,
    ),
    { name: 'engine.schedule', read: () => undefined, entries: () => [], restore: () => undefined },
  ]);
  return account;
}

describe('Persistence', () => {
  it('writes what the requests of one turn changed in one batch, as it is when the batch runs', async () => {
    const store = recordingStore();
    const persistence = new Persistence(store);
    const account = trackedAccount(persistence);
    account.notes.set('a', 'first');
    const one = persistence.persist(account);
    account.notes.set('b', 'second');
    account.notes.set('a', 'changed');
    const two = persistence.persist(account);
    await Promise.all([one, two]);
    expect(store.batches).toHaveLength(1);
    const rows = store.batches[0]!.rows.filter((row) => row.part === 'test.notes');
    expect(rows.map((row) => [row.key, row.value])).toEqual([
      ['a', 'changed'],
      ['b', 'second'],
    ]);
  });

  it('a refused batch is written by the next one, nothing of it lost', async () => {
    const store = recordingStore(1);
    const persistence = new Persistence(store);
    const account = trackedAccount(persistence);
    account.notes.set('kept', 'yes');
    await expect(persistence.persist(account)).rejects.toThrow(/away/);
    expect(persistence.lastError?.message).toMatch(/away/);
    account.notes.set('later', 'too');
    await persistence.persist(account);
    const rows = store.batches.flatMap((batch) => batch.rows).filter((row) => row.part === 'test.notes');
    expect(Object.fromEntries(rows.map((row) => [row.key, row.value]))).toEqual({ kept: 'yes', later: 'too' });
    expect(persistence.lastError).toBeUndefined();
  });

  it('a refused batch is retried without another request, until the store takes it', async () => {
    const store = recordingStore(3);
    const persistence = new Persistence(store, 5);
    const account = trackedAccount(persistence);
    account.notes.set('alone', 'yes');
    await expect(persistence.persist(account)).rejects.toThrow(/away/);
    // Nothing else is asked of it: the retries (refused twice more) write the row on their own.
    for (let i = 0; i < 400 && store.batches.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const rows = store.batches.flatMap((batch) => batch.rows).filter((row) => row.part === 'test.notes');
    expect(rows.map((row) => [row.key, row.value])).toEqual([['alone', 'yes']]);
    expect(persistence.lastError).toBeUndefined();
  });

  it('stopped, it retries no more', async () => {
    const store = recordingStore(1);
    const persistence = new Persistence(store, 5);
    const account = trackedAccount(persistence);
    account.notes.set('dropped', 'yes');
    await expect(persistence.persist(account)).rejects.toThrow(/away/);
    persistence.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(store.batches).toHaveLength(0);
  });

  it('an untracked account (the in-memory store) has nothing to wait for', () => {
    const persistence = new Persistence(recordingStore());
    expect(persistence.persist(createAccount('acct_memory'))).toBeUndefined();
  });
});
