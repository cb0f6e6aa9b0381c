// Declarations against the wire: what the mock answered (operation, status, media type), recorded on its
// HTTP server or handed over by a test that sent the request itself, compared with what the three
// contracts declare — both ways. An answer no operation declares is a contract bug; a declared answer no
// run produced must say why in the contract (`x-answered-when` on the response, see WIRE_REASON).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Contract, OperationSpec } from '../../kit/contract.js';
import { originForm } from '../../mocks/engine/http-app.js';
import { casapay, debituraCustomer, debituraReferral } from './load-spec.js';

/**
 * The extension that says when a declared response is answered, for one the ordinary runs (the
 * conformance suite, the bad-input fuzz) never produce: fault injection, the store being away, a
 * `--validate-responses` mismatch. On a media type object it covers that type alone (one kept for
 * compatibility that the mock never serves). A declared answer without it must be produced by a run.
 */
export const WIRE_REASON = 'x-answered-when';

export interface WireApi {
  name: 'casapay' | 'referral' | 'customer';
  /** The path prefix the mock serves the contract under. */
  prefix: string;
  contract: Contract;
}

export const WIRE_APIS: readonly WireApi[] = [
  { name: 'customer', prefix: '/debitura/customer', contract: debituraCustomer },
  { name: 'referral', prefix: '/debitura/referral', contract: debituraReferral },
  { name: 'casapay', prefix: '', contract: casapay },
];

/** One answer of the mock. */
export interface WireAnswer {
  method: string;
  /** The request target (path and query), as sent. */
  url: string;
  status: number;
  /** The Content-Type header, '' when none. */
  contentType: string;
}

/** `application/json; charset=utf-8` → `application/json`. */
export const mediaTypeOf = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

/** The API and operation a request belongs to; no operation for a path or method the contract does not have. */
export function operationOf(method: string, url: string): { api: WireApi; op?: OperationSpec } | undefined {
  const path = url.split('?')[0]!;
  const api = WIRE_APIS.find((a) => a.prefix === '' || path === a.prefix || path.startsWith(`${a.prefix}/`));
  if (!api || (api.name === 'casapay' && !path.startsWith('/v1/'))) return undefined;
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method;
  return { api, op: api.contract.match(verb, path.slice(api.prefix.length) || '/') };
}

const deref = (contract: Contract, node: any): any => {
  let current = node;
  while (current && typeof current.$ref === 'string') current = contract.resolve(current.$ref);
  return current;
};

/** The response object an operation declares under a status key (`200`, `503`), resolved. */
export function declaredResponse(contract: Contract, op: OperationSpec, key: string): any {
  return deref(contract, contract.document.paths[op.path][op.method].responses[key]);
}

/** The media types a declared response lists (none for a body-less answer such as 204). */
export const declaredMediaTypes = (response: any): string[] =>
  Object.keys(response?.content ?? {}).map((t) => t.toLowerCase());

/** `(api) METHOD /path status media` — the key one answer is counted under. */
export const wireKey = (api: WireApi, op: OperationSpec, status: string | number, media: string) =>
  `(${api.name}) ${op.method.toUpperCase()} ${op.path} ${status} ${media || '(no body)'}`;

/** Why an answer is not declared by its operation, or undefined when it is (requests no operation owns are not judged here). */
export function undeclared(answer: WireAnswer): string | undefined {
  const owner = operationOf(answer.method, answer.url);
  if (!owner?.op || answer.method.toUpperCase() === 'OPTIONS') return undefined;
  const { api, op } = owner;
  const media = mediaTypeOf(answer.contentType);
  const key = api.contract.declaredStatus(op.operationId, answer.status);
  if (key === undefined) return `${wireKey(api, op, answer.status, media)}: status not declared`;
  const types = declaredMediaTypes(declaredResponse(api.contract, op, key));
  // A body-less answer (204, HEAD) has no type to match; one with a body must be of a declared type.
  if (media === '' || answer.method.toUpperCase() === 'HEAD') return undefined;
  if (!types.some((t) => t === media || t === '*/*' || (t.endsWith('/*') && media.startsWith(t.slice(0, -1)))))
    return `${wireKey(api, op, answer.status, media)}: declared ${types.join(', ') || 'no body'}`;
  return undefined;
}

/** Every (operation, status, media type) the contracts declare, with the reason when one is written. */
export function declaredWire(): {
  key: string;
  api: WireApi;
  op: OperationSpec;
  status: string;
  media: string;
  reason?: string;
}[] {
  const all = [];
  for (const api of WIRE_APIS)
    for (const op of api.contract.operations)
      for (const status of Object.keys(op.responses)) {
        const response = declaredResponse(api.contract, op, status);
        const reasonOf = (node: any) =>
          typeof node?.[WIRE_REASON] === 'string' ? (node[WIRE_REASON] as string) : undefined;
        const types = declaredMediaTypes(response);
        // The reason of a media type (one the mock never serves) or of the whole response.
        for (const media of types.length ? types : ['']) {
          const reason = reasonOf(response?.content?.[media]) ?? reasonOf(response);
          all.push({ key: wireKey(api, op, status, media), api, op, status, media, reason });
        }
      }
  return all;
}

/** The keys of the answers produced (declared status key, media type), to compare with declaredWire(). */
export function producedKeys(answers: readonly WireAnswer[]): Set<string> {
  const keys = new Set<string>();
  for (const answer of answers) {
    const owner = operationOf(answer.method, answer.url);
    if (!owner?.op || answer.method.toUpperCase() === 'OPTIONS' || answer.method.toUpperCase() === 'HEAD') continue;
    const status = owner.api.contract.declaredStatus(owner.op.operationId, answer.status) ?? String(answer.status);
    keys.add(wireKey(owner.api, owner.op, status, mediaTypeOf(answer.contentType)));
  }
  return keys;
}

/**
 * Records every answer the server writes to a socket (requests sent with `app.inject` bypass it: the
 * test that sends them hands their answers over itself).
 * @example const answers = recordAnswers(mock.app.server); // … run traffic … answers.length
 */
export function recordAnswers(server: Server): WireAnswer[] {
  const answers: WireAnswer[] = [];
  // Ahead of Fastify's own listener: an answer written synchronously there (a hook's refusal) is seen too.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    // Fastify passes its headers to writeHead, where getHeader() does not see them: read them there.
    let contentType = '';
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    response.writeHead = ((...args: unknown[]) => {
      const headers = args.find((a, i) => i > 0 && a !== null && typeof a === 'object');
      const given = Object.entries((headers ?? {}) as Record<string, unknown>).find(
        ([name]) => name.toLowerCase() === 'content-type',
      );
      contentType = String(given?.[1] ?? response.getHeader('content-type') ?? '');
      return writeHead(...args);
    }) as ServerResponse['writeHead'];
    response.once('finish', () =>
      answers.push({
        method: request.method ?? 'GET',
        url: originForm(request.url ?? '/'),
        status: response.statusCode,
        contentType,
      }),
    );
  });
  return answers;
}
