// CasaPay's state of an account: its collections (stored objects are exactly the contract's shapes,
// types from generated/), agreements, test clocks and what scenarios set. Added to every account when
// it opens (the module's initAccount), so handlers read `ctx.account.cases`.
import type { components } from '../../../generated/casapay.js';
import { Collection } from '../../engine/state/collection.js';
import type { Account } from '../../engine/state/accounts.js';
import { mapFor, setFor, tracked } from '../../engine/state/changes.js';
import { collectionPart, mapPart, metaPart, setPart, type StatePart } from '../../engine/state/parts.js';
import { ALL_SIGNED, type AccountAgreements } from './rules.js';
import { timelineEntries, type StoredTimeline } from './timelines.js';

type Schemas = components['schemas'];
/** A contract shape with the optional fields the mock always fills made required (see their descriptions). */
type Always<T, K extends keyof T> = T & { [P in K]-?: Exclude<T[P], undefined> };
export type CollectionCase = Always<Schemas['CollectionCase'], 'created'>;
export type CaseFile = Always<Schemas['CaseFile'], 'sha256' | 'content_type'>;
export type DebtPayment = Schemas['DebtPayment'];
export type GuaranteePolicy = Always<Schemas['GuaranteePolicy'], 'metadata'>;
export type Guarantee = Schemas['Guarantee'];
/**
 * The policy terms a guarantee keeps from the moment it is written: a later change of its policy applies
 * to guarantees created afterwards (the contract's GuaranteePolicy and Guarantee descriptions say which).
 * `total_coverage` keeps `max_coverage_months` on the guarantee itself.
 */
export type GuaranteeTerms = Pick<GuaranteePolicy, 'waiting_period_days' | 'deductible_amount'>;
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
  /** case id → its timeline; read it with timelineOf (./timelines.ts: a new case keeps no entry of its own). */
  timelines: Map<string, StoredTimeline>;
  files: Collection<CaseFile>;
  fileContents: Map<string, Buffer>;
  payments: Collection<DebtPayment>;
  policies: Collection<GuaranteePolicy>;
  guarantees: Collection<Guarantee>;
  /** guarantee id → the policy terms it was written under (kept apart: the contract's Guarantee does not show them). */
  guaranteeTerms: Map<string, GuaranteeTerms>;
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
  // On a durable store every container marks what changes (engine/state/changes.ts); in memory they are plain.
  const collection = <T extends { id: string; created: number }>(part: string, indexes = {}) =>
    tracked(account, `casapay.${part}`, new Collection<T>(indexes));
  return Object.assign(account, {
    livemode: account.key.startsWith('sk_live_'),
    agreements: { ...ALL_SIGNED },
    unsupportedCountries: setFor(account, 'casapay.unsupported_countries'),
    // What GET /v1/collection_cases filters on, so a filter walks only the matching cases.
    cases: collection<CollectionCase>('cases', {
      status: (c: CollectionCase) => c.status,
      debtor_country: (c: CollectionCase) => c.debtor?.country,
      debtor_type: (c: CollectionCase) => c.debtor?.type,
    }),
    references: mapFor<string>(account, 'casapay.references'),
    // A timeline is never edited in place (an entry makes a new list): a write marks it, a read does not.
    timelines: mapFor<StoredTimeline>(account, 'casapay.timelines'),
    files: collection<CaseFile>('files', { case: (f: CaseFile) => f.case }),
    fileContents: mapFor<Buffer>(account, 'casapay.file_contents'),
    payments: collection<DebtPayment>('payments', { case: (p: DebtPayment) => p.case }),
    policies: collection<GuaranteePolicy>('policies'),
    guarantees: collection<Guarantee>('guarantees'),
    guaranteeTerms: mapFor<GuaranteeTerms>(account, 'casapay.guarantee_terms'),
    claims: collection<Claim>('claims'),
    events: collection<ApiEvent>('events'),
    webhookEndpoints: collection<WebhookEndpoint>('webhook_endpoints'),
    webhookSecrets: mapFor<string>(account, 'casapay.webhook_secrets'),
    testClocks: collection<TestClock>('test_clocks'),
    guaranteeClock: null,
  });
}

/** How a durable store keeps CasaPay's state of an account: a row per object, reference, timeline, file and secret. */
export const CASAPAY_PARTS: readonly StatePart[] = [
  collectionPart('casapay.cases', (a) => casapayAccount(a).cases),
  collectionPart('casapay.files', (a) => casapayAccount(a).files),
  collectionPart('casapay.payments', (a) => casapayAccount(a).payments),
  collectionPart('casapay.policies', (a) => casapayAccount(a).policies),
  collectionPart('casapay.guarantees', (a) => casapayAccount(a).guarantees),
  collectionPart('casapay.claims', (a) => casapayAccount(a).claims),
  collectionPart('casapay.events', (a) => casapayAccount(a).events),
  collectionPart('casapay.webhook_endpoints', (a) => casapayAccount(a).webhookEndpoints),
  collectionPart('casapay.test_clocks', (a) => casapayAccount(a).testClocks),
  mapPart('casapay.references', (a) => casapayAccount(a).references),
  // Rows hold the entries, as before: a new case's creation entry is written out from the case.
  mapPart('casapay.timelines', (a) => casapayAccount(a).timelines, { encode: (stored) => timelineEntries(stored)! }),
  mapPart('casapay.file_contents', (a) => casapayAccount(a).fileContents),
  mapPart('casapay.webhook_secrets', (a) => casapayAccount(a).webhookSecrets),
  // Stores written before terms were kept have no rows here: their guarantees read the policy (termsOf).
  mapPart('casapay.guarantee_terms', (a) => casapayAccount(a).guaranteeTerms),
  setPart('casapay.unsupported_countries', (a) => casapayAccount(a).unsupportedCountries),
  metaPart(
    'casapay.account',
    (a) => {
      const { agreements, guaranteeClock } = casapayAccount(a);
      return { agreements, guaranteeClock };
    },
    (a, row: Pick<CasaPayState, 'agreements' | 'guaranteeClock'>) => Object.assign(casapayAccount(a), row),
  ),
];

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
