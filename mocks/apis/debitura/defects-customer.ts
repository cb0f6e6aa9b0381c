// Deliberate defects of the Debitura mock's Customer API and webhook payloads (issue 20): each breaks
// one documented promise about a response field or a rule at its boundary, at an edge of
// mocks/apis/debitura/ — the response on its way out, a handler wrapper, the submission rules' clock,
// authentication, the webhook payload before signing, the signed delivery of a retry. Nothing here
// runs when no defect is chosen: each hook is undefined then. defects.ts spreads CUSTOMER_DEFECTS into
// DEBITURA_DEFECTS; conformance/defects.test.ts asserts the check of each rule catches it.
import type { Handler, RequestContext } from '../../engine/handler.js';
import { ok } from '../../engine/handler.js';
import { ApiError } from '../../engine/errors.js';
import type { DeliveryTarget } from '../../engine/webhooks/dispatcher.js';
import type { FastifyRequest } from 'fastify';
import { referenceKey, worldOf, type WebhookEvent } from './state.js';

export const CUSTOMER_DEFECTS = {
  'debitura-currency-lowercased':
    "case responses write `currency` in lower case (the docs: the ISO 4217 code, the request's `currencyCode`)",
  'debitura-claim-description-dropped':
    "case responses drop `claimDescription` (the contract: the request's `claimDescription`)",
  'debitura-remainder-above-gross':
    'case responses show a `remainder` above `grossAmount` + `totalAddedFees` (what the debtor still owes cannot exceed the claim and its fees)',
  'debitura-is-test-lost-in-lists':
    "GET /cases shows every case as `isTestCase: false` (the contract: the request's `isTest`, in lists too)",
  'debitura-dates-not-midnight-utc':
    'case `date` and `dueDate` are midnight in UTC+2, not midnight UTC of the submitted date (same first 10 characters, another instant)',
  'debitura-sort-ignored': 'GET /cases ignores `Sort` (the contract: the order `Sort` asks for)',
  'debitura-page-count-wrong':
    'GET /cases says `responseCount` is the page size, also on a short last page (the contract: how many items this page holds)',
  'debitura-statuses-first-only':
    'GET /cases filters by the first of repeated `Statuses` only (the contract: every repeated value)',
  'debitura-foreign-case-visible':
    "GET /cases/{id} answers another client's case of the same partner (a token acts for one client: 404)",
  'debitura-today-refused': 'a `date` or `dueDate` of today is refused (the docs: "today is allowed")',
  'debitura-duplicate-reference-accepted':
    "a `creditorReference` the client already used is accepted (the contract: unique among the creditor's cases, 400)",
  'debitura-payment-amount-wrong':
    'payments show half the amount paid (the contract: `grossAmount` is the amount paid)',
  'debitura-file-case-id-wrong':
    'an uploaded file names itself as its case (`caseId`, `entityId`: the contract says the case it belongs to)',
  'debitura-secret-shown-again':
    'GET /webhooks and GET /webhooks/{id} show the signing secret (the contract: only the create response)',
  'debitura-preview-total-wrong':
    'the preview leaves the age surcharge out of `totalSuccessFeePercentage` (the contract: base plus surcharge)',
  'debitura-accept-refused':
    'requests with the Accept header generated clients send (`text/plain, application/json, text/json`) get 406',
  'debitura-case-updated-old-lifecycle':
    'case.updated says `oldLifecycle` is the new lifecycle (the contract: the lifecycle before the change)',
  'debitura-case-closed-without-code': 'case.closed carries no `closeCode` (the contract: why the case closed)',
  'debitura-case-created-amount-in-cents':
    'case.created carries `amount` in minor units (the contract: the amount submitted, in major units)',
  'debitura-event-id-per-retry':
    'a retried delivery carries a new event `id` (the contract: the same id on every retry, so receivers can de-duplicate)',
} as const;

export type CustomerDefectName = keyof typeof CUSTOMER_DEFECTS;
type Chosen = ReadonlySet<string>;

type Json = Record<string, any>;
const CASE_OPERATIONS = new Set(['createCase', 'getCase']);

/** One case as a defect bends it (undefined: untouched). */
function caseBender(defects: Chosen, listed: boolean): ((c: Json) => Json) | undefined {
  const steps: Array<(c: Json) => Json> = [];
  if (defects.has('debitura-currency-lowercased'))
    steps.push((c) => (typeof c.currency === 'string' ? { ...c, currency: c.currency.toLowerCase() } : c));
  if (defects.has('debitura-claim-description-dropped')) steps.push((c) => ({ ...c, claimDescription: null }));
  if (defects.has('debitura-remainder-above-gross'))
    steps.push((c) => ({ ...c, remainder: (c.grossAmount ?? 0) + (c.totalAddedFees ?? 0) + 100 }));
  if (defects.has('debitura-dates-not-midnight-utc')) {
    const shift = (v: unknown) => (typeof v === 'string' ? `${v.slice(0, 10)}T00:00:00+02:00` : v);
    steps.push((c) => ({ ...c, date: shift(c.date), dueDate: shift(c.dueDate) }));
  }
  if (listed && defects.has('debitura-is-test-lost-in-lists')) steps.push((c) => ({ ...c, isTestCase: false }));
  return steps.length ? (c) => steps.reduce((out, step) => step(out), c) : undefined;
}

/** Customer-API responses on their way out: (operationId, status, body) → what goes on the wire. */
export function customerResponseDefects(
  defects: Chosen,
): ((operationId: string, status: number, body: unknown) => [number, unknown]) | undefined {
  const one = caseBender(defects, false);
  const listed = caseBender(defects, true);
  const pageWrong = defects.has('debitura-page-count-wrong');
  const halfPaid = defects.has('debitura-payment-amount-wrong');
  const fileSelf = defects.has('debitura-file-case-id-wrong');
  const secretShown = defects.has('debitura-secret-shown-again');
  const preview = defects.has('debitura-preview-total-wrong');
  if (!one && !listed && !pageWrong && !halfPaid && !fileSelf && !secretShown && !preview) return undefined;
  const half = (p: Json) => ({ ...p, grossAmount: (p.grossAmount ?? 0) / 2 });
  const self = (f: Json) => ({ ...f, caseId: f.id, entityId: f.id });
  return (operationId, status, body) => {
    if (status >= 300 || !body || typeof body !== 'object') return [status, body];
    let out = body as Json;
    if (one && CASE_OPERATIONS.has(operationId)) out = one(out);
    if (operationId === 'listCases') {
      if (listed) out = { ...out, cases: (out.cases ?? []).map(listed) };
      if (pageWrong) out = { ...out, page: { ...out.page, responseCount: out.page?.pageSize } };
    }
    if (halfPaid && operationId === 'listPayments') out = { ...out, payments: (out.payments ?? []).map(half) };
    if (halfPaid && operationId === 'getPayment') out = half(out);
    if (fileSelf && operationId === 'uploadCaseFile') out = self(out);
    if (fileSelf && operationId === 'listCaseFiles' && Array.isArray(out)) out = (out as Json[]).map(self) as never;
    if (secretShown && (operationId === 'getWebhook' || operationId === 'listWebhooks')) {
      const reveal = (s: Json) => ({ ...s, secret: 'c2hvd24tYWdhaW4tc2VjcmV0LWJ5dGVz' });
      out = Array.isArray(out) ? (out as Json[]).map(reveal) : reveal(out);
    }
    if (preview && operationId === 'previewCase' && out.result?.pricingPreview) {
      const p = out.result.pricingPreview;
      out = {
        ...out,
        result: { ...out.result, pricingPreview: { ...p, totalSuccessFeePercentage: p.baseSuccessFeePercentage } },
      };
    }
    return [status, out];
  };
}

/** The handler as a defect has it (the query read differently, a guard skipped). */
export function customerHandlerDefects(defects: Chosen, handlers: Record<string, Handler>): Record<string, Handler> {
  const out = { ...handlers };
  const withQuery = (handler: Handler, change: (q: Json) => Json): Handler => {
    return (ctx) => {
      ctx.query = change(ctx.query);
      return handler(ctx);
    };
  };
  if (defects.has('debitura-sort-ignored') && out.listCases)
    out.listCases = withQuery(out.listCases!, ({ Sort: _, ...rest }) => rest);
  if (defects.has('debitura-statuses-first-only') && out.listCases)
    out.listCases = withQuery(out.listCases!, (q) =>
      Array.isArray(q.Statuses) ? { ...q, Statuses: q.Statuses.slice(0, 1) } : q,
    );
  if (defects.has('debitura-foreign-case-visible') && out.getCase) {
    const get = out.getCase!;
    out.getCase = async (ctx: RequestContext) => {
      try {
        return await get(ctx);
      } catch (error) {
        const record = worldOf(ctx.account).cases.get(ctx.params.id!);
        if (record && (error as ApiError).status === 404) return ok(record.case);
        throw error;
      }
    };
  }
  if (defects.has('debitura-duplicate-reference-accepted') && out.createCase) {
    const create = out.createCase!;
    out.createCase = (ctx: RequestContext) => {
      const reference = (ctx.body as Json | undefined)?.creditorReference;
      const world = worldOf(ctx.account);
      if (typeof reference === 'string' && ctx.caller?.clientId)
        world.creditorReferences.delete(referenceKey(ctx.caller.clientId, reference));
      return create(ctx);
    };
  }
  return out;
}

const DAY = 86_400;
/** The submission rules' "now": a day earlier when today must be refused (today becomes "the future"). */
export function customerCaseClock(defects: Chosen): ((now: number) => number) | undefined {
  return defects.has('debitura-today-refused') ? (now) => now - DAY : undefined;
}

/** Authentication with the defect's refusals first (the Customer API's onRequest). */
export function customerAuthDefect(
  defects: Chosen,
  authenticate: (request: FastifyRequest) => void,
): (request: FastifyRequest) => void {
  if (!defects.has('debitura-accept-refused')) return authenticate;
  return (request) => {
    if (/^text\/plain/i.test(request.headers.accept ?? ''))
      throw new ApiError(
        406,
        'invalid_request_error',
        'parameter_invalid',
        'Only application/json is served.',
        'Accept',
      );
    authenticate(request);
  };
}

/** Webhook payloads before they are signed (undefined: untouched). */
export function customerPayloadDefect(defects: Chosen): ((payload: WebhookEvent) => WebhookEvent) | undefined {
  const steps: Array<(p: WebhookEvent) => WebhookEvent> = [];
  const data = (p: WebhookEvent, change: Json): WebhookEvent =>
    ({ ...p, data: { ...p.data, ...change } }) as WebhookEvent;
  if (defects.has('debitura-case-updated-old-lifecycle'))
    steps.push((p) => (p.event === 'case.updated' ? data(p, { oldLifecycle: p.data?.newLifecycle ?? null }) : p));
  if (defects.has('debitura-case-closed-without-code'))
    steps.push((p) => (p.event === 'case.closed' ? data(p, { closeCode: null }) : p));
  if (defects.has('debitura-case-created-amount-in-cents'))
    steps.push((p) => (p.event === 'case.created' ? data(p, { amount: Math.round((p.data?.amount ?? 0) * 100) }) : p));
  return steps.length ? (p) => steps.reduce((out, step) => step(out), p) : undefined;
}

/** The signed request of each attempt (undefined: untouched): a retry re-minted with a new event id. */
export function customerDeliveryDefect(defects: Chosen): DeliveryTarget['mutate'] | undefined {
  if (!defects.has('debitura-event-id-per-retry')) return undefined;
  const attempts = new Map<string, number>();
  return (target, body, headers, signedAt) => {
    const event = JSON.parse(body) as Json;
    const seen = (attempts.get(event.id) ?? 0) + 1;
    // A defect's own bookkeeping, bounded all the same.
    if (attempts.size >= 10_000) attempts.clear();
    attempts.set(event.id, seen);
    if (seen === 1) return;
    const retried = JSON.stringify({ ...event, id: `${event.id}-retry-${seen}` });
    return { body: retried, headers: { ...headers, ...target.sign(retried, signedAt) } };
  };
}
