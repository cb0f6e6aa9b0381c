// Deliberate implementation defects, off by default (`--defect NAME`). They exist to prove the
// conformance suite catches real mistakes: each one breaks the mock the way a vendor's
// implementation might, and a test asserts the suite fails on it. Like Debitura's
// (mocks/apis/debitura/defects.ts), each is an edge chosen once at start (`casapayEdges`): a handler
// replaced or wrapped, a task runner, the response or the error on its way out, the API key a request
// acts as, the signed webhook, a mount option. With no defect every edge is undefined, so the request
// path pays nothing and nothing on it names a defect.
import type { ApiError, RenderedError } from '../../engine/errors.js';
import { casapayErrorBody, errors } from './errors.js';
import type { TaskRunner } from '../../engine/scheduler/scheduler.js';
import type { OutgoingRequest } from '../../engine/webhooks/dispatcher.js';
import { SIGNATURE_HEADER } from './event-log.js';
import { realNowSeconds } from '../../../kit/real-time.js';
import { signatureHeader } from '../../../kit/webhook-signature.js';
import {
  STANDARD_ID_HEADER,
  STANDARD_SIGNATURE_HEADER,
  STANDARD_TIMESTAMP_HEADER,
  standardSignatureHeaders,
} from '../../../kit/standard-webhook-signature.js';
import type { Effects, Handler, HandlerContext, HandlerResult } from './handlers/context.js';
import {
  PAYMENT_STEPS,
  recordPaymentWith,
  runMagicStepWith,
  type PaymentSteps,
  type RecordPayment,
} from './handlers/collection-cases.js';
import { testDebtPaymentHandler } from './handlers/test-helpers.js';
import { MAX_FILE_BYTES } from './handlers/case-files.js';
import { namesOf } from '../../engine/choices.js';

export const DEFECTS = {
  'missing-required-field': 'collection case responses omit the required `reference`',
  'wrong-type': '`amount_to_recover` is returned as a string',
  'wrong-status-code': 'creates answer 200 instead of 201',
  'has-more-wrong': 'list `has_more` is always false',
  'filter-ignored': 'the `status` filter of GET /v1/collection_cases is ignored',
  'cursor-ignored': '`starting_after` and `ending_before` are ignored',
  'idempotency-ignored': 'Idempotency-Key is ignored: retries create duplicates',
  '500-on-bad-input': 'bad input (every 400) answers 500 instead',
  'flat-error-body': 'errors are `{message, code}` without the `error` envelope',
  'unsigned-webhook': 'webhooks are sent without X-CasaPay-Signature',
  'mis-signed-webhook': 'webhooks are signed with the wrong secret',
  'stale-webhook-timestamp': "the signature's `t` is 10 minutes old (outside the 300 s tolerance receivers allow)",
  'missing-event': '`debt_payment.created` is never emitted',
  'remainder-not-updated': 'debt payments do not lower the case remainder',
  'auth-ignored': 'requests without an API key are accepted',
  'cross-account-leak': 'every API key sees the same account',
  'file-limit-ignored': 'uploads over 25 MB are accepted',
} as const;

export type DefectName = keyof typeof DEFECTS;

export type Defects = ReadonlySet<DefectName>;

export const NO_DEFECTS: Defects = new Set();

/** Validates defect names from the command line or options. */
export function parseDefects(names: readonly string[] = []): Defects {
  return namesOf(DEFECTS, names, 'defect');
}

type Handlers = Readonly<Record<string, Handler>>;
/** What authentication reads from a request. */
export interface Credentials {
  headers: { authorization?: string };
}
/** The API key a request acts as (throws the 401 when it has none or a malformed one). */
export type KeyOf = (request: Credentials) => string;

/** Where the chosen defects bend CasaPay's mock; every edge is undefined unless a defect asks for it. */
export interface CasaPayEdges {
  /** operationId → handler: the table with the operations a defect bends wrapped or replaced. */
  handlers?(handlers: Handlers): Handlers;
  /** Task kind → runner, replacing the honest runner of that kind. */
  taskRunners?: Readonly<Record<string, TaskRunner<Effects>>>;
  /** A successful answer of `operationId` on its way out (a copy is bent; stored objects never are). */
  responses?(operationId: string, status: number, body: unknown): [number, unknown];
  /** How an error is written, in place of CasaPay's envelope. */
  renderError?(error: ApiError): RenderedError;
  /** Wraps how a request's API key is read. */
  authenticate?(keyOf: KeyOf): KeyOf;
  /** The `t` webhook signatures carry (default real time). */
  signingTime?(): number;
  /** The last look at a signed webhook request, after variants and the Standard Webhooks headers. */
  mutateWebhook?(request: OutgoingRequest, signedAt: number): OutgoingRequest;
  /** Mount option: the largest upload accepted (default MAX_FILE_BYTES). */
  fileLimitBytes?: number;
  /** Mount option: false ignores Idempotency-Key (default honoured where the contract declares it). */
  honourIdempotency?: boolean;
}

/** The key every request acts as under `cross-account-leak`; `auth-ignored`'s for requests without one. */
const SHARED_KEY = 'sk_test_shared_by_everyone';
const ANONYMOUS_KEY = 'sk_test_anonymous';
/** A secret that is not the endpoint's, for the mis-signed-webhook defect. */
const WRONG_SECRET = 'whsec_not_the_endpoint_secret';
/** How old the stale-webhook-timestamp defect makes `t`: past the 300 s receivers allow. */
const STALE_SIGNATURE_SECONDS = 600;

/**
 * The edges of a run's defects, built once at start.
 * @example casapayEdges(new Set(['wrong-status-code'])).responses?.('createCollectionCase', 201, body) // [200, body]
 */
export function casapayEdges(defects: Defects): CasaPayEdges {
  const edges: CasaPayEdges = {};
  const on = (name: DefectName) => defects.has(name);

  const record = paymentRecorderFor(defects);
  const handlerBends = handlerBendsFor(defects, record);
  if (handlerBends.length) edges.handlers = (handlers) => handlerBends.reduce((table, bend) => bend(table), handlers);
  if (record) edges.taskRunners = { 'case.magic': (fx, params) => runMagicStepWith(record, fx, params) };

  const responseBends = responseBendsFor(defects);
  if (responseBends.length) {
    edges.responses = (_operationId, status, body) => {
      // Bends change the body in place: a copy, so stored objects (and remembered JSON) stay as they were.
      const out: [number, unknown] = [status, body && typeof body === 'object' ? structuredClone(body) : body];
      for (const bend of responseBends) bend(out);
      return out;
    };
  }

  if (on('500-on-bad-input') || on('flat-error-body')) {
    const bend = on('500-on-bad-input')
      ? (error: ApiError) => (error.status === 400 ? errors.internal() : error)
      : (error: ApiError) => error;
    const write = on('flat-error-body')
      ? flatErrorBody
      : (error: ApiError): RenderedError => ({ status: error.status, body: casapayErrorBody(error) });
    edges.renderError = (error) => write(bend(error));
  }

  if (on('auth-ignored') || on('cross-account-leak')) {
    const acceptMissing = (keyOf: KeyOf): KeyOf =>
      on('auth-ignored') ? (request) => (request.headers.authorization ? keyOf(request) : ANONYMOUS_KEY) : keyOf;
    // A malformed key is still refused: the leak is of accounts, not of authentication.
    const leak = (keyOf: KeyOf): KeyOf =>
      on('cross-account-leak') ? (request) => (keyOf(request), SHARED_KEY) : keyOf;
    edges.authenticate = (keyOf) => leak(acceptMissing(keyOf));
  }

  if (on('stale-webhook-timestamp')) edges.signingTime = () => realNowSeconds() - STALE_SIGNATURE_SECONDS;
  if (on('unsigned-webhook')) edges.mutateWebhook = unsigned;
  else if (on('mis-signed-webhook')) edges.mutateWebhook = misSigned;

  if (on('file-limit-ignored')) edges.fileLimitBytes = 4 * MAX_FILE_BYTES;
  if (on('idempotency-ignored')) edges.honourIdempotency = false;
  return edges;
}

/** A list handler's answer changed as a list (object 'list'); other answers pass through. */
const bendList =
  (handler: Handler, change: (list: Record<string, unknown>) => Record<string, unknown>): Handler =>
  (ctx) => {
    const apply = (result: HandlerResult): HandlerResult => {
      const body = result.body as Record<string, unknown> | null;
      return body && typeof body === 'object' && body.object === 'list' ? { ...result, body: change(body) } : result;
    };
    const result = handler(ctx);
    // Synchronous handlers stay synchronous (scenario steps refuse asynchronous ones).
    return result instanceof Promise ? result.then(apply) : apply(result);
  };

/** The same request without some query parameters. */
const without = (ctx: HandlerContext, ...names: string[]): HandlerContext => {
  const query = { ...ctx.query };
  for (const name of names) delete query[name];
  return { ...ctx, query };
};

/** Every operation whose answer is a list. */
const isList = (operationId: string) => operationId.startsWith('list');
const mapLists = (handlers: Handlers, wrap: (handler: Handler) => Handler): Handlers =>
  Object.fromEntries(Object.entries(handlers).map(([id, handler]) => [id, isList(id) ? wrap(handler) : handler]));

function handlerBendsFor(defects: Defects, record: RecordPayment | undefined): Array<(handlers: Handlers) => Handlers> {
  const bends: Array<(handlers: Handlers) => Handlers> = [];
  if (defects.has('filter-ignored')) {
    bends.push((handlers) => ({
      ...handlers,
      listCollectionCases: (
        (list) => (ctx: HandlerContext) =>
          list(without(ctx, 'status'))
      )(handlers.listCollectionCases!),
    }));
  }
  if (defects.has('cursor-ignored')) {
    // The page is read as if no cursor were given, after the request with its cursors has been checked
    // (an unknown cursor is still a 400): a list is a read, so reading it twice changes nothing.
    bends.push((handlers) =>
      mapLists(handlers, (list) => (ctx) => {
        const checked = list(ctx);
        return checked instanceof Promise
          ? checked.then(() => list(without(ctx, 'starting_after', 'ending_before')))
          : list(without(ctx, 'starting_after', 'ending_before'));
      }),
    );
  }
  if (defects.has('has-more-wrong'))
    bends.push((handlers) => mapLists(handlers, (list) => bendList(list, (body) => ({ ...body, has_more: false }))));
  if (record) bends.push((handlers) => ({ ...handlers, createTestDebtPayment: testDebtPaymentHandler(record) }));
  return bends;
}

/** How payments are recorded under `remainder-not-updated` and `missing-event`; undefined: the honest way. */
function paymentRecorderFor(defects: Defects): RecordPayment | undefined {
  if (!defects.has('remainder-not-updated') && !defects.has('missing-event')) return undefined;
  const steps: PaymentSteps = {
    remainderAfter: defects.has('remainder-not-updated') ? (c) => c.remainder : PAYMENT_STEPS.remainderAfter,
    announce: defects.has('missing-event') ? () => undefined : PAYMENT_STEPS.announce,
  };
  return (fx, c, input) => recordPaymentWith(steps, fx, c, input);
}

/** Calls `change` on each collection case of a body: the object itself, or a list's items. */
function eachCase(body: unknown, change: (c: Record<string, unknown>) => void): void {
  if (!body || typeof body !== 'object') return;
  const object = body as Record<string, unknown>;
  if (object.object === 'collection_case') change(object);
  if (object.object === 'list' && Array.isArray(object.data)) object.data.forEach((item) => eachCase(item, change));
}

/** Bends of a successful answer, each changing [status, copy of the body] in place. */
function responseBendsFor(defects: Defects): Array<(answer: [number, unknown]) => void> {
  const bends: Array<(answer: [number, unknown]) => void> = [];
  if (defects.has('wrong-status-code')) bends.push((answer) => void (answer[0] === 201 && (answer[0] = 200)));
  if (defects.has('missing-required-field')) bends.push(([, body]) => eachCase(body, (c) => delete c.reference));
  if (defects.has('wrong-type'))
    bends.push(([, body]) => eachCase(body, (c) => (c.amount_to_recover = String(c.amount_to_recover))));
  return bends;
}

/** `{message, code}` without the `error` envelope. */
function flatErrorBody(error: ApiError): RenderedError {
  return { status: error.status, body: { message: error.message, code: error.code } };
}

/** Both schemes' signature headers dropped (`webhook-id` and `webhook-timestamp` with them, as Standard Webhooks sends all three or none). */
function unsigned(request: OutgoingRequest): OutgoingRequest {
  for (const name of [SIGNATURE_HEADER, STANDARD_ID_HEADER, STANDARD_TIMESTAMP_HEADER, STANDARD_SIGNATURE_HEADER])
    delete request.headers[name];
  return request;
}

/** Whichever signatures the request carries, signed again with a secret that is not the endpoint's. */
function misSigned(request: OutgoingRequest, signedAt: number): OutgoingRequest {
  const { headers, body } = request;
  if (SIGNATURE_HEADER in headers) headers[SIGNATURE_HEADER] = signatureHeader(body, WRONG_SECRET, signedAt);
  const eventId = headers[STANDARD_ID_HEADER];
  if (eventId !== undefined && STANDARD_SIGNATURE_HEADER in headers)
    Object.assign(headers, standardSignatureHeaders(eventId, body, WRONG_SECRET, signedAt));
  return request;
}
