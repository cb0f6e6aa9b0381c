// How a Debitura account starts: the docs' partner (XApiKey `YOUR_API_KEY`) has the docs' client
// `your-client-id`, linked and signed, so the docs page's requests work verbatim; other partners
// start empty unless a scenario (--scenario or X-Mock-Scenario) seeds them.
import type { Sandbox } from '../sandbox.js';
import type { AccountState } from '../state/store.js';
import { isoTime } from './rules.js';
import { worldOf, type DebituraClient } from './state.js';
import type { TokenRegistry } from './tokens.js';

/** The docs page's key and client. */
export const DOCS_PARTNER_KEY = 'YOUR_API_KEY';
export const DOCS_TENANT = 'your-client-id';

export interface SeedDeps {
  sandbox: Sandbox;
  tokens: TokenRegistry;
}

/** Adds a client to a partner's account, as POST /clients would have (used by seeds and scenarios). */
export function addClient(deps: SeedDeps, account: AccountState, fields: Partial<DebituraClient> & Pick<DebituraClient, 'externalTenantId' | 'name' | 'country'>): DebituraClient {
  const world = worldOf(account);
  const client: DebituraClient = {
    id: deps.sandbox.ids.uuid(),
    registrationNumber: null,
    supportEmail: `support@${fields.externalTenantId.replace(/[^a-z0-9-]/gi, '').toLowerCase() || 'client'}.example`,
    users: [{ email: `admin@${fields.externalTenantId.replace(/[^a-z0-9-]/gi, '').toLowerCase() || 'client'}.example`, name: 'Onboarding User', isOnboardingUser: true }],
    linkStatus: 'Active',
    contracts: { debtCollectionAgreement: 'Signed', powerOfAttorney: 'Signed' },
    kyc: null,
    dateCreated: isoTime(deps.sandbox.clock.now()),
    ...fields,
  };
  world.clients.set(client.id, client);
  world.byTenant.set(client.externalTenantId, client.id);
  return client;
}

/** Seeds the docs' partner; true when the account was the docs' one. */
export function seedDocsPartner(deps: SeedDeps, account: AccountState, accountKey: string): boolean {
  if (account.key !== accountKey) return false;
  const client = addClient(deps, account, { externalTenantId: DOCS_TENANT, name: 'Your Client GmbH', country: 'DE', supportEmail: 'support@your-client.example' });
  deps.tokens.seedDocs(client.id, deps.sandbox.clock.now());
  return true;
}
