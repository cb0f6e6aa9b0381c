// The capabilities a target is checked for. Each has a folder of checks (conformance/checks/<name>/)
// and its describe titles start with `[<name>]`; the CLI selects folders, the reports group by name.

export const CAPABILITIES = {
  core: 'Create, retrieve (by id and by reference), list and update every resource; preview agrees with the case; guarantee coverage arithmetic; claims; webhook endpoints (secret only on create); events; debt payments; timelines.',
  pagination:
    'Cursor pagination over 25+ cases both ways (each object once, newest first, exact has_more), limit bounds and default, exclusive cursors, every list filter returns exactly the matching objects.',
  idempotency:
    'Idempotency-Key replays the same status and body with Idempotent-Replayed: true and creates nothing twice; the same key with another body is refused with idempotency_error.',
  auth: 'Requests without a key or with a bad key get 401 authentication_error; objects of one key are invisible (404, absent from lists) to another.',
  files:
    'Multipart upload (size, sha256, download returns the same bytes), 415 for disallowed extensions, 413 above 25 MB, 400 for a bad document_type or a missing file.',
  negative:
    'Generated invalid request bodies (fast-check, from the contract): 400 with the error envelope naming the right param, never a 5xx, nothing created or changed; malformed JSON and wrong content types.',
  lifecycle:
    'With test helpers: payments lower the remainder, close guards (paid needs full payment), closed is terminal, illegal moves are refused and change nothing, timelines grow; claims approve/deny/pay.',
  webhooks:
    'A local receiver registered for all events: every delivery is signed (X-CasaPay-Signature, HMAC-SHA256 with the endpoint secret), valid against the contract, and the event sequence of each flow is right.',
} as const;

/** The capabilities of `--api debitura`: Debitura's Referral-Partner and Customer APIs, checked together. */
export const DEBITURA_CAPABILITIES_TEXT = {
  'debitura-flow':
    "The two-API flow: create a client, mint a 30-minute token with the partner key, submit a case with it, find it in the partner's GET /cases and on the Customer API; 404 for an unknown tenant, 401 without or with a bogus token, and (with a clock) 401 after 30 minutes, then mint again.",
  'debitura-customer':
    "The Customer API field by field: a case's fields against the request (currency, dates as instants, claimDescription), the fees and remainder arithmetic, retrieve and lists against the created case (order, Sort, Ids, every page field, isTestCase), another client's case 404, a repeated creditorReference 400, amountToRecover above 0, files (.gif yes, .exe 415, 25 MB + 1 413), payments of a test case, webhook subscriptions (secret once, test delivery, delete), the preview's price, the Accept header generated clients send.",
  'debitura-validation':
    "The docs' submission rules (future date and dueDate, dueDate before date, US without stateAlpha2, isTest → isTestCase, returnUrl dropped, json-patch bodies and date-times, nulls), PascalCase list parameters, and generated invalid bodies: 400 ErrorResponse, never 5xx, nothing created.",
  'debitura-files':
    'Referral POST /cases/{caseId}/files: 200 {id, fileName, dateCreated}, 415 for .exe, 413 above 25 MB, 404 for a case of no linked client; sendChatNotification posts the system chat message unless false.',
  'debitura-webhooks':
    "A local receiver subscribed with the partner's POST /webhooks: case.created, case.updated, case.closed delivered, each signed X-Debitura-Signature (HMAC-SHA256 with the base64-decoded secret), valid against the contract, in order per case.",
  'debitura-onboarding':
    "POST /clients with a covered and an uncovered (JP) case creates the client and lists the JP case in failedCases; a repeated creditorReference is 400 and creates nothing. The Referral API read back: clients, KYC states and records, link states, token scope, the partner's case list (order, page data, filters, isolation, fields = the Customer API's), 401 without a key.",
} as const;

export const API_NAMES = ['casapay', 'debitura'] as const;
/** Which API the suite checks (`--api`): CasaPay's (the default) or Debitura's two. */
export type ApiName = (typeof API_NAMES)[number];

export type CasaPayCapability = keyof typeof CAPABILITIES;
export type DebituraCapability = keyof typeof DEBITURA_CAPABILITIES_TEXT;
export type Capability = CasaPayCapability | DebituraCapability;

/** CasaPay's capabilities, the default selection (`--api casapay`). */
export const ALL_CAPABILITIES = Object.keys(CAPABILITIES) as CasaPayCapability[];
/** The capabilities of `--api debitura`. */
export const DEBITURA_CAPABILITIES = Object.keys(DEBITURA_CAPABILITIES_TEXT) as DebituraCapability[];

/** Every capability of an API, in canonical order. */
export const capabilitiesOf = (api: ApiName = 'casapay'): Capability[] =>
  api === 'debitura' ? DEBITURA_CAPABILITIES : ALL_CAPABILITIES;

/** One line per capability, for the help text. */
export const CAPABILITY_TEXT: Record<Capability, string> = { ...CAPABILITIES, ...DEBITURA_CAPABILITIES_TEXT };

export const isCapability = (name: string): name is Capability => name in CAPABILITY_TEXT;

/**
 * The capabilities to run: `only` (when given) minus `skip`. Throws on unknown names.
 * @example selectCapabilities(['core', 'auth'], []) // ['core', 'auth']
 * @example selectCapabilities(undefined, ['files']) // every capability but files
 * @example selectCapabilities(undefined, [], 'debitura') // the debitura-* capabilities
 */
export function selectCapabilities(
  only: readonly string[] | undefined,
  skip: readonly string[] = [],
  api: ApiName = 'casapay',
): Capability[] {
  const all = capabilitiesOf(api);
  const unknown = [...(only ?? []), ...skip].filter((name) => !(all as string[]).includes(name));
  if (unknown.length)
    throw new Error(
      `Unknown capability${api === 'casapay' ? '' : ` for --api ${api}`}: ${unknown.join(', ')}. Known: ${all.join(', ')}.`,
    );
  const base = only && only.length ? all.filter((c) => only.includes(c)) : all;
  return base.filter((c) => !skip.includes(c));
}

/** The capability named by a describe title such as `[core] collection cases`. */
export function capabilityOfTitle(title: string): Capability | undefined {
  const match = /^\[([a-z-]+)\]/.exec(title);
  return match && isCapability(match[1]!) ? match[1] : undefined;
}
