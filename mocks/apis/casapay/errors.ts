// CasaPay's errors: the engine's catalogue plus the refusals only CasaPay makes (its business rules,
// its key format), and how CasaPay writes any error on the wire —
// `{ error: { type, code, message, param, doc_url } }`, built here and nowhere else.
import { ApiError, errors as engineErrors, type RenderedError } from '../../engine/errors.js';
import type { components } from '../../../generated/casapay.js';

type ErrorBody = components['schemas']['Error'];
/** Every code CasaPay's contract declares. */
export type CasaPayErrorCode = ErrorBody['error']['code'];

const DOCS = 'https://api.casapay.com/docs/errors';

/** CasaPay's API keys: `sk_test_…` (test mode) or `sk_live_…`. */
export const CASAPAY_API_KEY = /^sk_(test|live)_[A-Za-z0-9_]{1,200}$/;

/**
 * @example casapayErrorBody(errors.parameterMissing('currency')).error.doc_url // 'https://api.casapay.com/docs/errors#parameter_missing'
 */
export function casapayErrorBody(error: ApiError): ErrorBody {
  const code = error.code as CasaPayErrorCode;
  const body: ErrorBody['error'] = {
    type: error.type,
    code,
    message: error.message,
    param: error.param,
    doc_url: `${DOCS}#${code}`,
  };
  if (error.extra.solution_url) body.solution_url = error.extra.solution_url;
  return { error: body };
}

/** CasaPay's renderer: the envelope, at the error's own status. */
export const renderCasaPayError = (error: ApiError): RenderedError => ({
  status: error.status,
  body: casapayErrorBody(error),
});

/** The engine's catalogue and CasaPay's own refusals. */
export const errors = {
  ...engineErrors,
  parametersExclusive: (a: string, b: string) =>
    new ApiError<CasaPayErrorCode>(
      400,
      'invalid_request_error',
      'parameters_exclusive',
      `You may only specify one of these parameters: ${a}, ${b}.`,
      b,
    ),
  apiKeyMissing: () =>
    new ApiError(
      401,
      'authentication_error',
      'api_key_missing',
      "No API key provided. Send it as 'Authorization: Bearer sk_test_…'.",
    ),
  apiKeyInvalid: () =>
    new ApiError(
      401,
      'authentication_error',
      'api_key_invalid',
      'Invalid API key. Keys look like sk_test_… (test mode) or sk_live_….',
    ),
  stateInvalid: (message: string, param: string | null = null) =>
    new ApiError<CasaPayErrorCode>(422, 'validation_error', 'state_invalid', message, param),
  business: (code: CasaPayErrorCode, message: string, param: string | null = null, solution_url?: string) =>
    new ApiError<CasaPayErrorCode>(422, 'validation_error', code, message, param, solution_url ? { solution_url } : {}),
};
