// What the `debitura-*` checks share: typed clients for Debitura's two APIs (openapi-fetch over
// generated/debitura-*.ts, every response held to its contract by the same middleware as CasaPay's),
// a partner account per check file, clients, tokens and case bodies, and the target's clock.
import createClient, { type Client } from 'openapi-fetch';
import { expect } from 'vitest';
import type { components as CustomerComponents, paths as CustomerPaths } from '../../generated/debitura-customer.js';
import type { components as ReferralComponents, paths as ReferralPaths } from '../../generated/debitura-referral.js';
import { contractMiddleware, timedFetch, withReadableErrors } from './client.js';
import { debituraApiContract } from './debitura-contracts.js';
import { randomToken, realNowSeconds } from './runtime.js';
import { target } from './target.js';

export type ReferralClient = Client<ReferralPaths>;
export type CustomerClient = Client<CustomerPaths>;
export type DebituraCase = CustomerComponents['schemas']['Case'];
export type CreateCaseRequest = CustomerComponents['schemas']['CreateCaseRequest'];
export type ClientResult = ReferralComponents['schemas']['ClientResult'];
export type CreateClientRequest = ReferralComponents['schemas']['CreateClientRequest'];
export type PartnerCase = ReferralComponents['schemas']['PartnerCase'];
export type ErrorResponse = CustomerComponents['schemas']['ErrorResponse'];
export type WebhookEvent = CustomerComponents['schemas']['WebhookEvent'];

const DAY = 86_400;

function urls(): { referral: string; customer: string } {
  const t = target();
  if (!t.referralUrl || !t.customerUrl)
    throw new Error('The debitura-* checks need --api debitura (the Referral and Customer URLs).');
  return { referral: t.referralUrl, customer: t.customerUrl };
}

/** fetch with the run's per-request timeout (a timeout names its rule, answers-in-time). */
const timed = timedFetch;

/**
 * A Referral-Partner API client with the partner's key in `XApiKey` (`null`: no key at all).
 * @example const { data } = await referralClient('my-key').GET('/clients');
 */
export function referralClient(key: string | null, headers: Record<string, string> = {}): ReferralClient {
  const client = createClient<ReferralPaths>({
    baseUrl: urls().referral,
    headers: { ...headers, ...(key === null ? {} : { XApiKey: key }) },
    fetch: timed,
  });
  client.use(contractMiddleware(debituraApiContract('referral')));
  return withReadableErrors(client);
}

/**
 * A Customer API client with a fixed `Authorization` header (`null`: none), for the checks about
 * credentials themselves.
 */
export function customerClient(authorization: string | null): CustomerClient {
  const client = createClient<CustomerPaths>({
    baseUrl: urls().customer,
    headers: authorization === null ? {} : { Authorization: authorization },
    fetch: timed,
  });
  client.use(contractMiddleware(debituraApiContract('customer')));
  return withReadableErrors(client);
}

/** A partner account: the key, its Referral API client, and whether it is a fresh, empty account. */
export interface Partner {
  key: string;
  api: ReferralClient;
  /** True when the target gives every key its own empty account (as the mock does). */
  isolated: boolean;
}

let isolationProbe: Promise<boolean> | undefined;

/**
 * A partner for one check file: a fresh key when the target gives every key its own (empty) account,
 * otherwise `--api-key` (the checks then only reason about the clients and cases they created).
 */
export async function freshPartner(): Promise<Partner> {
  const key = `conf_partner_${randomToken(16)}`;
  isolationProbe ??= (async () => {
    const { data, response } = await referralClient(key).GET('/clients');
    return response.status === 200 && Array.isArray(data) && data.length === 0;
  })();
  if (await isolationProbe) return { key, api: referralClient(key), isolated: true };
  return { key: target().apiKey, api: referralClient(target().apiKey), isolated: false };
}

/** A second partner, for "not yours" checks: a fresh key on isolating targets, else `--second-api-key`. */
export async function otherPartner(first: Partner): Promise<Partner> {
  const key = first.isolated ? `conf_partner_${randomToken(16)}` : target().secondApiKey;
  return { key, api: referralClient(key), isolated: first.isolated };
}

/** A new externalTenantId, unique across runs. */
export const freshTenant = (): string => `conf-${randomToken(14).toLowerCase()}`;

/** `YYYY-MM-DD`, `days` from today (real time, UTC). */
export const dayFromToday = (days: number): string =>
  new Date((realNowSeconds() + days * DAY) * 1000).toISOString().slice(0, 10);

let sequence = 0;
/** A creditorReference unique in this run. */
export const freshReference = (prefix = 'CONF'): string => `${prefix}-${randomToken(6)}-${++sequence}`;

/**
 * The body of POST /clients. `signed` asks for an onboarding user who has signed already (the mock's
 * `+signed@` address gives 201); other targets may answer 202 either way.
 */
export function clientBody(
  externalTenantId: string,
  options: { signed?: boolean; cases?: NonNullable<CreateClientRequest['cases']> } = {},
): CreateClientRequest {
  return {
    externalTenantId,
    client: {
      name: `Conformance ${externalTenantId} GmbH`,
      country: 'DE',
      address: 'Leopoldstrasse 20',
      city: 'Munich',
      zipCode: '80802',
      supportEmail: `support@${externalTenantId}.example.com`,
    },
    users: [
      {
        email: `owner${options.signed ? '+signed' : ''}@${externalTenantId}.example.com`,
        name: 'Anna Conformance',
        isOnboardingUser: true,
      },
    ],
    ...(options.cases ? { cases: options.cases } : {}),
  } as CreateClientRequest;
}

/** Creates a client (201 or 202, with the result's status matching), returning the result. */
export async function createDebituraClient(
  partner: Partner,
  externalTenantId = freshTenant(),
  options: Parameters<typeof clientBody>[1] = {},
): Promise<ClientResult> {
  const { data, response } = await partner.api.POST('/clients', { body: clientBody(externalTenantId, options) });
  expect([201, 202], `[debitura.client] POST /clients answers 201 or 202 (got ${response.status})`).toContain(
    response.status,
  );
  return data!;
}

/** A valid case body (a German company debtor, dates in the past); `overrides` replace fields. */
export function caseBody(
  overrides: Omit<Partial<CreateCaseRequest>, 'debtor'> & { debtor?: Partial<CreateCaseRequest['debtor']> } = {},
): CreateCaseRequest {
  const { debtor, ...rest } = overrides;
  return {
    currencyCode: 'EUR',
    amountToRecover: 5000,
    date: dayFromToday(-40),
    dueDate: dayFromToday(-10),
    claimDescription: 'Invoice for consulting services (casapay-conformance)',
    creditorReference: freshReference(),
    debtor: {
      type: 'Company',
      name: 'Debtor GmbH',
      address: 'Hauptstrasse 10',
      city: 'Munich',
      zipCode: '80331',
      countryAlpha2: 'DE',
      email: 'billing@debtor.example.com',
      ...debtor,
    },
    allowPendingContracts: true,
    ...rest,
  } as CreateCaseRequest;
}

/** Mints a Customer API token for a client: 200 with a token, or the failure's response. */
export async function mintToken(partner: Partner, externalTenantId: string): Promise<string> {
  const { data, response } = await partner.api.POST('/oauth/token', { body: { externalTenantId } });
  expect(response.status, `[debitura.token] POST /oauth/token for ${externalTenantId}`).toBe(200);
  return data!.accessToken!;
}

/**
 * A Customer API client acting for one client with a token minted by the partner, minting a new
 * one and retrying once on a 401 — what the docs tell clients to do ("cache it and mint a new one on
 * 401"), so a check is not failed by another check moving the target's clock past the 30 minutes.
 */
export async function customerSession(partner: Partner, externalTenantId: string): Promise<CustomerClient> {
  let token = await mintToken(partner, externalTenantId);
  const send = async (request: Request): Promise<Response> => {
    const retry = request.clone();
    request.headers.set('Authorization', `Bearer ${token}`);
    const response = await timed(request);
    if (response.status !== 401) return response;
    await response.arrayBuffer().catch(() => undefined);
    token = await mintToken(partner, externalTenantId);
    retry.headers.set('Authorization', `Bearer ${token}`);
    return timed(retry);
  };
  const client = createClient<CustomerPaths>({ baseUrl: urls().customer, fetch: send });
  client.use(contractMiddleware(debituraApiContract('customer')));
  return withReadableErrors(client);
}

/** Every case the partner's GET /cases lists for one client (all pages). */
export async function partnerCases(partner: Partner, externalTenantId: string): Promise<PartnerCase[]> {
  const out: PartnerCase[] = [];
  for (let page = 1; page < 50; page++) {
    const { data, response } = await partner.api.GET('/cases', {
      params: { query: { ExternalTenantId: externalTenantId, Page: page, PageSize: 100 } },
    });
    expect(response.status, "[debitura.attributed] the partner's GET /cases").toBe(200);
    out.push(...(data!.cases ?? []));
    if (!data!.page || page >= (data!.page.totalPages ?? 1)) break;
  }
  return out;
}

/**
 * Asserts a refusal: the status, and a Debitura ErrorResponse that says something (`error` or
 * `message`); the contract middleware has already held the body to the operation's schema.
 */
export function expectRefusal(
  result: { error?: unknown; response: Response },
  status: number,
  what: string,
): ErrorResponse {
  expect(result.response.status, what).toBe(status);
  const body = result.error as ErrorResponse | undefined;
  const said = [body?.error, body?.message, ...(body?.businessErrors ?? []).map((e) => e.message)].filter(
    (v) => typeof v === 'string' && v.length > 0,
  );
  expect(
    said.length,
    `${what}: the ErrorResponse names the problem (error, message or businessErrors)`,
  ).toBeGreaterThan(0);
  return body!;
}

/**
 * Moves the target's clock by `seconds` (`POST <adminUrl>/clock {shift_seconds}`, as the mock's
 * /__admin does). Undefined when the target exposes no clock, else the reason it failed.
 */
export async function shiftClock(seconds: number): Promise<void> {
  const adminUrl = target().adminUrl;
  if (!adminUrl) throw new Error('no --admin-url');
  const response = await fetch(`${adminUrl}/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ shift_seconds: seconds }),
    signal: AbortSignal.timeout(target().timeoutMs),
  });
  expect(response.status, `[debitura.token-expiry] POST ${adminUrl}/clock {shift_seconds: ${seconds}}`).toBe(200);
  await response.arrayBuffer();
}

/** Why a clock check cannot run, or undefined when the target exposes its clock. */
export const noClockReason = (): string | undefined =>
  target().adminUrl
    ? undefined
    : 'the target exposes no clock: pass --admin-url with its admin routes (POST <admin-url>/clock {"shift_seconds": n}, as the mock\'s /__admin)';

/**
 * An assertion's words, prefixed with the rule they hold (`[debitura.case-fields] currency …`), so a
 * failure names its rule in the report (conformance/rules.ts; RULES.md links it).
 * @example expect(data.currency, said('debitura.case-fields', "currency is the request's currencyCode")).toBe('EUR');
 */
export const said = (rule: string, what: string): string => `[${rule}] ${what}`;

/** Milliseconds since the epoch of a date or date-time string (NaN when it is none): dates compare as instants. */
export const instant = (value: string | null | undefined): number => (value ? Date.parse(value) : Number.NaN);

/** Midnight UTC of a `YYYY-MM-DD` (or of a date-time's calendar date as sent), as an instant. */
export const midnightUtc = (day: string): number => Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
