// Write-through between the accounts in memory and a durable store (mocks/store/): what a request
// changed is committed before its answer goes out, and the answers of one turn of the event loop share
// one transaction (group commit). On the in-memory store none of this runs: accounts are not tracked and
// `persist` answers undefined, so the request path pays one check.
//
// A batch reads each changed row as it is when the batch runs (a superset of what was marked, never
// less), so a batch is a consistent cut of memory: JavaScript runs it without interruption.
//
// A batch the store refuses (the database away) is not lost: its rows are marked again, and a retry
// follows every `retryDelayMs` until one is written, whether or not another request comes (the
// database back, what was refused reaches it without anyone asking).
import type { RowWrite, Store, WriteBatch } from '../../store/store.js';
import type { Account } from './accounts.js';
import type { StatePart } from './parts.js';
import type { SharedAccounts } from './shared-accounts.js';

export class Persistence {
  private readonly parts = new Map<string, StatePart>();
  private readonly alwaysParts: StatePart[] = [];
  /** Accounts with changes waiting for the next batch. */
  private readonly dirty = new Set<Account>();
  private deleted = new Set<string>();
  private deleteAll = false;
  private readonly globals = new Map<string, { read: () => unknown; restore?: (value: unknown) => void }>();
  private readonly dirtyGlobals = new Set<string>();
  private scheduled: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  /** Batches written since start (health, tests). */
  batches = 0;
  /** The last batch's failure, if the store refused it (the health route reports it). */
  lastError: Error | undefined;
  /** Several instances on one store (PostgreSQL): writes go account by account, under each account's lock. */
  shared: SharedAccounts | undefined;
  /** The retry after a refused batch, while one is waiting. */
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly store: Store,
    /** How long after a refused batch the next attempt starts. */
    private readonly retryDelayMs = 1000,
  ) {}

  get durable(): boolean {
    return this.store.durable;
  }

  /** Adds parts (the engine's, then each API's); a name may be defined once. */
  define(parts: readonly StatePart[]): void {
    for (const part of parts) {
      if (this.parts.has(part.name)) throw new Error(`state part ${part.name} is defined twice`);
      this.parts.set(part.name, part);
      if (part.always) this.alwaysParts.push(part);
    }
  }

  /**
   * A sandbox-wide row (the clock): `read` gives its value when a batch writes it; `restore` puts back
   * what another instance wrote.
   */
  defineGlobal(name: string, read: () => unknown, restore?: (value: unknown) => void): void {
    this.globals.set(name, { read, restore });
  }

  /** Puts back a global row another instance wrote. */
  restoreGlobal(name: string, value: unknown): void {
    this.globals.get(name)?.restore?.(value);
  }

  /** The global row changed: written with the next batch. */
  globalChanged(name: string): Promise<void> | undefined {
    if (!this.durable) return undefined;
    if (this.shared) return this.shared.writeGlobal(name, this.globals.get(name)?.read());
    this.dirtyGlobals.add(name);
    return this.schedule();
  }

  /**
   * Writes what `account` changed with the next batch; the promise settles once it is committed.
   * Undefined when there is nothing to wait for (nothing changed and no batch is running, or memory).
   */
  persist(account: Account): Promise<void> | undefined {
    if (!account.changes) return undefined;
    if (this.shared) return this.shared.persist(account);
    if (!account.changes.empty) {
      this.dirty.add(account);
      return this.schedule();
    }
    // What this request changed may already be in a batch being written: wait for it.
    return this.scheduled ?? this.running;
  }

  /** The account is gone (reset, eviction): its rows go with the next batch. */
  dropAccount(account: Account | string): void {
    if (!this.durable) return;
    const key = typeof account === 'string' ? account : account.key;
    if (this.shared) return void this.shared.delete([key]);
    for (const waiting of this.dirty) if (waiting.key === key) this.dirty.delete(waiting);
    this.deleted.add(key);
    this.schedule().catch(() => undefined);
  }

  /** Every account is gone (POST /__admin/reset without a key). */
  dropAll(): void {
    if (!this.durable) return;
    if (this.shared) return void this.shared.delete('all');
    this.dirty.clear();
    this.deleted.clear();
    this.deleteAll = true;
    this.schedule().catch(() => undefined);
  }

  /** No more retries (the mock is closing; its last flush has run). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.retry = undefined;
  }

  /** Resolves once everything marked so far is committed (close, tests). */
  async flush(): Promise<void> {
    if (this.shared) return this.shared.flush();
    while (this.scheduled || this.running || this.dirty.size) {
      if (this.dirty.size && !this.scheduled) void this.schedule();
      await (this.scheduled ?? this.running);
    }
  }

  private schedule(): Promise<void> {
    this.scheduled ??= new Promise<void>((resolve, reject) => {
      // After this turn's other requests have marked theirs, and after any batch still being written.
      setImmediate(() => {
        const before = this.running ?? Promise.resolve();
        before
          .catch(() => undefined)
          .then(() => {
            this.scheduled = undefined;
            const collected = this.collect();
            this.running = this.store
              .write(collected.batch)
              .catch((error: unknown) => {
                // Not written: what it held is marked again, so the next batch (the store back) writes it.
                this.requeue(collected);
                throw error;
              })
              .finally(() => {
                this.running = undefined;
              });
            return this.running;
          })
          .then(
            () => {
              this.batches++;
              this.lastError = undefined;
              resolve();
            },
            (error: Error) => {
              this.lastError = error;
              this.retryLater();
              reject(error);
            },
          );
      });
    });
    return this.scheduled;
  }

  /** One attempt `retryDelayMs` after a refusal; a refused retry sets the next. The timer keeps no process alive. */
  private retryLater(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.stopped || this.scheduled || this.running) return;
      if (this.dirty.size || this.deleted.size || this.deleteAll || this.dirtyGlobals.size)
        this.schedule().catch(() => undefined);
    }, this.retryDelayMs);
    this.retry.unref();
  }

  /** A batch the store refused, given back: its accounts' rows marked again, its deletions and globals pending again. */
  private requeue({ batch, accounts }: { batch: WriteBatch; accounts: Account[] }): void {
    const byKey = new Map(accounts.map((account) => [account.key, account]));
    for (const row of batch.rows) {
      const account = byKey.get(row.account);
      if (!account?.changes || this.deleted.has(row.account) || this.deleteAll) continue;
      account.changes.mark(row.part, row.key);
      this.dirty.add(account);
    }
    for (const key of batch.deleted) this.deleted.add(key);
    if (batch.deleteAll) this.deleteAll = true;
    for (const [name] of batch.globals) this.dirtyGlobals.add(name);
  }

  /** The batch: every dirty account's changed rows (and its always-written rows), deletions, globals. */
  private collect(): { batch: WriteBatch; accounts: Account[] } {
    const batch: WriteBatch = {
      accounts: [],
      rows: [],
      deleted: [...this.deleted],
      deleteAll: this.deleteAll,
      globals: [],
    };
    this.deleted = new Set();
    this.deleteAll = false;
    for (const account of this.dirty) {
      batch.accounts.push(account.key);
      batch.rows.push(...this.drain(account));
    }
    const accounts = [...this.dirty];
    this.dirty.clear();
    for (const name of this.dirtyGlobals) batch.globals.push([name, this.globals.get(name)?.read()]);
    this.dirtyGlobals.clear();
    return { batch, accounts };
  }

  /** The account's changed rows as they are now (and its always-written rows), forgetting the marks. */
  drain(account: Account): RowWrite[] {
    const rows: RowWrite[] = [];
    for (const [name, keys] of account.changes!.drain()) {
      const part = this.parts.get(name);
      if (!part) throw new Error(`no state part named ${name} (a container marks changes for a part nobody defined)`);
      if (part.always) continue;
      for (const key of keys) rows.push({ account: account.key, part: name, key, value: part.read(account, key) });
    }
    for (const part of this.alwaysParts)
      rows.push({ account: account.key, part: part.name, key: '', value: part.read(account, '') });
    return rows;
  }

  /** Marks rows a commit could not write again, so the next one writes them. */
  remark(account: Account, rows: readonly RowWrite[]): void {
    for (const row of rows) account.changes?.mark(row.part, row.key);
  }

  /**
   * Puts a stored account's rows back (loading at start, or what another instance wrote): a row
   * without a value was deleted there. Rows of parts no longer defined are skipped.
   */
  restore(account: Account, rows: ReadonlyArray<{ part: string; key: string; value: unknown }>): void {
    for (const row of rows) {
      const part = this.parts.get(row.part);
      if (!part) continue;
      if (row.value === undefined) part.forget?.(account, row.key);
      else part.restore(account, row.key, row.value);
    }
  }
}
