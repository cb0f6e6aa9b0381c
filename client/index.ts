// The typed CasaPay client (`casapay-contract-kit/client`): openapi-fetch over the generated `paths`,
// authenticated with an API key. Paths, parameters, bodies, success and error types all come from
// generated/casapay.ts, so a call the contract does not allow does not compile; every error a call
// returns is the contract's `{ error: { type, code, message, param } }` envelope. The conformance
// suite talks through this client too (adding a middleware that holds every response to the
// contract). May import: openapi-fetch and generated/ only — nothing of the mock.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from '../generated/casapay.js';

export type { components, operations, paths, webhooks } from '../generated/casapay.js';

export type CasaPayClient = Client<paths>;
/** The error envelope every 4xx and 5xx of the API carries. */
export type CasaPayError = components['schemas']['Error'];
export type CasaPayErrorType = CasaPayError['error']['type'];
export type CasaPayErrorCode = CasaPayError['error']['code'];

export const DEFAULT_BASE_URL = 'https://api.casapay.com';

export interface CasaPayClientOptions {
  /** Default https://api.casapay.com; the mock's is http://localhost:4010. */
  baseUrl?: string;
  /** `sk_test_…` or `sk_live_…`; `null` sends no Authorization header. */
  apiKey: string | null;
  /** A raw Authorization header value instead of `Bearer <apiKey>` (to send malformed credentials on purpose). */
  authorization?: string;
  /** The fetch to use (default: global fetch): a test's interceptor, a timeout wrapper. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers on every request, such as `X-Mock-Scenario`. */
  headers?: Record<string, string>;
  /** Middlewares run on every request and response (openapi-fetch's `use`). */
  middleware?: Middleware[];
}

/**
 * A client for one account.
 * @example
 * const casapay = createCasaPayClient({ baseUrl: 'http://localhost:4010', apiKey: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' });
 * const { data, error } = await casapay.GET('/v1/collection_cases/{id}', { params: { path: { id: 'dc_a1b2c3d4' } } });
 * if (error) console.log(error.error.code); else console.log(data.reference); // 'Q8OAXF3W'
 */
export function createCasaPayClient(options: CasaPayClientOptions): CasaPayClient {
  const authorization = options.authorization ?? (options.apiKey === null ? undefined : `Bearer ${options.apiKey}`);
  const client = createClient<paths>({
    baseUrl: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    headers: { ...options.headers, ...(authorization ? { Authorization: authorization } : {}) },
    // Looked up per call, so an interceptor installed after the client was made (nock) still applies.
    fetch: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
  });
  for (const middleware of options.middleware ?? []) client.use(middleware);
  return client;
}

/**
 * Whether a value is the API's error envelope (for bodies read outside the typed client).
 * @example isCasaPayError({ error: { type: 'api_error', code: 'internal_error', message: '…', param: null } }) // true
 */
export function isCasaPayError(value: unknown): value is CasaPayError {
  const error = (value as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.type === 'string' &&
    typeof error.code === 'string' &&
    typeof error.message === 'string'
  );
}
