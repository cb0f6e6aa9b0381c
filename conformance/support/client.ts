// The one typed client every check talks through — the package's own (client/index.ts) — plus a
// middleware that holds every response to the contract (declared status, JSON content type, body
// valid and strict, error envelope, Request-Id) and records it for coverage and failure reports.
import type { Middleware } from 'openapi-fetch';
import { createCasaPayClient, type CasaPayClient } from '../../client/index.js';
import { CASAPAY_API, checkResponse, type ApiContract } from './response-rules.js';
import {
  clip,
  recorder,
  redactAuthorization,
  type Exchange,
  type RecordedMessage,
  type Violation,
} from './recorder.js';
import { realNowMs } from './runtime.js';
import { target } from './target.js';
import type { Warning } from './warnings.js';

export { CASAPAY_API, checkResponse, type ApiContract } from './response-rules.js';

export type ApiClient = CasaPayClient;

/** A response broke a rule of the contract. The message starts with the rule so reports can group by it. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(
    readonly violation: Violation,
    /** The request and response that broke it (errors keep their own properties on the way to the reporter). */
    readonly exchange?: Exchange,
  ) {
    super(
      `contract rule "${violation.rule}" broken by ${violation.operationId ?? 'an unknown operation'} → ${violation.status ?? 'no response'}: ${violation.message}`,
    );
  }
}

const headersOf = (headers: Headers): Record<string, string> => {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = key === 'authorization' ? redactAuthorization(value) : value;
  });
  return out;
};

async function snapshotRequestBody(request: Request): Promise<string | undefined> {
  if (!request.body) return undefined;
  const type = request.headers.get('content-type') ?? '';
  // A multipart body can be 25 MB; teeing it just to print it would double the upload's memory.
  if (type.startsWith('multipart/'))
    return `(multipart/form-data body${request.headers.get('content-length') ? `, ${request.headers.get('content-length')} bytes` : ''})`;
  return clip(await request.clone().text());
}

interface Pending {
  started: number;
  body?: string;
}

/**
 * Records warnings (reported with the check, which still passes) or, under --strict, fails the
 * check on the first one, with the same rule name.
 */
export function reportWarnings(warnings: readonly Warning[], exchange?: Exchange): void {
  if (!warnings.length) return;
  if (target().strict) {
    const w = warnings[0]!;
    const violation: Violation = {
      rule: w.rule,
      operationId: w.operationId,
      status: w.status,
      message: `${w.message} (--strict)`,
    };
    for (const v of warnings)
      recorder.violation({ rule: v.rule, operationId: v.operationId, status: v.status, message: v.message });
    throw new ContractViolation(violation, exchange);
  }
  for (const w of warnings) recorder.warning(w);
}

/** Holds every response of a client to its API's contract and records it (coverage, failure reports). */
export function contractMiddleware(api: ApiContract = CASAPAY_API): Middleware {
  const pending = new Map<string, Pending>();
  return {
    async onRequest({ request, id }) {
      pending.set(id, { started: realNowMs(), body: await snapshotRequestBody(request) });
    },
    async onResponse({ request, response, schemaPath, id }) {
      const p = pending.get(id);
      pending.delete(id);
      const op = api.operationFor(request.method, schemaPath);
      const contentType = response.headers.get('content-type');
      const isJson = contentType !== null && /json/i.test(contentType);
      const raw = isJson || !response.ok ? await response.clone().text() : '';
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const responseMessage: RecordedMessage = {
        headers: headersOf(response.headers),
        body:
          isJson || raw
            ? clip(raw)
            : `(${contentType ?? 'unknown type'}, ${response.headers.get('content-length') ?? '?'} bytes)`,
      };
      const exchange: Exchange = {
        operationId: op?.operationId ?? null,
        method: request.method,
        url: request.url,
        status: response.status,
        request: { headers: headersOf(request.headers), body: p?.body },
        response: responseMessage,
        durationMs: p ? realNowMs() - p.started : 0,
      };
      recorder.exchange(exchange);
      const violations = op
        ? checkResponse(
            op.operationId,
            response.status,
            contentType,
            response.headers.get('request-id'),
            body,
            raw,
            api,
          )
        : [
            {
              rule: 'status-declared',
              operationId: null,
              status: response.status,
              message: `${request.method} ${schemaPath} is not an operation of the contract`,
            },
          ];
      if (violations.length) {
        for (const v of violations) recorder.violation(v);
        throw new ContractViolation(violations[0]!, exchange);
      }
      if (op) reportWarnings(api.warnings(op.operationId, response.status, body), exchange);
      return undefined;
    },
    async onError({ request, error, schemaPath, id }) {
      const p = pending.get(id);
      pending.delete(id);
      recorder.exchange({
        operationId: api.operationFor(request.method, schemaPath)?.operationId ?? null,
        method: request.method,
        url: request.url,
        status: null,
        request: { headers: headersOf(request.headers), body: p?.body },
        durationMs: p ? realNowMs() - p.started : 0,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return undefined;
    },
  };
}

/**
 * fetch with the run's per-request timeout (--timeout). A target that does not answer in time fails
 * the check naming the rule (answers-in-time), not with fetch's bare `TimeoutError`.
 */
export async function timedFetch(request: Request): Promise<Response> {
  const { timeoutMs } = target();
  try {
    return await fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if ((error as Error)?.name === 'TimeoutError')
      throw new Error(
        `[answers-in-time] ${request.method} ${request.url} got no answer within ${timeoutMs} ms (--timeout)`,
        { cause: error },
      );
    throw error;
  }
}

/**
 * The client with openapi-fetch's own failures named: a body a check reads as JSON that is not JSON
 * (a declared download answered where the check expected an error) is a `SyntaxError` inside
 * openapi-fetch; it becomes an error saying so, which the check's rule then names (support/setup.ts).
 */
export function withReadableErrors<C extends object>(client: C): C {
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'request'] as const) {
    const original = (client as Record<string, unknown>)[method];
    if (typeof original !== 'function') continue;
    (client as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      try {
        return await (original as (...a: unknown[]) => Promise<unknown>).apply(client, args);
      } catch (error) {
        if (error instanceof SyntaxError)
          throw new Error(
            `the answer to ${String(method === 'request' ? `${String(args[0]).toUpperCase()} ${String(args[1])}` : `${method} ${String(args[0])}`)} is not the JSON the check reads (${error.message})`,
            { cause: error },
          );
        throw error;
      }
    };
  }
  return client;
}

export interface ClientOptions {
  /** The API key; `null` sends no Authorization header at all. */
  apiKey?: string | null;
  /** A raw Authorization header value (for malformed credentials such as `Bearer nope`). */
  authorization?: string;
}

/**
 * A typed client for the target, authenticated with the given key (default: the primary key).
 * @example
 * const api = apiClient();
 * const { data } = await api.GET('/v1/collection_cases/{id}', { params: { path: { id } } });
 */
export function apiClient(options: ClientOptions = {}): ApiClient {
  const t = target();
  return withReadableErrors(
    createCasaPayClient({
      baseUrl: t.baseUrl,
      apiKey: options.apiKey === undefined ? t.apiKey : options.apiKey,
      ...(options.authorization ? { authorization: options.authorization } : {}),
      // The per-request timeout of --timeout; a hung target fails the check instead of the run.
      fetch: timedFetch,
      middleware: [contractMiddleware()],
    }),
  );
}
