// CasaPay's state of an account: its collections (stored objects are exactly the contract's shapes,
// types from generated/), agreements, test clocks and what scenarios set. Added to every account when
// it opens (the module's initAccount), so handlers read `ctx.account.cases`.
import type { components } from '../../../generated/casapay.js';
import { Collection } from '../../engine/state/collection.js';
import type { Account } from '../../engine/state/accounts.js';
import { ALL_SIGNED, type AccountAgreements } from './rules.js';

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
export type WebhookEndpoint = Always<
  Schemas['WebhookEndpoint'],
  'enabled_events' | 'api_version' | 'description' | 'metadata'
>;
export type TestClock = Schemas['TestClock'];
export type TimelineEntry = Schemas['TimelineEntry'];

export interface CasaPayState {
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
  /** The test clock guarantees created without `test_clock` go on (set by a scenario: the quickstart's 2024 clock). */
  guaranteeClock: string | null;
}

/** An account as CasaPay's handlers see it: the engine's part and CasaPay's. */
export type AccountState = Account & CasaPayState;

/** Gives a new account CasaPay's state (every account gets it: the admin dump lists it for any key). */
export function initCasaPayAccount(account: Account): AccountState {
  return Object.assign(account, {
    livemode: account.key.startsWith('sk_live_'),
    agreements: { ...ALL_SIGNED },
    unsupportedCountries: new Set<string>(),
    // What GET /v1/collection_cases filters on, so a filter walks only the matching cases.
    cases: new Collection<CollectionCase>({
      status: (c) => c.status,
      debtor_country: (c) => c.debtor?.country,
      debtor_type: (c) => c.debtor?.type,
    }),
    references: new Map<string, string>(),
    timelines: new Map<string, TimelineEntry[]>(),
    files: new Collection<CaseFile>({ case: (f) => f.case }),
    fileContents: new Map<string, Buffer>(),
    payments: new Collection<DebtPayment>({ case: (p) => p.case }),
    policies: new Collection<GuaranteePolicy>(),
    guarantees: new Collection<Guarantee>(),
    claims: new Collection<Claim>(),
    events: new Collection<ApiEvent>(),
    webhookEndpoints: new Collection<WebhookEndpoint>(),
    webhookSecrets: new Map<string, string>(),
    testClocks: new Collection<TestClock>(),
    guaranteeClock: null,
  });
}

/** CasaPay's view of any account (every account has CasaPay's state from its opening). */
export const casapayAccount = (account: Account): AccountState => account as AccountState;

/**
 * The objects an account stores in CasaPay's collections (events not counted: they are a window of their own).
 * @example storedCasaPayObjects(account) // 3 after one case, one file and one test clock
 */
export const storedCasaPayObjects = (account: AccountState): number =>
  account.cases.size +
  account.files.size +
  account.payments.size +
  account.policies.size +
  account.guarantees.size +
  account.claims.size +
  account.testClocks.size +
  account.webhookEndpoints.size;
