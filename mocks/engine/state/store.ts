// Per-account state: every API key is its own account, and objects of one account are invisible to
// another. Stored objects are exactly the contract's shapes (types from generated/).
import type { components } from '../../../generated/casapay.js';
import { Collection } from './collection.js';
import { Schedule } from '../scheduler/scheduler.js';
import { ALL_SIGNED, type AccountAgreements } from '../../apis/casapay/rules.js';

type Schemas = components['schemas'];
/** A contract shape with the optional fields the mock always fills made required (see their descriptions). */
type Always<T, K extends keyof T> = T & { [P in K]-?: Exclude<T[P], undefined> };
export type CollectionCase = Always<Schemas['CollectionCase'], 'created'>;
export type CaseFile = Always<Schemas['CaseFile'], 'sha256' | 'content_type'>;
export type DebtPayment = Schemas['DebtPayment'];
export type GuaranteePolicy = Always<Schemas['GuaranteePolicy'], 'metadata'>;
export type Guarantee = Schemas['Guarantee'];
export type Claim = Schemas['Claim'];
export type ApiEvent = Always<Schemas['Event'], 'api_version' | 'livemode' | 'request' | 'pending_webhooks'>;
export type WebhookEndpoint = Always<Schemas['WebhookEndpoint'], 'enabled_events' | 'api_version' | 'description' | 'metadata'>;
export type TestClock = Schemas['TestClock'];
export type TimelineEntry = Schemas['TimelineEntry'];

export type { ScheduledTask } from '../scheduler/scheduler.js';

/** A scenario applied to an account: the scenario and the variables its steps share (`as:` results). */
export interface AppliedScenario {
  scenario: { name: string; steps: readonly unknown[] } & Record<string, any>;
  vars: Record<string, unknown>;
}

export interface AccountState {
  key: string;
  livemode: boolean;
  agreements: AccountAgreements;
  /** Jurisdictions without a partner for this account (`*` = all), set by scenarios. */
  unsupportedCountries: Set<string>;
  cases: Collection<CollectionCase>;
  /** reference → case id */
  references: Map<string, string>;
  timelines: Map<string, TimelineEntry[]>;
  files: Collection<CaseFile>;
  fileContents: Map<string, Buffer>;
  payments: Collection<DebtPayment>;
  policies: Collection<GuaranteePolicy>;
  guarantees: Collection<Guarantee>;
  claims: Collection<Claim>;
  events: Collection<ApiEvent>;
  webhookEndpoints: Collection<WebhookEndpoint>;
  /** Endpoint secrets, kept apart so the stored endpoint never leaks its secret after create. */
  webhookSecrets: Map<string, string>;
  testClocks: Collection<TestClock>;
  /** What is due on virtual time, one queue per clock (mocks/engine/scheduler/). */
  schedule: Schedule;
  /** Scenarios applied to this account, by name, for their scheduled steps. */
  scenarios: Map<string, AppliedScenario>;
  /** The test clock guarantees created without `test_clock` go on (set by a scenario: the quickstart's 2024 clock). */
  guaranteeClock: string | null;
}

export function createAccount(key: string): AccountState {
  return {
    key,
    livemode: key.startsWith('sk_live_'),
    agreements: { ...ALL_SIGNED },
    unsupportedCountries: new Set(),
    // What GET /v1/collection_cases filters on, so a filter walks only the matching cases.
    cases: new Collection<CollectionCase>({ status: (c) => c.status, debtor_country: (c) => c.debtor?.country, debtor_type: (c) => c.debtor?.type }),
    references: new Map(),
    timelines: new Map(),
    files: new Collection<CaseFile>({ case: (f) => f.case }),
    fileContents: new Map(),
    payments: new Collection<DebtPayment>({ case: (p) => p.case }),
    policies: new Collection(),
    guarantees: new Collection(),
    claims: new Collection(),
    events: new Collection(),
    webhookEndpoints: new Collection(),
    webhookSecrets: new Map(),
    testClocks: new Collection(),
    schedule: new Schedule(),
    scenarios: new Map(),
    guaranteeClock: null,
  };
}

/** All accounts of one mock server, created on first use of a key. */
export class Store {
  private readonly accounts = new Map<string, AccountState>();
  /** Accounts dropped to stay within maxAccounts, since start (for the admin's account list). */
  evicted = 0;

  /**
   * `seed` runs once on each new account (scenarios); it must not create accounts itself.
   * `maxAccounts` bounds the accounts kept: opening one more evicts the least recently used (Map
   * order is use order: every use moves the account to the end). Unbounded when undefined, and then
   * a use costs nothing extra.
   */
  constructor(
    private readonly seed: (account: AccountState) => void = () => undefined,
    readonly maxAccounts?: number,
    private readonly onEvict: (key: string) => void = () => undefined,
  ) {}

  account(key: string): AccountState {
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
    account = createAccount(key);
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

  peek(key: string): AccountState | undefined {
    return this.accounts.get(key);
  }

  reset(key?: string): void {
    if (key === undefined) this.accounts.clear();
    else this.accounts.delete(key);
  }

  all(): AccountState[] {
    return [...this.accounts.values()];
  }

  get size(): number {
    return this.accounts.size;
  }
}
