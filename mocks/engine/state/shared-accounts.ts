// Several instances on one store (PostgreSQL, `--database-url`): they serve one sandbox. An account is
// served by one instance at a time: before a request (a due task, a delivery's record) touches it, the
// instance takes the account's lock in the store — waiting while another instance holds it — and
// applies what the others wrote since it last looked (rows numbered from one sequence, deletions as
// tombstones). What it changes is committed before the answer goes out; the lock is let go once the
// answer is out. So a client behind a balancer reads its own writes on every instance, one
// Idempotency-Key sent to two instances at once executes once, and a task runs once.
//
// Within one instance the same account is also held by one request at a time (a queue per key), so
// one connection waits for the store's lock, not several.
import type { AccountSession, AccountVersion, SharedStore } from '../../store/store.js';
import type { Account, AccountStore } from './accounts.js';
import type { Persistence } from './persistence.js';

export interface SharedAccountsDeps {
  store: SharedStore;
  accounts: AccountStore;
  persistence: Persistence;
  /** Seeds an account new to the store (its scenarios): the instance that creates it, once. */
  seed(account: Account): void;
  /** Forgets what this instance holds of an account another instance reset (its deliveries, tokens, journal). */
  dropLocal(key: string): void;
  /** After rows of another instance were applied (delivery logs to mirror). */
  applied(account: Account): void;
}

interface Held {
  account: Account;
  session: AccountSession;
  unlock(): void;
  /** How many requests of this instance in a row have had the lock without letting it go. */
  handoffs: number;
}

/**
 * Requests of one instance in a row that may pass the account's lock on without letting it go (no
 * round trips to take it and catch up: nobody else can have written meanwhile); then it goes back to
 * the store, so other instances waiting for the account get their turn.
 */
const MAX_HANDOFFS = 16;

export class SharedAccounts {
  /** Where each account stood in the store when this instance last read or wrote it. */
  private readonly synced = new WeakMap<Account, AccountVersion>();
  /** Accounts opened before their lock was taken (a request's credentials named them): seeded under it. */
  private readonly unseeded = new WeakSet<Account>();
  /** Key → the tail of this instance's queue for it. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly held = new Map<string, Held>();
  /** Key → the requests of this instance waiting for it. */
  private readonly waiting = new Map<string, number>();
  /** Sessions let go to the next waiter of this instance, still holding the store's lock. */
  private readonly passed = new Map<string, { session: AccountSession; account: Account; handoffs: number }>();
  /** Accounts a background commit is already waiting for (the ticker does not pile up). */
  private readonly background = new Set<string>();
  /** The highest version of the sandbox-wide rows this instance has applied. */
  globalsVersion = 0;

  constructor(private readonly deps: SharedAccountsDeps) {}

  /** An account opened without its lock (credentials checked before it): seeded once the lock says it is new. */
  openedUnlocked(account: Account): void {
    this.unseeded.add(account);
  }

  /** An account loaded at start stands where the store had it. */
  loaded(account: Account, version: AccountVersion | undefined): void {
    if (version) this.synced.set(account, version);
  }

  /**
   * Takes the account (waiting for this instance's other users of it, then for other instances), brings
   * it up to date, and answers it; `changed` says whether anything was applied or the account replaced.
   */
  async acquire(key: string): Promise<{ account: Account; changed: boolean }>;
  async acquire(key: string, create: false): Promise<{ account: Account | undefined; changed: boolean }>;
  async acquire(key: string, create = true): Promise<{ account: Account | undefined; changed: boolean }> {
    const before = this.queues.get(key) ?? Promise.resolve();
    let unlock!: () => void;
    const mine = new Promise<void>((resolve) => (unlock = resolve));
    const tail = before.then(() => mine);
    this.queues.set(key, tail);
    const done = () => {
      unlock();
      if (this.queues.get(key) === tail) this.queues.delete(key);
    };
    this.waiting.set(key, (this.waiting.get(key) ?? 0) + 1);
    await before;
    const waiters = this.waiting.get(key)! - 1;
    if (waiters) this.waiting.set(key, waiters);
    else this.waiting.delete(key);
    const passed = this.passed.get(key);
    this.passed.delete(key);
    if (passed && this.deps.accounts.peek(key) === passed.account) {
      this.held.set(key, { ...passed, unlock: done });
      return { account: passed.account, changed: false };
    }
    if (passed) await passed.session.release().catch(() => undefined);
    let session: AccountSession | undefined;
    try {
      const { accounts, persistence } = this.deps;
      let account = accounts.peek(key);
      const since = account && this.synced.get(account);
      session = await this.deps.store.open(key, since);
      let changed = false;
      const stored = session.stored;
      if (!stored) {
        // Reset or evicted by another instance since this one last saw it: start it again.
        if (account && since) {
          this.deps.dropLocal(key);
          account = undefined;
          changed = true;
        }
        if (!create) {
          // Looking must not create it: the store has no such account.
          await session.release();
          done();
          return { account: undefined, changed };
        }
        account ??= accounts.account(key);
        if (this.unseeded.delete(account)) {
          this.deps.seed(account);
          changed = true;
        }
      } else {
        // Opened here before the lock, or of an earlier life of the key: the store's is the account.
        if (account && (!since || since.seq !== stored.seq)) {
          this.deps.dropLocal(key);
          account = undefined;
          changed = true;
        }
        account ??= accounts.restore(key);
        this.unseeded.delete(account);
        if (session.rows.length) {
          persistence.restore(account, session.rows);
          this.deps.applied(account);
          changed = true;
        }
        this.synced.set(account, stored);
      }
      this.held.set(key, { account, session, unlock: done, handoffs: 0 });
      return { account, changed };
    } catch (error) {
      // Taken but not brought up to date (a row this code cannot put back): the store's lock goes too.
      await session?.release().catch(() => undefined);
      done();
      throw error;
    }
  }

  /** Commits what the held account changed (before its answer goes out). */
  async commit(key: string): Promise<void> {
    const held = this.held.get(key);
    if (!held) return;
    const { account, session } = held;
    if (account.changes?.empty && this.synced.has(account)) return;
    const rows = this.deps.persistence.drain(account);
    try {
      this.synced.set(account, await session.commit(rows));
    } catch (error) {
      this.deps.persistence.remark(account, rows);
      throw error;
    }
  }

  /** Commits what is left (an error's answer, a refusal's idempotency record) and lets the account go. */
  async release(key: string): Promise<void> {
    const held = this.held.get(key);
    if (!held) return;
    // A session whose commit failed (its connection may be gone) goes back, never on.
    let failed = false;
    try {
      await this.commit(key).catch(() => (failed = true));
    } finally {
      this.held.delete(key);
      if (!failed && this.waiting.has(key) && held.handoffs < MAX_HANDOFFS)
        this.passed.set(key, { session: held.session, account: held.account, handoffs: held.handoffs + 1 });
      else await held.session.release().catch(() => undefined);
      held.unlock();
    }
  }

  /** Runs `work` on the account under its lock, then commits and lets it go. */
  async exclusive<T>(key: string, work: (account: Account) => T): Promise<T> {
    const { account } = await this.acquire(key);
    return this.runHeld(key, account, work);
  }

  /** Runs `work` on the account if the store has it (never creating it), under its lock; commits after. */
  async visit<T>(key: string, work: (account: Account | undefined) => T): Promise<T> {
    const { account } = await this.acquire(key, false);
    return account ? this.runHeld(key, account, work) : work(undefined);
  }

  private async runHeld<T>(key: string, account: Account, work: (account: Account) => T): Promise<T> {
    try {
      const result = work(account);
      await this.commit(key);
      return result;
    } finally {
      await this.release(key);
    }
  }

  /**
   * What the account changed, committed: by the request holding it, else on its own (a delivery's
   * record, a task the ticker ran).
   */
  persist(account: Account): Promise<void> | undefined {
    if (this.held.get(account.key)?.account === account) return this.commit(account.key);
    if (account.changes?.empty) return undefined;
    // An account another instance reset meanwhile is not made again for what is left here.
    return this.visit(account.key, () => undefined);
  }

  /** Runs `work` under the account's lock unless it is held or already waited for (the ticker). */
  inBackground(key: string, work: (account: Account) => void): void {
    if (this.held.has(key) || this.background.has(key)) return;
    this.background.add(key);
    void this.visit(key, (account) => account && work(account))
      .catch(() => undefined)
      .finally(() => this.background.delete(key));
  }

  /** Deletes accounts from the store (reset, eviction); flush() waits for it. */
  delete(keys: readonly string[] | 'all'): Promise<void> {
    const deleting = this.deps.store.deleteAccounts(keys);
    this.deletions.add(deleting);
    void deleting.catch(() => undefined).finally(() => this.deletions.delete(deleting));
    return deleting;
  }

  private readonly deletions = new Set<Promise<void>>();

  /** Writes a sandbox-wide row; this instance's writes go in order (two clock changes land as made). */
  writeGlobal(name: string, value: unknown): Promise<void> {
    const write = this.globalWrites.catch(() => undefined).then(() => this.deps.store.writeGlobal(name, value));
    this.globalWrites = write.then(() => undefined);
    return this.globalWrites;
  }

  private globalWrites: Promise<void> = Promise.resolve();

  /** Applies the sandbox-wide rows (the clock) other instances wrote since this one last looked. */
  async syncGlobals(): Promise<void> {
    const { version, changed } = await this.deps.store.globalsSince(this.globalsVersion);
    for (const [name, value] of changed) this.deps.persistence.restoreGlobal(name, value);
    this.globalsVersion = Math.max(this.globalsVersion, version);
  }

  /** Whether another instance is still connected to the store (its deliveries stay its own). */
  alive(instance: string): Promise<boolean> {
    return this.deps.store.alive(instance);
  }

  /** The account holding a row (a Debitura token minted on another instance). */
  accountOfRow(part: string, key: string): Promise<string | undefined> {
    return this.deps.store.accountOfRow(part, key);
  }

  /** Resolves once nothing is held or waiting (close). */
  async flush(): Promise<void> {
    while (this.queues.size) await Promise.all([...this.queues.values()]).catch(() => undefined);
    await Promise.all(this.deletions);
    await this.globalWrites;
  }
}
