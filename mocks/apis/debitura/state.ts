// The state behind Debitura's two APIs, kept per referral partner (one account per XApiKey, in the
// shared store, so reset, eviction and X-Mock-Scenario isolation work as for CasaPay). A direct
// creditor (XApiKey on the Customer API) is an account of its own with one client. Stored case
// objects are exactly the contract's `Case` and are replaced, never edited, when they change.
import type { components as customer } from '../../../generated/debitura-customer.js';
import type { components as referral } from '../../../generated/debitura-referral.js';
import type { Account } from '../../engine/state/accounts.js';
import { mapFor, markChanged, setFor } from '../../engine/state/changes.js';
import { mapPart, metaPart, setPart, type StatePart } from '../../engine/state/parts.js';
import { partnerRequiresKyc } from './partners.js';

export type Case = customer['schemas']['Case'];
export type CaseFile = customer['schemas']['CaseFile'];
export type Payment = customer['schemas']['Payment'];
export type WebhookSubscription = customer['schemas']['WebhookSubscription'];
export type WebhookEvent = customer['schemas']['WebhookEvent'];
export type Lifecycle = NonNullable<Case['lifecycle']>;
export type KycRecord = referral['schemas']['KycRecord'];
export type CaseChat = referral['schemas']['CaseChat'];
export type ClientLink = referral['schemas']['ClientLink'];

export type LinkStatus = ClientLink['linkStatus'];
export type Signing = 'Signed' | 'Pending';

export interface DebituraClient {
  id: string;
  externalTenantId: string;
  name: string;
  /** ISO 3166-1 alpha-2 (an English name in the request is read as its code). */
  country: string;
  registrationNumber: string | null;
  supportEmail: string;
  users: Array<{ email: string; name: string; isOnboardingUser: boolean }>;
  linkStatus: LinkStatus;
  /** The debt collection agreement and the power of attorney for the collection partners. */
  contracts: { debtCollectionAgreement: Signing; powerOfAttorney: Signing };
  kyc: KycRecord | null;
  /** Cases of a client this partner brought to Debitura are attributed to it. */
  dateCreated: string;
}

/** A case and what the APIs show beside it. */
export interface CaseRecord {
  case: Case;
  clientId: string;
  /** Submitted with this partner's token (or at onboarding): revenue goes to the partnership. */
  attributedToPartner: boolean;
  /** The collection partner the case is routed to (its KYC flag decides the KYC gate). */
  partnerCountry: string;
  tag: string | null;
  files: CaseFile[];
  chats: CaseChat[];
  paymentIds: string[];
}

export interface StoredSubscription {
  subscription: WebhookSubscription;
  /** Base64; signatures use its decoded bytes. Kept apart: the stored object never shows it after create. */
  secret: string;
  /** `partner` (Referral API subscriptions) or the id of the client whose Customer API created it. */
  owner: 'partner' | string;
}

export interface StoredEvent {
  payload: WebhookEvent;
  caseId: string;
  clientId: string;
  /** Left the window (--max-events) before its deliveries started: they are not started. */
  dropped?: boolean;
}

export interface DebituraWorld {
  clients: Map<string, DebituraClient>;
  /** externalTenantId → client id. */
  byTenant: Map<string, string>;
  /** Insertion order is creation order (lists page over it newest first). */
  cases: Map<string, CaseRecord>;
  /** (client id, creditorReference) pairs already used: a duplicate reference is a 400. */
  creditorReferences: Set<string>;
  payments: Map<string, Payment & { caseId: string }>;
  subscriptions: Map<string, StoredSubscription>;
  /** Oldest first; at most --max-events, the oldest dropped first. */
  events: StoredEvent[];
  /** Files of all cases (each case keeps its own list): counted for --max-objects without a walk. */
  fileCount: number;
  /** For a direct creditor's account (XApiKey on the Customer API): its one client. */
  directClientId?: string;
  /** Jurisdictions without a partner for this account (`*` = all), set by scenarios. */
  unsupportedCountries: Set<string>;
}

/** An account as Debitura's code sees it: the engine's, with Debitura's state once an account of its APIs used it. */
export type AccountState = Account & {
  /** Debitura's state, created on first use by an account of Debitura's APIs. */
  debitura?: DebituraWorld;
};

/** Debitura's view of any account. */
export const debituraAccount = (account: Account): AccountState => account as AccountState;

export function worldOf(account: Account): DebituraWorld {
  const state = debituraAccount(account);
  if (state.debitura) return state.debitura;
  // On a durable store the containers mark what changes; records edited in place (a client's KYC, a
  // case's files) are marked when read (markOnGet).
  state.debitura = {
    unsupportedCountries: setFor(account, 'debitura.unsupported_countries'),
    clients: mapFor<DebituraClient>(account, 'debitura.clients', { markOnGet: true }),
    byTenant: mapFor<string>(account, 'debitura.tenants'),
    cases: mapFor<CaseRecord>(account, 'debitura.cases', { markOnGet: true }),
    creditorReferences: setFor(account, 'debitura.creditor_references'),
    payments: mapFor<Payment & { caseId: string }>(account, 'debitura.payments'),
    subscriptions: mapFor<StoredSubscription>(account, 'debitura.subscriptions', { markOnGet: true }),
    events: [],
    fileCount: 0,
  };
  markChanged(account, 'debitura.world', '');
  return state.debitura;
}

/** Records an event in the account's log (a window: `max` events at most), returning the events it dropped. */
export function appendEvent(account: Account, world: DebituraWorld, event: StoredEvent, max?: number): StoredEvent[] {
  world.events.push(event);
  markChanged(account, 'debitura.events', event.payload.id!);
  const dropped: StoredEvent[] = [];
  if (max !== undefined)
    while (world.events.length > max) {
      const oldest = world.events.shift()!;
      oldest.dropped = true;
      markChanged(account, 'debitura.events', oldest.payload.id!);
      dropped.push(oldest);
    }
  return dropped;
}

const existingWorld = (account: Account) => debituraAccount(account).debitura;

/** How a durable store keeps Debitura's state of an account: a row per client, case, payment, subscription and event. */
export const DEBITURA_PARTS: readonly StatePart[] = [
  metaPart(
    'debitura.world',
    (account) => {
      const world = existingWorld(account);
      return world && { fileCount: world.fileCount, directClientId: world.directClientId ?? null };
    },
    (account, row: { fileCount: number; directClientId: string | null }) => {
      const world = worldOf(account);
      world.fileCount = row.fileCount;
      if (row.directClientId !== null) world.directClientId = row.directClientId;
    },
  ),
  mapPart('debitura.clients', (account) => worldOf(account).clients),
  mapPart('debitura.tenants', (account) => worldOf(account).byTenant),
  mapPart('debitura.cases', (account) => worldOf(account).cases),
  mapPart('debitura.payments', (account) => worldOf(account).payments),
  mapPart('debitura.subscriptions', (account) => worldOf(account).subscriptions),
  setPart('debitura.creditor_references', (account) => worldOf(account).creditorReferences),
  setPart('debitura.unsupported_countries', (account) => worldOf(account).unsupportedCountries),
  {
    name: 'debitura.events',
    // The newest events are the ones that change (a new one, its deliveries): search from the end.
    read: (account, key) => {
      const events = existingWorld(account)?.events ?? [];
      for (let i = events.length - 1; i >= 0; i--) if (events[i]!.payload.id === key) return events[i];
      return undefined;
    },
    entries: (account) => (existingWorld(account)?.events ?? []).map((e) => [e.payload.id!, e]),
    restore: (account, _key, event) => void worldOf(account).events.push(event as StoredEvent),
    forget: (account, key) => {
      const world = worldOf(account);
      world.events = world.events.filter((e) => e.payload.id !== key);
    },
  },
];

export const referenceKey = (clientId: string, creditorReference: string) => `${clientId}\n${creditorReference}`;

/** The client a tenant id names, if the partner has it. */
export function clientByTenant(world: DebituraWorld, externalTenantId: string): DebituraClient | undefined {
  const id = world.byTenant.get(externalTenantId);
  return id === undefined ? undefined : world.clients.get(id);
}

/** What the Referral API shows of a client. */
export function clientLink(world: DebituraWorld, client: DebituraClient): ClientLink {
  const kycNeeded =
    [...world.cases.values()].some((r) => r.clientId === client.id && partnerRequiresKyc(r.partnerCountry)) ||
    partnerRequiresKyc(client.country);
  return {
    clientId: client.id,
    externalTenantId: client.externalTenantId,
    name: client.name,
    country: client.country,
    linkStatus: client.linkStatus,
    onboardingStatus: onboardingStatus(client),
    contracts: {
      debtCollectionAgreement: client.contracts.debtCollectionAgreement,
      powerOfAttorney: client.contracts.powerOfAttorney,
      kyc: client.kyc ? 'OnFile' : kycNeeded ? 'Missing' : 'NotRequired',
    },
    dateCreated: client.dateCreated,
  };
}

export const onboardingStatus = (client: DebituraClient): 'Completed' | 'Pending' =>
  client.contracts.debtCollectionAgreement === 'Signed' && client.contracts.powerOfAttorney === 'Signed'
    ? 'Completed'
    : 'Pending';

/** What GET /__admin/state shows of a Debitura account (subscription secrets left out). */
export function dumpDebitura(world: DebituraWorld) {
  return {
    clients: [...world.clients.values()],
    cases: [...world.cases.values()].map(({ case: c, ...beside }) => ({ ...c, ...beside })),
    payments: [...world.payments.values()],
    subscriptions: [...world.subscriptions.values()].map(({ subscription, owner }) => ({ ...subscription, owner })),
    events: world.events.map((e) => e.payload),
  };
}
