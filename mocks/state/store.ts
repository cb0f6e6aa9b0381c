// Per-account state: every API key is its own account, and objects of one account are invisible to
// another. Stored objects are exactly the contract's shapes (types from generated/).
import type { components } from '../../generated/casapay.js';
import { Collection } from './collection.js';
import { ALL_SIGNED, type AccountAgreements } from '../domain/pricing.js';

type Schemas = components['schemas'];
export type CollectionCase = Schemas['CollectionCase'];
export type CaseFile = Schemas['CaseFile'];
export type DebtPayment = Schemas['DebtPayment'];
export type GuaranteePolicy = Schemas['GuaranteePolicy'];
export type Guarantee = Schemas['Guarantee'];
export type Claim = Schemas['Claim'];
export type ApiEvent = Schemas['Event'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type TestClock = Schemas['TestClock'];
export type TimelineEntry = Schemas['TimelineEntry'];

/** Something due at a virtual time (claim review, guarantee expiry, scenario step), run in time order. */
export interface ScheduledTask {
  at: number;
  seq: number;
  /** The test clock whose advance runs it, or null for the account's clock. */
  clock: string | null;
  description: string;
  run: () => void;
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
  schedule: ScheduledTask[];
  scheduleSeq: number;
}

export function createAccount(key: string): AccountState {
  return {
    key,
    livemode: key.startsWith('sk_live_'),
    agreements: { ...ALL_SIGNED },
    unsupportedCountries: new Set(),
    cases: new Collection(),
    references: new Map(),
    timelines: new Map(),
    files: new Collection(),
    fileContents: new Map(),
    payments: new Collection(),
    policies: new Collection(),
    guarantees: new Collection(),
    claims: new Collection(),
    events: new Collection(),
    webhookEndpoints: new Collection(),
    webhookSecrets: new Map(),
    testClocks: new Collection(),
    schedule: [],
    scheduleSeq: 0,
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
    this.seed(account);
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
