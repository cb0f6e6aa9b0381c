// CasaPay's part of GET /__admin/state: every collection of the account as JSON (file metadata only;
// webhook endpoints without secrets) and its agreements.
import type { AccountState } from './state.js';
import { timelineEntries } from './timelines.js';

/** @example dumpCasaPay(casapayAccount(sandbox.account('sk_test_123'))).collection_cases.length // 0 */
export function dumpCasaPay(account: AccountState) {
  return {
    livemode: account.livemode,
    agreements: { ...account.agreements },
    collection_cases: account.cases.values(),
    references: Object.fromEntries(account.references),
    timelines: Object.fromEntries([...account.timelines].map(([id, stored]) => [id, timelineEntries(stored)!])),
    case_files: account.files.values(),
    debt_payments: account.payments.values(),
    guarantee_policies: account.policies.values(),
    guarantees: account.guarantees.values(),
    // The policy terms each guarantee keeps (not on the contract's Guarantee), by guarantee id.
    guarantee_terms: Object.fromEntries(account.guaranteeTerms),
    claims: account.claims.values(),
    events: account.events.values(),
    // Secrets live apart (account.webhookSecrets); drop one here too in case an object ever carries it.
    webhook_endpoints: account.webhookEndpoints
      .values()
      .map(({ secret: _secret, ...endpoint }: { secret?: unknown } & Record<string, unknown>) => endpoint),
    test_clocks: account.testClocks.values(),
  };
}
