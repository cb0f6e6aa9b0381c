// What the contracts' example stories name, seeded on the docs' keys with fixed UUIDs, so a tool that
// replays the examples (Specmatic, Microcks, spec/examples-pairing.test.ts) finds every id they show:
//
// - the Customer API's stories: the case DOCS_CASE (a file, a chat message, a payment), a subscription
//   to read and test and one to delete, and a test case per changing story (advance to paid, advance to
//   active, fire a webhook), so replaying every story on one account in any order gives the same
//   answers. Seeded for both ways the docs authenticate there: the docs' client `your-client-id` of the
//   docs' partner (the docs' bearer token) and the docs' direct creditor (Customer-API XApiKey
//   `YOUR_API_KEY`, its one client DOCS_CLIENT_ID);
// - the Referral API's stories on the docs' partner (XApiKey `YOUR_API_KEY`): the client `tenant-4711`
//   (onboarding pending, as getClient's example shows), DOCS_CASE (a case of a linked client), a
//   subscription to read and one to delete.
//
// Objects are built as the handlers would store them, without events or scheduled tasks.
import { countryName } from '../common/codes.js';
import { collectionPartnerOf, debituraPartnerFor } from './partners.js';
import { isoTime } from './rules.js';
import { referenceKey, worldOf, type AccountState, type Case, type CaseRecord, type DebituraClient } from './state.js';

export const DOCS_CLIENT_ID = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const DOCS_CLIENT_TENANT = 'tenant-4711';
export const DOCS_CASE = '3f6c2a1e-8d4b-4c1a-9e2f-7a6b5c4d3e2f';
export const DOCS_PAYMENT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const DOCS_FILE = '7c1e2d3f-4a5b-4c7d-8e9f-0a1b2c3d4e5f';
export const DOCS_CHAT = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a';
/** Test cases of the Customer API's changing stories: advance to Closed:Paid, advance to Active, fire a webhook. */
export const DOCS_TEST_CASE_PAID = '3f6c2a1e-8d4b-4c1a-9e2f-7a6b5c4d3e31';
export const DOCS_TEST_CASE_ACTIVE = '3f6c2a1e-8d4b-4c1a-9e2f-7a6b5c4d3e32';
export const DOCS_TEST_CASE_FIRE = '3f6c2a1e-8d4b-4c1a-9e2f-7a6b5c4d3e33';
export const DOCS_SUBSCRIPTION = '5b2e8c1d-7f3a-4e6b-9d0c-2a1b3c4d5e6f';
export const DOCS_SUBSCRIPTION_DELETE = '5b2e8c1d-7f3a-4e6b-9d0c-2a1b3c4d5e70';
export const DOCS_PARTNER_SUBSCRIPTION = '6c3f9d2e-8a4b-4f7c-ae1d-3b2c4d5e6f7a';
export const DOCS_PARTNER_SUBSCRIPTION_DELETE = '6c3f9d2e-8a4b-4f7c-ae1d-3b2c4d5e6f7b';

/** The fixed 32-byte signing secret of the seeded subscriptions (base64). */
const SEED_SECRET = 'c2VjcmV0LWtleS1mb3ItaG1hYy1zaWduaW5nLTMyYg==';

function seedCase(
  now: number,
  client: DebituraClient,
  id: string,
  fields: {
    creditorReference: string | null;
    grossAmount: number;
    isTestCase: boolean;
    reference: string;
    lifecycle?: 'Active' | 'PendingVerification';
  },
): CaseRecord {
  const partner = debituraPartnerFor('DE')!;
  const kase = {
    id,
    dateCreated: isoTime(now),
    dateUpdated: null,
    reference: fields.reference,
    creditorReference: fields.creditorReference,
    creditorComments: null,
    claimDescription: 'Invoice INV-2025-001 for consulting services',
    grossAmount: fields.grossAmount,
    remainder: fields.grossAmount,
    interestFees: 0,
    reminderFees: 0,
    collectionFees: 0,
    totalAddedFees: 0,
    currency: 'EUR',
    isTestCase: fields.isTestCase,
    lifecycle: fields.lifecycle ?? 'Active',
    date: '2025-06-01T00:00:00Z',
    dueDate: '2025-07-01T00:00:00Z',
    dateFinished: null,
    dateCollectionStarted: fields.lifecycle === 'PendingVerification' ? null : isoTime(now),
    closeCode: null,
    debtor: {
      type: 'Company',
      name: 'Debtor GmbH',
      countryAlpha2: 'DE',
      country: countryName('DE'),
      city: 'Munich',
    },
    collectionPartner: collectionPartnerOf(partner),
    creditor: { id: client.id, companyName: client.name, country: countryName(client.country) },
    preLegalSuccessFee: 12.5,
    signingHandoff: null,
    solutionUrl: null,
  } as Case;
  return {
    case: kase,
    clientId: client.id,
    attributedToPartner: true,
    partnerCountry: partner.partner.country,
    tag: null,
    files: [],
    chats: [],
    paymentIds: [],
  };
}

/** DOCS_CASE with its file, chat message and payment of 1500 (remainder 3500). */
function seedCustomerStories(account: AccountState, now: number, client: DebituraClient): void {
  const world = worldOf(account);
  const record = seedCase(now, client, DOCS_CASE, {
    creditorReference: 'INV-2025-001',
    grossAmount: 5000,
    isTestCase: false,
    reference: 'Q8OAXF3W',
  });
  const created = isoTime(now);
  record.files.push({
    id: DOCS_FILE,
    dateCreated: created,
    dateUpdated: created,
    caseId: DOCS_CASE,
    entityType: 'Invoice',
    entityId: DOCS_CASE,
    fileName: 'invoice.pdf',
    url: `https://customer-api.debitura.com/cases/${DOCS_CASE}/files/${DOCS_FILE}`,
    description: 'Original invoice INV-2025-001',
    documentType: 'OriginalInvoice',
  } as CaseRecord['files'][number]);
  world.fileCount++;
  record.chats.push({
    id: DOCS_CHAT,
    caseId: DOCS_CASE,
    message: "System message: New file uploaded under 'Files': invoice.pdf",
    isSystemMessage: true,
    dateCreated: created,
  });
  world.payments.set(DOCS_PAYMENT, {
    id: DOCS_PAYMENT,
    dateCreated: created,
    dateUpdated: null,
    date: created,
    grossAmount: 1500,
    recipient: 'CollectionPartner',
    method: 'BankTransfer',
    currency: 'EUR',
    invoice: { invoiceId: DOCS_CASE, reference: 'Q8OAXF3W', status: 'Active' },
    caseId: DOCS_CASE,
  });
  record.paymentIds.push(DOCS_PAYMENT);
  record.case = { ...record.case, remainder: 3500 };
  world.cases.set(DOCS_CASE, record);
  world.creditorReferences.add(referenceKey(client.id, 'INV-2025-001'));
  seedSubscriptions(account, now, client.id, [DOCS_SUBSCRIPTION, DOCS_SUBSCRIPTION_DELETE]);
  // The advance-to-Active story's case waits in verification, so advancing it again is the same answer.
  const tests: [string, string, 'Active' | 'PendingVerification'][] = [
    [DOCS_TEST_CASE_PAID, 'T3STPA1D', 'Active'],
    [DOCS_TEST_CASE_ACTIVE, 'T3STAC71', 'PendingVerification'],
    [DOCS_TEST_CASE_FIRE, 'T3STF1RE', 'Active'],
  ];
  for (const [id, reference, lifecycle] of tests)
    world.cases.set(
      id,
      seedCase(now, client, id, { creditorReference: null, grossAmount: 5000, isTestCase: true, reference, lifecycle }),
    );
}

/** Subscriptions of the partner (`owner: 'partner'`, Referral API) or of a client (Customer API). */
function seedSubscriptions(account: AccountState, now: number, owner: string, ids: string[]): void {
  const world = worldOf(account);
  const created = isoTime(now);
  const url =
    owner === 'partner' ? 'https://partner.example.org/webhooks/debitura' : 'https://yourapp.com/webhooks/debitura';
  for (const id of ids)
    world.subscriptions.set(id, {
      subscription: {
        id,
        url,
        events: ['case.created', 'case.updated', 'case.closed'],
        isActive: true,
        createdUtc: created,
        updatedUtc: created,
        disabledReason: null,
        secret: null,
        isTestMode: owner !== 'partner',
      },
      secret: SEED_SECRET,
      owner,
    });
}

type AddClient = (
  fields: Partial<DebituraClient> & Pick<DebituraClient, 'externalTenantId' | 'name' | 'country'>,
) => DebituraClient;

/**
 * The docs' partner's stories: the Customer API's for its docs client (what the docs' bearer token
 * opens), `tenant-4711` (onboarding pending) and the partner's subscriptions.
 */
export function seedDocsPartnerStories(
  account: AccountState,
  now: number,
  docsClient: DebituraClient,
  addClient: AddClient,
): void {
  addClient({
    id: DOCS_CLIENT_ID,
    externalTenantId: DOCS_CLIENT_TENANT,
    name: 'Hausverwaltung Berger GmbH',
    country: 'DE',
    registrationNumber: 'HRB 123456',
    supportEmail: 'support@berger-hv.de',
    users: [{ email: 'anna.berger@berger-hv.de', name: 'Anna Berger', isOnboardingUser: true }],
    contracts: { debtCollectionAgreement: 'Pending', powerOfAttorney: 'Pending' },
  });
  seedCustomerStories(account, now, docsClient);
  seedSubscriptions(account, now, 'partner', [DOCS_PARTNER_SUBSCRIPTION, DOCS_PARTNER_SUBSCRIPTION_DELETE]);
}

/** The docs' direct creditor's stories: its one client (DOCS_CLIENT_ID) with the Customer API's objects. */
export function seedDocsDirectStories(account: AccountState, now: number, addClient: AddClient, key: string): void {
  const client = addClient({
    id: DOCS_CLIENT_ID,
    externalTenantId: `direct-${key}`,
    name: 'Hausverwaltung Berger GmbH',
    country: 'DE',
  });
  worldOf(account).directClientId = client.id;
  seedCustomerStories(account, now, client);
}
