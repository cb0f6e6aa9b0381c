// Valid inputs and the small facts about the target that the checks build on: an empty account,
// the countries it has partners for, its clock, whether it offers test helpers. Discovered by
// asking the target, never assumed, so the same checks run against any implementation.
import { expect } from 'vitest';
import type { components } from '../../generated/casapay.js';
import { apiClient, type ApiClient } from './client.js';
import { freshApiKey } from './runtime.js';
import { target } from './target.js';
import { contract } from './contract.js';

type Schemas = components['schemas'];
export type CollectionCase = Schemas['CollectionCase'];
export type CaseCreateParams = Schemas['CollectionCaseCreateParams'];
export type GuaranteePolicy = Schemas['GuaranteePolicy'];
export type Guarantee = Schemas['Guarantee'];
export type Claim = Schemas['Claim'];
export type ErrorBody = Schemas['Error'];

const DAY = 86_400;
/** The largest time a JavaScript Date holds (±8.64e15 ms, the year 275760). */
const MAX_DATE_MS = 8.64e15;

/** `YYYY-MM-DD` of a Unix time (UTC). */
export const isoDate = (unix: number): string => new Date(unix * 1000).toISOString().slice(0, 10);

export interface Account {
  api: ApiClient;
  key: string;
  /** True when the key is a fresh, empty account (the target treats every key as its own account). */
  isolated: boolean;
}

let isolationProbe: Promise<boolean> | undefined;

/**
 * An account for one check file: a fresh key when the target gives every key its own (empty)
 * account, as the mock does, otherwise the primary key (checks then tolerate others' objects).
 */
export async function freshAccount(): Promise<Account> {
  const key = freshApiKey();
  isolationProbe ??= (async () => {
    const { data, response } = await apiClient({ apiKey: key }).GET('/v1/collection_cases', {
      params: { query: { limit: 1 } },
    });
    return response.status === 200 && data?.data.length === 0;
  })();
  if (await isolationProbe) return { api: apiClient({ apiKey: key }), key, isolated: true };
  return { api: apiClient(), key: target().apiKey, isolated: false };
}

/** The primary account (the `--api-key`). */
export const primaryAccount = (): Account => ({ api: apiClient(), key: target().apiKey, isolated: false });

let sequence = 0;
/** A short unique suffix for names within this worker. */
export const nextName = (prefix: string): string => `${prefix} ${++sequence}`;

/** A valid case body; the due date is 90 days before `now` (the target's clock). */
export function caseParams(
  now: number,
  overrides: { country?: string; type?: 'private' | 'company'; amount?: number; currency?: string } = {},
): CaseCreateParams {
  const country = overrides.country ?? 'DE';
  const n = ++sequence;
  return {
    amount_to_recover: overrides.amount ?? 360_000,
    currency: overrides.currency ?? 'eur',
    debtor: {
      type: overrides.type ?? 'private',
      name: `Conformance Debtor ${n}`,
      email: `debtor${n}@example.com`,
      country,
      address: { line1: `Teststraße ${n}`, city: 'Testville', postal_code: '10117', country },
    },
    creditor_reference: `CONF-${n}`,
    due_date: isoDate(now - 90 * DAY),
    metadata: { suite: 'casapay-conformance' },
  };
}

/** The preview body for a case body (the same debt, as the preview's schema takes it). */
export function previewParamsFor(body: CaseCreateParams): Schemas['CasePreviewParams'] {
  const country = body.debtor.country ?? body.debtor.address.country!;
  return {
    amount_to_recover: body.amount_to_recover,
    currency: body.currency,
    debtor: { type: body.debtor.type, name: body.debtor.name, country },
    due_date: body.due_date,
  };
}

/**
 * The target's clock from a new object's `created`. The checks date their requests from it, so a
 * created no date can hold (contract-valid: a Timestamp has no maximum) fails naming its rule instead
 * of crashing the setup with `Invalid time value`.
 * @example targetClock(1706140800) // 1706140800; targetClock(4.3e18) fails [created-time]
 */
export function targetClock(created: number): number {
  expect(
    Number.isSafeInteger(created) && Math.abs(created) * 1000 <= MAX_DATE_MS,
    `[created-time] the new policy's created (${created}) is a Unix time a date can hold (the target's clock)`,
  ).toBe(true);
  return created;
}

/** The target's clock, learned from the `created` of a policy made for it (cached per account). */
const clocks = new WeakMap<ApiClient, Promise<{ now: number; policy: GuaranteePolicy }>>();
export function accountClock(account: Account): Promise<{ now: number; policy: GuaranteePolicy }> {
  let clock = clocks.get(account.api);
  if (!clock) {
    clock = (async () => {
      const { data, response } = await account.api.POST('/v1/guarantee_policies', {
        body: {
          name: nextName('Conformance policy'),
          coverage_percentage: 100,
          max_coverage_months: 12,
          waiting_period_days: 10,
          eligible_score_minimum: 0,
          deductible_amount: 0,
        },
      });
      expect(response.status, '[policy.defaults] creating a guarantee policy (to learn the target clock)').toBe(201);
      return { now: targetClock(data!.created), policy: data! };
    })();
    clocks.set(account.api, clock);
  }
  return clock;
}

/** Countries, among common ones, for which the target previews a case as eligible (cached). */
let eligible: Promise<string[]> | undefined;
export function eligibleCountries(account: Account, now: number): Promise<string[]> {
  eligible ??= (async () => {
    const candidates = ['DE', 'FR', 'NL', 'AT', 'BE', 'ES', 'IT', 'GB'];
    const out: string[] = [];
    for (const country of candidates) {
      const { data } = await account.api.POST('/v1/collection_case_previews', {
        body: previewParamsFor(caseParams(now, { country })),
      });
      if (data?.is_eligible) out.push(country);
    }
    expect(
      out.length,
      `[case.preview-agrees] the target previews no case as eligible in any of ${candidates.join(', ')}`,
    ).toBeGreaterThan(0);
    return out;
  })();
  return eligible;
}

/** Creates a case and checks it was created; returns it. */
export async function createCase(account: Account, body: CaseCreateParams): Promise<CollectionCase> {
  const { data, error, response } = await account.api.POST('/v1/collection_cases', { body });
  expect(response.status, `[case.create] creating a collection case: ${JSON.stringify(error)}`).toBe(201);
  return data!;
}

/** Retrieves a case by id (200 expected). */
export async function retrieveCase(account: Account, id: string): Promise<CollectionCase> {
  const { data, response } = await account.api.GET('/v1/collection_cases/{id}', { params: { path: { id } } });
  expect(response.status, `[case.retrieve] retrieving case ${id}`).toBe(200);
  return data!;
}

/**
 * Whether the target offers the test helpers: a no-op advance of an existing case (to the status it
 * already has) answers 200 where the helpers exist; 404 means the route is missing.
 */
export async function probeTestHelpers(
  account: Account,
  existingCase: CollectionCase,
): Promise<{ available: boolean; reason: string }> {
  const { response } = await account.api.POST('/v1/test_helpers/collection_cases/{id}/advance', {
    params: { path: { id: existingCase.id } },
    body: { status: existingCase.status },
  });
  if (response.status === 200) return { available: true, reason: '' };
  if (response.status === 404)
    return {
      available: false,
      reason: `the target has no test helpers (POST /v1/test_helpers/collection_cases/{id}/advance answered 404)`,
    };
  return { available: false, reason: `the test helpers probe answered ${response.status}` };
}

export interface ExpectedError {
  status: number;
  type?: ErrorBody['error']['type'];
  code?: ErrorBody['error']['code'] | ErrorBody['error']['code'][];
  param?: string | null;
}

/**
 * Asserts an openapi-fetch result is the expected error (the envelope itself is already checked by
 * the client's contract middleware).
 * @example expectError(await api.GET(...), { status: 404, code: 'resource_not_found' });
 */
export function expectError(
  result: { error?: unknown; response: Response },
  want: ExpectedError,
  what = '',
): ErrorBody['error'] {
  // The first line of each message is the rule the reports show; details go below it.
  const about = what ? ` (${what})` : '';
  expect(
    result.response.status,
    `expected HTTP ${want.status}${about}\n  body: ${JSON.stringify(result.error ?? null)?.slice(0, 500)}\n`,
  ).toBe(want.status);
  const error = (result.error as ErrorBody | undefined)?.error;
  expect(error, `expected the error envelope {error:{…}}${about}`).toBeTypeOf('object');
  if (want.type) expect(error!.type, `error.type${about}`).toBe(want.type);
  if (want.code) {
    const codes = Array.isArray(want.code) ? want.code : [want.code];
    expect(codes, `error.code${about} was ${error!.code}`).toContain(error!.code);
  }
  if (want.param !== undefined) expect(error!.param, `error.param${about}`).toBe(want.param);
  return error!;
}

export type ListPath =
  | '/v1/collection_cases'
  | '/v1/guarantee_policies'
  | '/v1/guarantees'
  | '/v1/claims'
  | '/v1/webhook_endpoints'
  | '/v1/debt_payments'
  | '/v1/events';

/** Every object of a list, walked forwards with `starting_after` (bounded to 50 pages). */
export async function listAll<T extends { id: string }>(
  account: Account,
  path: ListPath,
  query: Record<string, unknown> = {},
): Promise<T[]> {
  const out: T[] = [];
  let startingAfter: string | undefined;
  for (let page = 0; page < 50; page++) {
    const { data, response } = await (account.api.GET as any)(path, {
      params: { query: { ...query, limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) } },
    });
    expect(response.status, `[list.envelope] listing ${path}`).toBe(200);
    out.push(...(data.data as T[]));
    if (!data.has_more || data.data.length === 0) return out;
    startingAfter = data.data[data.data.length - 1].id;
  }
  return out;
}

/** Serial promise helper: runs `fn` for each item in order (keeps `created` order deterministic). */
export async function inSequence<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const [i, item] of items.entries()) out.push(await fn(item, i));
  return out;
}

export { DAY };

/**
 * Fails with `rule` as the first line and the problems listed under it (vitest would otherwise
 * shorten a long array to `[ …(28) ]`).
 */
export function expectNoProblems(problems: readonly string[], rule: string): void {
  const shown = problems
    .slice(0, 10)
    .map((p) => `  - ${p}`)
    .join('\n');
  const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : '';
  expect(problems.length, `${rule}\n${shown}${more}\n(number of problems)`).toBe(0);
}

/**
 * The part of `expected` a target must show: the fields the contract requires of `schema`, and the
 * optional ones the target chose to send. An optional field left out is not compared (a field the
 * docs recommend is listed as a warning instead); one that is sent must be right.
 * @example expect(guarantee).toMatchObject(shown(guarantee, { status: 'active', total_coverage: 12 }, 'Guarantee'))
 */
export function shown<T extends Record<string, unknown>>(
  actual: unknown,
  expected: T,
  schema: keyof Schemas,
): Partial<T> {
  const required = new Set<string>(
    (contract().document.components?.schemas?.[schema]?.required as string[] | undefined) ?? [],
  );
  const got = (actual ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(expected).filter(([key]) => required.has(key) || got[key] !== undefined),
  ) as Partial<T>;
}
