// One exchange the proxy saw (what the client sent, what the implementation answered) held to the
// contract with the suite's own validators, never re-implemented: the request through `pact check`'s
// request rules (pact/check.ts: operation declared, parameters, Authorization, body against the request
// schema with `required`), the response through the client middleware's rules (support/client.ts
// `checkResponse`: status declared, JSON, body schema, error envelope, Request-Id) and the additive
// policy (support/warnings.ts: unknown fields, recommended fields; `--strict` makes them errors). On
// top, the one rule only a stream of traffic can show: an `Idempotent-Replayed: true` answer must repeat
// the first answer given to that key.
import { createHash } from 'node:crypto';
import type { Contract } from '../../kit/contract.js';
import { createPactChecker, type PactChecker } from '../pact/check.js';
import type { PactRequest } from '../pact/pact-file.js';
import { CASAPAY_API, checkResponse, type ApiContract } from '../support/response-rules.js';
import { debituraApiContract, debituraContract, type DebituraApi } from '../support/debitura-contracts.js';

export type ProxyApi = 'casapay' | 'debitura';

/** What the proxy captured of one exchange. Bodies are null when they were not kept (over the cap, or not JSON). */
export interface CapturedExchange {
  /** 1-based order of arrival. */
  seq: number;
  /** Real time the request arrived, in ms. */
  startedMs: number;
  durationMs: number;
  method: string;
  /** Path and query as the client sent them to the proxy (the target's own base path not included). */
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: Buffer | null;
  requestBytes: number;
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: Buffer | null;
  responseBytes: number;
  /** A transport failure instead of an answer (the target unreachable, the client gone). */
  error?: string;
}

export type Severity = 'error' | 'warning';

export interface Finding {
  operationId: string | null;
  rule: string;
  severity: Severity;
  message: string;
  /** Where in the body or which parameter, when the rule names one. */
  path?: string;
}

export interface CheckedExchange {
  operationId: string | null;
  /** `METHOD /path/{template}`, or the raw method and path when no operation matched. */
  route: string;
  findings: Finding[];
}

/** The proxy's own rules (the others are the suite's: see conformance/RULES.md). */
export const PROXY_RULES = {
  requestBodyJson: 'request-body-json',
  idempotentReplay: 'idempotent-replay',
  bodyNotChecked: 'body-not-checked',
  upstreamError: 'upstream-error',
} as const;

/** Browser and transport headers that say nothing about the API: never "unknown". */
const TRANSPORT_HEADER = /^(sec-|x-forwarded-|x-mock-|x-real-ip$|forwarded$|via$|dnt$|priority$|expect$|keep-alive$)/;

interface Surface {
  name: string;
  contract: Contract;
  api: ApiContract;
  pact: PactChecker;
  /** The path as the contract names it (Debitura's `/referral/cases` → `/cases`). */
  contractPath(path: string): string | null;
}

function casapaySurface(): Surface {
  const contract = CASAPAY_API.contract();
  return {
    name: 'casapay',
    contract,
    api: CASAPAY_API,
    pact: createPactChecker(contract),
    contractPath: (path) => path,
  };
}

/** Debitura's two APIs behind one proxy: `/referral/…` and `/customer/…` as the mock serves them under `/debitura`. */
function debituraSurfaces(): Surface[] {
  return (['referral', 'customer'] as DebituraApi[]).map((name) => {
    const contract = debituraContract(name);
    return {
      name,
      contract,
      api: debituraApiContract(name),
      pact: createPactChecker(contract),
      contractPath: (path) => (path.startsWith(`/${name}/`) ? path.slice(name.length + 1) : null),
    };
  });
}

const headerOf = (headers: Record<string, string>, name: string): string | undefined => headers[name.toLowerCase()];

function parseJson(buffer: Buffer | null): { ok: true; value: unknown; text: string } | { ok: false; text: string } {
  const text = buffer ? buffer.toString('utf8') : '';
  if (!text) return { ok: true, value: undefined, text };
  try {
    return { ok: true, value: JSON.parse(text), text };
  } catch {
    return { ok: false, text };
  }
}

export interface ExchangeCheckerOptions {
  api: ProxyApi;
  /** Warnings of the additive policy fail (`--strict`). */
  strict: boolean;
  /** Idempotency-Keys whose first answer is remembered (the oldest forgotten first); default 10 000. */
  maxRememberedKeys?: number;
}

export interface ExchangeChecker {
  check(exchange: CapturedExchange): CheckedExchange;
  /** Every operation of the API, for the report's coverage matrix. */
  coverageContract: Pick<Contract, 'operations' | 'declaredStatus'>;
}

/**
 * @example createExchangeChecker({ api: 'casapay', strict: false }).check(captured).findings // [] for a clean exchange
 */
export function createExchangeChecker(options: ExchangeCheckerOptions): ExchangeChecker {
  const surfaces = options.api === 'debitura' ? debituraSurfaces() : [casapaySurface()];
  // Idempotency-Key (per credential) → the first answer given to it.
  const firstAnswers = new Map<string, { status: number; body: string; request: string }>();
  // Digests, not bodies: 10 000 keys cost a few MB whatever the bodies' size.
  const MAX_REMEMBERED_KEYS = options.maxRememberedKeys ?? 10_000;
  const digest = (text: string) => createHash('sha256').update(text).digest('base64');

  const locate = (method: string, path: string) => {
    for (const surface of surfaces) {
      const contractPath = surface.contractPath(path);
      if (contractPath === null) continue;
      const op = surface.contract.match(method, contractPath);
      if (op) return { surface, op, contractPath };
    }
    return undefined;
  };

  function check(exchange: CapturedExchange): CheckedExchange {
    const url = new URL(exchange.url, 'http://proxy.invalid');
    const found = locate(exchange.method, url.pathname);
    const findings: Finding[] = [];
    if (!found) {
      findings.push({
        operationId: null,
        rule: 'operation-declared',
        severity: 'error',
        message: `${exchange.method} ${url.pathname} is not an operation of the contract`,
      });
      return { operationId: null, route: `${exchange.method} ${url.pathname}`, findings };
    }
    const { surface, op, contractPath } = found;
    const operationId = op.operationId;
    const add = (rule: string, severity: Severity, message: string, path?: string) =>
      findings.push({ operationId, rule, severity, message, ...(path ? { path } : {}) });

    // The request, with pact check's request rules (its response rules judge a consumer's view, not an answer).
    const contentType = headerOf(exchange.requestHeaders, 'content-type');
    const isJsonRequest = !contentType || /json/i.test(contentType);
    let requestBody: unknown;
    if (exchange.requestBytes === 0) requestBody = undefined;
    else if (exchange.requestBody === null || !isJsonRequest) requestBody = '';
    else {
      const parsed = parseJson(exchange.requestBody);
      if (parsed.ok) requestBody = parsed.value;
      else {
        add(PROXY_RULES.requestBodyJson, 'error', `the request body is not JSON: ${parsed.text.slice(0, 120)}`);
        requestBody = '';
      }
    }
    if (exchange.requestBody === null && exchange.requestBytes > 0 && isJsonRequest)
      add(
        PROXY_RULES.bodyNotChecked,
        'warning',
        `the request body (${exchange.requestBytes} bytes) is over the proxy's --max-body-bytes and was passed on unchecked`,
      );
    const query: PactRequest['query'] = {};
    for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
    const headers = Object.fromEntries(
      Object.entries(exchange.requestHeaders).filter(([name]) => !TRANSPORT_HEADER.test(name)),
    );
    const report = surface.pact.check({
      consumer: 'proxy',
      provider: surface.name,
      specification: 'proxy',
      skipped: [],
      interactions: [
        {
          description: `${exchange.method} ${exchange.url}`,
          providerStates: [],
          request: {
            method: exchange.method,
            path: contractPath,
            query,
            headers,
            body: requestBody,
            contentType,
          },
          response: { status: exchange.status ?? 0, headers: {}, body: undefined, contentType: undefined },
        },
      ],
    });
    for (const f of report.findings) if (f.part === 'request') add(f.rule, f.severity, f.message, f.field ?? undefined);

    if (exchange.status === null) return { operationId, route: `${exchange.method} ${op.path}`, findings };

    // The response, with the client middleware's rules and the additive policy.
    const responseType = headerOf(exchange.responseHeaders, 'content-type') ?? null;
    const keptResponse = exchange.responseBody !== null || exchange.responseBytes === 0;
    if (!keptResponse) {
      const declaredJson = surface.contract.responseValidator(operationId, exchange.status) !== null;
      if (declaredJson && responseType !== null && /json/i.test(responseType))
        add(
          PROXY_RULES.bodyNotChecked,
          'warning',
          `the response body (${exchange.responseBytes} bytes) is over the proxy's --max-body-bytes and was passed on unchecked`,
        );
    }
    const parsed = parseJson(exchange.responseBody);
    const body = parsed.ok ? parsed.value : undefined;
    const violations = keptResponse
      ? checkResponse(
          operationId,
          exchange.status,
          responseType,
          headerOf(exchange.responseHeaders, 'request-id') ?? null,
          body,
          parsed.text,
          surface.api,
        )
      : // A body not kept is only held to what the headers show: declared status, Request-Id.
        checkResponse(
          operationId,
          exchange.status,
          responseType,
          headerOf(exchange.responseHeaders, 'request-id') ?? null,
          undefined,
          '',
          surface.api,
        ).filter((v) => v.rule === 'status-declared' || v.rule === 'request-id-header');
    for (const v of violations) add(v.rule, 'error', v.message);
    if (!violations.length && keptResponse && body !== undefined)
      for (const w of surface.api.warnings(operationId, exchange.status, body))
        add(
          w.rule,
          options.strict ? 'error' : 'warning',
          options.strict ? `${w.message} (--strict)` : w.message,
          w.path,
        );

    // Idempotency: the same key and body again must be answered as a replay of the first answer.
    const key = headerOf(exchange.requestHeaders, 'idempotency-key');
    if (key && exchange.method !== 'GET' && keptResponse && exchange.requestBody !== null) {
      const who =
        headerOf(exchange.requestHeaders, 'authorization') ?? headerOf(exchange.requestHeaders, 'xapikey') ?? '';
      const memo = `${who}\u0000${key}`;
      const first = firstAnswers.get(memo);
      const sentBody = digest(exchange.requestBody.toString('utf8'));
      const answerBody = digest(parsed.text);
      const replayed = /^true$/i.test(headerOf(exchange.responseHeaders, 'idempotent-replayed') ?? '');
      if (replayed && first && (first.status !== exchange.status || first.body !== answerBody))
        add(
          PROXY_RULES.idempotentReplay,
          'error',
          `Idempotent-Replayed: true, but the answer differs from the first one for this Idempotency-Key (${first.status} then ${exchange.status}${first.body !== answerBody ? ', other body' : ''})`,
        );
      else if (!replayed && first && first.request === sentBody && first.status < 300 && exchange.status < 300)
        add(
          PROXY_RULES.idempotentReplay,
          'error',
          `the same Idempotency-Key and body were sent again, and the answer is no replay (no Idempotent-Replayed: true${first.body !== answerBody ? ', another body' : ''})`,
        );
      if (!first && !replayed && exchange.status < 500) {
        if (firstAnswers.size >= MAX_REMEMBERED_KEYS) firstAnswers.delete(firstAnswers.keys().next().value!);
        firstAnswers.set(memo, { status: exchange.status, body: answerBody, request: sentBody });
      }
    }
    return { operationId, route: `${exchange.method.toUpperCase()} ${op.path}`, findings };
  }

  const coverageContract: ExchangeChecker['coverageContract'] =
    surfaces.length === 1
      ? surfaces[0]!.contract
      : {
          operations: surfaces.flatMap((s) =>
            s.contract.operations.map((op) => ({ ...op, path: `${s.name} ${op.path}` })),
          ),
          declaredStatus: (operationId, status) => {
            for (const s of surfaces)
              if (s.contract.operationsById.has(operationId)) return s.contract.declaredStatus(operationId, status);
            return undefined;
          },
        };
  return { check, coverageContract };
}
