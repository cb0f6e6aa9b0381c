// --max-objects: how many stored API objects one account may hold, both APIs together (events are a
// window of their own, see --max-events). The count is a sum of collection sizes (a dozen numbers,
// no scan), checked by the pipeline before an operation that creates objects runs; beyond it the
// create answers 400 resource_limit_reached in the API's own error shape and changes nothing.
import type { AccountState } from './store.js';
import type { DebituraWorld } from '../../apis/debitura/state.js';
import { errors } from '../errors.js';

/** Stored objects per account when the mock is shared and no --max-objects is given. */
export const DEFAULT_SHARED_MAX_OBJECTS = 100_000;

/** CasaPay operations that store new objects (fireEvent stores an event: events have their own window). */
export const CASAPAY_CREATES: ReadonlySet<string> = new Set([
  'createCollectionCase',
  'uploadCaseFile',
  'createGuaranteePolicy',
  'createGuarantee',
  'createClaim',
  'createWebhookEndpoint',
  'createTestClock',
  'createTestDebtPayment',
]);

/** Debitura operations (Customer and Referral APIs) that store new objects. */
export const DEBITURA_CREATES: ReadonlySet<string> = new Set([
  'createCase',
  'uploadCaseFile',
  'createWebhook',
  'createClient',
  'uploadPartnerCaseFile',
  'createPartnerWebhook',
]);

const debituraObjects = (world: DebituraWorld | undefined): number =>
  world ? world.clients.size + world.cases.size + world.payments.size + world.subscriptions.size + world.fileCount : 0;

/**
 * The stored objects of an account, both APIs: CasaPay's cases, files, payments, policies, guarantees,
 * claims, test clocks and webhook endpoints; Debitura's clients, cases, files, payments and subscriptions.
 * @example storedObjects(account) // 3 after one case, one file and one test clock
 */
export function storedObjects(account: AccountState): number {
  return (
    account.cases.size +
    account.files.size +
    account.payments.size +
    account.policies.size +
    account.guarantees.size +
    account.claims.size +
    account.testClocks.size +
    account.webhookEndpoints.size +
    debituraObjects(account.debitura)
  );
}

/** Throws 400 resource_limit_reached when the account already holds `max` objects (no limit when undefined). */
export function checkObjectLimit(account: AccountState, max: number | undefined): void {
  if (max === undefined || storedObjects(account) < max) return;
  throw errors.limitReached(
    'stored objects (both APIs together, events not counted)',
    max,
    'This one has that many, so nothing more can be created in it. The mock keeps objects in memory: reset the account (POST /__admin/reset) to start afresh; whoever runs the mock sets the limit with --max-objects.',
  );
}
