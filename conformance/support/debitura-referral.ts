// What the Referral-Partner checks share beyond support/debitura.ts: failure messages that name their
// rule (`[debitura.kyc-state] …`), field-by-field comparison of a partner's case with the Customer API's
// retrieve (dates as instants), a signed client with its token session, and a real-time pause for
// checks that need distinct creation seconds (lists are ordered by dateCreated, in whole seconds).
import { expect } from 'vitest';
import type { components as ReferralComponents } from '../../generated/debitura-referral.js';
import {
  createDebituraClient,
  customerSession,
  freshTenant,
  type CustomerClient,
  type DebituraCase,
  type Partner,
  type PartnerCase,
} from './debitura.js';
import { realNowSeconds } from './runtime.js';

export type ClientLink = ReferralComponents['schemas']['ClientLink'];
export type KycRecord = ReferralComponents['schemas']['KycRecord'];

/** A failure message that names its rule: `[rule] what`. */
export const about =
  (rule: string) =>
  (what: string): string =>
    `[${rule}] ${what}`;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Case fields that are date-times: compared as instants (another spelling of the same instant is fine). */
const DATE_TIMES = new Set(['dateCreated', 'dateUpdated', 'dueDate', 'date', 'dateFinished', 'dateCollectionStarted']);

/** A value as compared: date-time strings as their instant (ms), objects key by key, nulls and absence alike. */
function comparable(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (DATE_TIMES.has(key) && typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : ms;
  }
  if (Array.isArray(value)) return value.map((v) => comparable('', v));
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => [k, comparable(k, v)] as const)
        .filter(([, v]) => v !== null),
    );
  return value;
}

/**
 * The Case fields both views show where the partner's view and the Customer API's retrieve differ
 * (dates as instants; inside objects a null and an absent field alike). Empty when they agree.
 */
export function caseDifferences(partner: PartnerCase, customer: DebituraCase): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(customer), ...Object.keys(partner)]);
  for (const key of keys) {
    if (['externalTenantId', 'clientId', 'attributedToPartner', 'traceId'].includes(key)) continue;
    // A field one view leaves out is not compared: the contract requires only the Case's required fields,
    // which the schema already holds; a field both show must agree.
    if (!(key in partner) || !(key in customer)) continue;
    const [a, b] = [comparable(key, (partner as any)[key]), comparable(key, (customer as any)[key])];
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(
        `${key}: partner ${JSON.stringify((partner as any)[key])} ≠ customer ${JSON.stringify((customer as any)[key])}`,
      );
  }
  return out;
}

/** A client whose onboarding user has signed (the mock's `+signed@`; other targets may answer 202), with a token session. */
export async function signedClient(
  partner: Partner,
  options: Parameters<typeof createDebituraClient>[2] = {},
): Promise<{ tenant: string; clientId: string; session: CustomerClient; status: 'Completed' | 'Pending' }> {
  const tenant = freshTenant();
  const result = await createDebituraClient(partner, tenant, { signed: true, ...options });
  return {
    tenant,
    clientId: result.clientId!,
    session: await customerSession(partner, tenant),
    status: result.onboardingStatus as 'Completed' | 'Pending',
  };
}

/** Waits until the real clock has passed into the next whole second, so the next object gets a later dateCreated. */
export async function nextSecond(): Promise<void> {
  const start = Math.floor(realNowSeconds());
  while (Math.floor(realNowSeconds()) === start) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Asserts the status, naming the rule and what was sent. */
export function expectStatus(response: Response, status: number, message: string): void {
  expect(response.status, message).toBe(status);
}
