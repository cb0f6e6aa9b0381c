// The one error type of the mock and its catalogue. Every 4xx/5xx leaves the mock as
// `{ error: { type, code, message, param, doc_url } }`, built here and nowhere else.
import type { components } from '../../generated/casapay.js';

type ErrorBody = components['schemas']['Error'];
export type ErrorType = ErrorBody['error']['type'];
/** CasaPay's codes, and the few only Debitura's APIs raise (their renderer writes them; see mocks/apis/debitura/errors.ts). */
export type ErrorCode = ErrorBody['error']['code'] | 'token_invalid' | 'token_expired' | 'client_not_linked' | 'client_conflict'
  // the console's and /__admin's refusals of web pages (browser-guard.ts): outside every contract
  | 'host_not_allowed' | 'cross_site_request';

const DOCS = 'https://api.casapay.com/docs/errors';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: ErrorCode,
    message: string,
    readonly param: string | null = null,
    /** `body`: the whole wire body, for an API whose refusals have their own shape (Debitura's 422 and 409). */
    readonly extra: { solution_url?: string; headers?: Record<string, string>; body?: unknown } = {},
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    const code = this.code as ErrorBody['error']['code'];
    const error: ErrorBody['error'] = { type: this.type, code, message: this.message, param: this.param, doc_url: `${DOCS}#${code}` };
    if (this.extra.solution_url) error.solution_url = this.extra.solution_url;
    return { error };
  }
}

/** The catalogue: one template per situation, so messages read the same everywhere. */
export const errors = {
  parameterMissing: (param: string, hint = '') => new ApiError(400, 'invalid_request_error', 'parameter_missing', `Missing required param: ${param}.${hint ? ` ${hint}` : ''}`, param),
  parameterInvalid: (param: string | null, why: string) => new ApiError(400, 'invalid_request_error', 'parameter_invalid', param ? `Invalid ${param}: ${why}` : why, param),
  parameterUnknown: (param: string) => new ApiError(400, 'invalid_request_error', 'parameter_unknown', `Received unknown parameter: ${param}.`, param),
  parametersExclusive: (a: string, b: string) => new ApiError(400, 'invalid_request_error', 'parameters_exclusive', `You may only specify one of these parameters: ${a}, ${b}.`, b),
  urlInvalid: (path: string) => new ApiError(400, 'invalid_request_error', 'url_invalid', `The request path is not valid percent-encoding: ${path}`),
  /** HTTP would say 431; the contract declares 400 on every operation, so oversized heads are a 400 (see DECISIONS.md). */
  headersTooLarge: () => new ApiError(400, 'invalid_request_error', 'headers_too_large', 'The request line and headers are larger than 16 KB; send a shorter URL or fewer or smaller headers.'),
  requestMalformed: () => new ApiError(400, 'invalid_request_error', 'request_malformed', 'The request could not be read as HTTP/1.1.'),
  hostMissing: () => new ApiError(400, 'invalid_request_error', 'request_malformed', 'An HTTP/1.1 request needs a Host header.'),
  invalidJson: (why: string) => new ApiError(400, 'invalid_request_error', 'body_invalid_json', `The request body is not valid JSON: ${why}`),
  contentType: (got: string, accepted: string[]) => new ApiError(415, 'invalid_request_error', 'content_type_unsupported', `Content-Type ${got || '(none)'} is not accepted here; send ${accepted.join(' or ')}.`),
  fileTooLarge: (limit: string) => new ApiError(413, 'invalid_request_error', 'file_too_large', `The file is larger than ${limit}.`, 'file'),
  bodyTooLarge: (limit: string) => new ApiError(413, 'invalid_request_error', 'file_too_large', `The request body is larger than ${limit}.`),
  fileType: (ext: string, allowed: readonly string[]) => new ApiError(415, 'invalid_request_error', 'file_type_unsupported', `Files of type ${ext || '(no extension)'} are not accepted; allowed: ${allowed.join(', ')}.`, 'file'),
  notFound: (resource: string, id: string, param: string | null = 'id') => new ApiError(404, 'invalid_request_error', 'resource_not_found', `No such ${resource}: '${id}'.`, param),
  /** A body field names an object that does not exist (Stripe answers 400, not 404). */
  missingReference: (resource: string, id: string, param: string) => new ApiError(400, 'invalid_request_error', 'resource_not_found', `No such ${resource}: '${id}'.`, param),
  routeNotFound: (method: string, url: string) => new ApiError(404, 'invalid_request_error', 'resource_not_found', `Unrecognized request URL (${method}: ${url}).`, null),
  apiKeyMissing: () => new ApiError(401, 'authentication_error', 'api_key_missing', "No API key provided. Send it as 'Authorization: Bearer sk_test_…'."),
  apiKeyInvalid: () => new ApiError(401, 'authentication_error', 'api_key_invalid', 'Invalid API key. Keys look like sk_test_… (test mode) or sk_live_….'),
  idempotencyReused: () => new ApiError(400, 'idempotency_error', 'idempotency_key_reused', 'Keys for idempotent requests can only be used with the same parameters they were first used with. Try a new key.', null),
  idempotencyInUse: () => new ApiError(409, 'idempotency_error', 'idempotency_key_in_use', 'A request with this Idempotency-Key is still in progress. Retry once it has finished.', null),
  limitReached: (what: string, limit: number, how: string) =>
    new ApiError(400, 'invalid_request_error', 'resource_limit_reached', `An account holds at most ${limit} ${what}. ${how}`, null),
  stateInvalid: (message: string, param: string | null = null) => new ApiError(422, 'validation_error', 'state_invalid', message, param),
  business: (code: ErrorCode, message: string, param: string | null = null, solution_url?: string) =>
    new ApiError(422, 'validation_error', code, message, param, solution_url ? { solution_url } : {}),
  rateLimited: () => new ApiError(429, 'rate_limit_error', 'rate_limited', 'Too many requests. Retry after a short wait.', null, { headers: { 'Retry-After': '1' } }),
  internal: (message = 'Something went wrong on our side. Retry the request.') => new ApiError(500, 'api_error', 'internal_error', message),
  unavailable: () => new ApiError(503, 'api_error', 'service_unavailable', 'The service is temporarily unavailable. Retry the request.'),
};
