// How Debitura's APIs write an error. The published contract's clients parse `ApiErrorResponseDto`
// (`{ error, message, businessErrors }`, `error` a string) — CasaPay's `{ error: {…} }` envelope would
// break them — so the one error type (ApiError) is rendered here in that shape: `error` and
// `businessErrors[0].type` carry the code, `message` the sentence (naming the parameter).
import { ApiError, errors } from '../../engine/errors.js';
import type { RenderedError } from '../../engine/pipeline.js';
import type { components } from '../../../generated/debitura-customer.js';

export type ErrorResponse = components['schemas']['ErrorResponse'];
export type BusinessError = components['schemas']['BusinessError'];

/** Where Debitura's status or label differs from CasaPay's for the same situation. */
const DEBITURA_WAY: Partial<Record<string, { status: number; label: string }>> = {
  // Debitura answers a reused idempotency key with a different body as a business conflict.
  idempotency_key_reused: { status: 422, label: 'IdempotencyConflict' },
};

/**
 * @example renderDebituraError(errors.parameterMissing('debtor[name]')).body
 *   // { error: 'parameter_missing', message: 'Missing required param: debtor[name].', businessErrors: [{ type: 'parameter_missing', … }] }
 */
export function renderDebituraError(error: ApiError): RenderedError {
  if (error.extra.body !== undefined) return { status: error.status, body: error.extra.body };
  const way = DEBITURA_WAY[error.code];
  const label = way?.label ?? error.code;
  const body: ErrorResponse = {
    error: label,
    message: error.message,
    businessErrors: [{ type: label, message: error.message, solutionUrl: error.extra.solution_url ?? null }],
  };
  return { status: way?.status ?? error.status, body };
}

/** The refusals only Debitura's APIs make; validation and not-found reuse the shared catalogue. */
export const debituraErrors = {
  apiKeyMissing: () =>
    new ApiError(
      401,
      'authentication_error',
      'api_key_missing',
      'No API key provided. Send your referral partner key in the XApiKey header.',
    ),
  apiKeyInvalid: () =>
    new ApiError(
      401,
      'authentication_error',
      'api_key_invalid',
      'Invalid XApiKey: send the key of your Debitura account (letters, digits, `_`, `-`, `.`; at most 200 characters).',
    ),
  credentialsMissing: () =>
    new ApiError(
      401,
      'authentication_error',
      'api_key_missing',
      "No credentials. Send `Authorization: Bearer <accessToken>` with a token from the Referral Partner API's POST /oauth/token (or XApiKey as a direct creditor).",
    ),
  tokenInvalid: () =>
    new ApiError(
      401,
      'authentication_error',
      'token_invalid',
      "The bearer token is not one this API issued (or its account was reset, or it is older than the account's 100 newest tokens). Mint a new one with POST /oauth/token and retry.",
    ),
  tokenExpired: (at: number) =>
    new ApiError(
      401,
      'authentication_error',
      'token_expired',
      `The bearer token expired at ${new Date(at * 1000).toISOString()} (tokens live 30 minutes). Mint a new one with POST /oauth/token and retry.`,
    ),
  clientNotLinked: (externalTenantId: string) =>
    new ApiError(
      404,
      'invalid_request_error',
      'client_not_linked',
      `No active client link for externalTenantId '${externalTenantId}': create the client with POST /clients first (archived and withdrawn links get no tokens).`,
      'externalTenantId',
    ),
  notFound: (resource: string, id: string, param: string | null = 'id') => errors.notFound(resource, id, param),
  /** A 422 whose body is Debitura's BusinessErrorResponse. */
  business: (body: components['schemas']['BusinessErrorResponse']) =>
    new ApiError(
      422,
      'validation_error',
      'state_invalid',
      body.businessErrors?.map((e) => e.message).join(' ') ?? 'A business rule refused the request.',
      null,
      { body },
    ),
  /** A 409 whose body is the Referral API's ClientConflict. */
  conflict: (body: unknown, message: string) =>
    new ApiError(409, 'invalid_request_error', 'client_conflict', message, 'externalTenantId', { body }),
};
