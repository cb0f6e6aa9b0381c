// The one error type of the mock and the engine's catalogue. Whatever refuses a request — the HTTP
// layer, the router, the pipeline, an API's handler — throws an ApiError; the API the request belongs
// to renders it in its own shape (its module's `renderError`), so the engine never writes an error body.
//
// The engine's codes (ENGINE_ERROR_CODES) are the situations every API shares: a parameter missing or
// invalid, a body too large, a route unknown, a key reused. An API adds its own codes (a business
// refusal, an expired token) in its module: `ApiError<'its_own_code'>`.

/** The error categories (Stripe's taxonomy), shared by every API's renderer. */
export type ErrorType =
  | 'api_error'
  | 'authentication_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'rate_limit_error'
  | 'validation_error';

/** The codes the engine and the operator surfaces raise themselves. */
export const ENGINE_ERROR_CODES = [
  'parameter_missing',
  'parameter_invalid',
  'parameter_unknown',
  'url_invalid',
  'headers_too_large',
  'request_malformed',
  'body_invalid_json',
  'content_type_unsupported',
  'file_too_large',
  'file_type_unsupported',
  'resource_not_found',
  'api_key_missing',
  'api_key_invalid',
  'idempotency_key_reused',
  'idempotency_key_in_use',
  'resource_limit_reached',
  'rate_limited',
  'internal_error',
  'service_unavailable',
  // the console's and /__admin's refusals of web pages (operator/browser-guard.ts): outside every contract
  'host_not_allowed',
  'cross_site_request',
] as const;

export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export interface ErrorExtra {
  /** A page explaining how to fix the refusal (CasaPay's `solution_url`). */
  solution_url?: string;
  headers?: Record<string, string>;
  /** The whole wire body, for an API whose refusals have their own shape (Debitura's 422 and 409). */
  body?: unknown;
  /** What in the contract states this refusal when it is not an `x-rules` entry: `schema:<keyword>` (kit/contract-rules.ts). */
  statedBy?: string;
}

export class ApiError<Code extends string = string> extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: Code | EngineErrorCode,
    message: string,
    readonly param: string | null = null,
    readonly extra: ErrorExtra = {},
  ) {
    super(message);
  }

  /** Cites the `x-rules` entry behind a refusal that its status, code and param alone do not single out. */
  cites(rule: string): this {
    this.extra.statedBy = rule;
    return this;
  }

  /** Marks the refusal as the schema's own (a validation keyword), not a rule stated in `x-rules`. */
  bySchema(keyword: string): this {
    this.extra.statedBy = `schema:${keyword}`;
    return this;
  }
}

/** An error as one API writes it on the wire. */
export interface RenderedError {
  status: number;
  body: unknown;
}

/** The catalogue: one template per situation, so messages read the same everywhere. */
export const errors = {
  parameterMissing: (param: string, hint = '') =>
    new ApiError(
      400,
      'invalid_request_error',
      'parameter_missing',
      `Missing required param: ${param}.${hint ? ` ${hint}` : ''}`,
      param,
    ),
  parameterInvalid: (param: string | null, why: string) =>
    new ApiError(400, 'invalid_request_error', 'parameter_invalid', param ? `Invalid ${param}: ${why}` : why, param),
  parameterUnknown: (param: string) =>
    new ApiError(400, 'invalid_request_error', 'parameter_unknown', `Received unknown parameter: ${param}.`, param),
  urlInvalid: (path: string) =>
    new ApiError(
      400,
      'invalid_request_error',
      'url_invalid',
      `The request path is not valid percent-encoding: ${path}`,
    ),
  /** HTTP would say 431; the contracts declare 400 on every operation, so oversized heads are a 400 (see DECISIONS.md). */
  headersTooLarge: () =>
    new ApiError(
      400,
      'invalid_request_error',
      'headers_too_large',
      'The request line and headers are larger than 16 KB; send a shorter URL or fewer or smaller headers.',
    ),
  requestMalformed: () =>
    new ApiError(400, 'invalid_request_error', 'request_malformed', 'The request could not be read as HTTP/1.1.'),
  hostMissing: () =>
    new ApiError(400, 'invalid_request_error', 'request_malformed', 'An HTTP/1.1 request needs a Host header.'),
  invalidJson: (why: string) =>
    new ApiError(400, 'invalid_request_error', 'body_invalid_json', `The request body is not valid JSON: ${why}`),
  /** The operation's `requestBody.content` states the media types it takes. */
  contentType: (got: string, accepted: string[]) =>
    new ApiError(
      415,
      'invalid_request_error',
      'content_type_unsupported',
      `Content-Type ${got || '(none)'} is not accepted here; send ${accepted.join(' or ')}.`,
    ).bySchema('content'),
  fileTooLarge: (limit: string) =>
    new ApiError(413, 'invalid_request_error', 'file_too_large', `The file is larger than ${limit}.`, 'file'),
  fileType: (ext: string, allowed: readonly string[]) =>
    new ApiError(
      415,
      'invalid_request_error',
      'file_type_unsupported',
      `Files of type ${ext || '(no extension)'} are not accepted; allowed: ${allowed.join(', ')}.`,
      'file',
    ),
  bodyTooLarge: (limit: string) =>
    new ApiError(413, 'invalid_request_error', 'file_too_large', `The request body is larger than ${limit}.`),
  notFound: (resource: string, id: string, param: string | null = 'id') =>
    new ApiError(404, 'invalid_request_error', 'resource_not_found', `No such ${resource}: '${id}'.`, param),
  /** A body field names an object that does not exist (Stripe answers 400, not 404). */
  missingReference: (resource: string, id: string, param: string) =>
    new ApiError(400, 'invalid_request_error', 'resource_not_found', `No such ${resource}: '${id}'.`, param),
  routeNotFound: (method: string, url: string) =>
    new ApiError(
      404,
      'invalid_request_error',
      'resource_not_found',
      `Unrecognized request URL (${method}: ${url}).`,
      null,
    ),
  idempotencyReused: () =>
    new ApiError(
      400,
      'idempotency_error',
      'idempotency_key_reused',
      'Keys for idempotent requests can only be used with the same parameters they were first used with. Try a new key.',
      null,
    ),
  idempotencyInUse: () =>
    new ApiError(
      409,
      'idempotency_error',
      'idempotency_key_in_use',
      'A request with this Idempotency-Key is still in progress. Retry once it has finished.',
      null,
    ),
  limitReached: (what: string, limit: number, how: string) =>
    new ApiError(
      400,
      'invalid_request_error',
      'resource_limit_reached',
      `An account holds at most ${limit} ${what}. ${how}`,
      null,
    ),
  rateLimited: () =>
    new ApiError(429, 'rate_limit_error', 'rate_limited', 'Too many requests. Retry after a short wait.', null, {
      headers: { 'Retry-After': '1' },
    }),
  internal: (message = 'Something went wrong on our side. Retry the request.') =>
    new ApiError(500, 'api_error', 'internal_error', message),
  unavailable: () =>
    new ApiError(503, 'api_error', 'service_unavailable', 'The service is temporarily unavailable. Retry the request.'),
};
