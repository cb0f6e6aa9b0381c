// The accounts of one mock: every key is its own account, and objects of one account are invisible to
// another. The engine's account holds only what the engine itself uses (its key, its schedule, the
// scenarios applied to it); each API adds its state when the account opens (ApiModule.initAccount), so
// a CasaPay account carries CasaPay's collections and the engine never names them.
import { Schedule } from '../scheduler/scheduler.js';
import { ChangeSet, mapFor } from './changes.js';

export type { ScheduledTask } from '../scheduler/scheduler.js';

/**
 * How an X-Mock-Scenario header is kept in an account's key: `<key>|scenario:<name>[:session]`, a
 * separate account per scenario session, filed (journal, eviction) under its base key.
 */
export const SCENARIO_SUFFIX = '|scenario:';

/** A scenario applied to an account: the scenario and the variables its steps share (`as:` results). */
export interface AppliedScenario {
  scenario: { name: string; steps: readonly unknown[] } & Record<string, any>;
  vars: Record<string, unknown>;
}

export interface Account {
  key: string;
  /** What is due on virtual time, one queue per clock (engine/scheduler/). */
  schedule: Schedule;
  /** Scenarios applied to this account, by name, for their scheduled steps. */
  scenarios: Map<string, AppliedScenario>;
  /** What changed since the store last wrote the account; undefined when the store keeps nothing (in memory). */
  changes?: ChangeSet;
}

/** A new account: the engine's part; the APIs add theirs (`init`). Tracked: its changes are recorded for a durable store. */
export function createAccount(key: string, tracked = false): Account {
  if (!tracked) return { key, schedule: new Schedule(), scenarios: new Map() };
  const changes = new ChangeSet();
  const account: Account = { key, schedule: new Schedule(), scenarios: new Map(), changes };
  // Scenario variables change in place as steps run: whatever a write looked at is written again.
  account.scenarios = mapFor<AppliedScenario>(account, 'engine.scenarios', { markOnGet: true });
  account.schedule.track((seq) => changes.mark('engine.schedule', String(seq)));
  return account;
}

/** All accounts of one mock server, created on first use of a key. */
export class AccountStore {
  private readonly accounts = new Map<string, Account>();
  /** Accounts dropped to stay within maxAccounts, since start (for the admin's account list). */
  evicted = 0;

  /**
   * `init` gives each new account the APIs' state; then `seed` runs once on it (scenarios); neither may
   * create accounts itself.
   * `maxAccounts` bounds the accounts kept: opening one more evicts the least recently used (Map
   * order is use order: every use moves the account to the end). Unbounded when undefined, and then
   * a use costs nothing extra.
   */
  constructor(
    private readonly init: (account: Account) => void = () => undefined,
    private readonly seed: (account: Account) => void = () => undefined,
    readonly maxAccounts?: number,
    private readonly onEvict: (key: string) => void = () => undefined,
    /** Accounts record their changes (a durable store writes them). */
    readonly tracked = false,
  ) {}

  /** Opens an account the store kept (loading at start, or catching up with another instance): initialised, not seeded. */
  restore(key: string): Account {
    const existing = this.accounts.get(key);
    if (existing) return existing;
    const account = createAccount(key, this.tracked);
    this.init(account);
    this.accounts.set(key, account);
    return account;
  }

  account(key: string): Account {
    let account = this.accounts.get(key);
    if (account) {
      if (this.maxAccounts !== undefined) {
        this.accounts.delete(key);
        this.accounts.set(key, account);
      }
      return account;
    }
    if (this.maxAccounts !== undefined) {
      while (this.accounts.size >= this.maxAccounts) {
        const oldest = this.accounts.keys().next().value as string;
        this.accounts.delete(oldest);
        this.evicted++;
        this.onEvict(oldest);
      }
    }
    account = createAccount(key, this.tracked);
    // A new account is kept even while it holds nothing (its key opened it).
    account.changes?.mark('engine.account', '');
    this.init(account);
    this.accounts.set(key, account);
    try {
      this.seed(account);
    } catch (error) {
      // A seed that failed (a scenario file unreadable for want of file descriptors) leaves no
      // half-seeded account behind: the next request with this key seeds it afresh.
      this.accounts.delete(key);
      throw error;
    }
    return account;
  }

  peek(key: string): Account | undefined {
    return this.accounts.get(key);
  }

  reset(key?: string): void {
    if (key === undefined) this.accounts.clear();
    else this.accounts.delete(key);
  }

  all(): Account[] {
    return [...this.accounts.values()];
  }

  get size(): number {
    return this.accounts.size;
  }
}
