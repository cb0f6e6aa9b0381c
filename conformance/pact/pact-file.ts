// conformance/pact/: the Pact side of the suite — `pact check` (every interaction of a pact file
// held to the OpenAPI contract, both directions) and `pact verify` (pact-js's Verifier replaying a
// pact against any implementation, the bundled mock by default). It owns reading pact files
// (specification v2, v3 and v4 as pact-js and pact-rust write them), the consumer view of the
// contract's response schemas, the report of broken rules and the `casapay-conformance pact …`
// subcommands. It may import kit/contract.ts (the contract and its ajv helpers), mocks/server.ts
// (only to start the bundled mock for verify, lazily), @pact-foundation/pact (only in verify.ts) and
// commander; nothing of conformance/checks or the vitest runner.
//
// This file: a pact file read into one plain shape per interaction, whatever its specification.
import { readFileSync } from 'node:fs';

export interface PactRequest {
  method: string;
  path: string;
  /** Query parameters as the pact names them (`created[gte]`), each with its values. */
  query: Record<string, string[]>;
  /** Header names as written in the pact, each with its value. */
  headers: Record<string, string>;
  /** The body, parsed when it is JSON; undefined when the interaction has none. */
  body: unknown;
  contentType: string | undefined;
}

export interface PactResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  contentType: string | undefined;
}

export interface PactInteraction {
  description: string;
  providerStates: Array<{ name: string; params?: Record<string, unknown> }>;
  request: PactRequest;
  response: PactResponse;
}

export interface PactFile {
  consumer: string;
  provider: string;
  specification: string;
  interactions: PactInteraction[];
  /** Interactions that are not synchronous HTTP (v4 messages): not checked, only counted. */
  skipped: string[];
}

export class PactFileError extends Error {
  override readonly name = 'PactFileError';
}

const headerValue = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(', ') : String(value));

function headersOf(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== 'object') return {};
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([name, value]) => [name, headerValue(value)]),
  );
}

const contentTypeOf = (headers: Record<string, string>): string | undefined =>
  Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];

/** v2 writes the query as one string (`a=1&b=2`), v3 and v4 as `{name: [values]}`. */
function queryOf(raw: unknown): Record<string, string[]> {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw === 'string') {
    const out: Record<string, string[]> = {};
    for (const [name, value] of new URLSearchParams(raw)) (out[name] ??= []).push(value);
    return out;
  }
  if (typeof raw !== 'object') throw new PactFileError('query must be a string or an object');
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([name, values]) => [
      name,
      (Array.isArray(values) ? values : [values]).map(String),
    ]),
  );
}

/** v4 wraps bodies as `{content, contentType, encoded}`; v2/v3 bodies are the JSON value itself. */
function bodyOf(
  raw: unknown,
  v4: boolean,
  contentType: string | undefined,
): { body: unknown; contentType: string | undefined } {
  if (raw === undefined) return { body: undefined, contentType };
  if (!v4) return { body: raw, contentType };
  const wrapped = raw as { content?: unknown; contentType?: string; encoded?: boolean | string };
  if (!wrapped || typeof wrapped !== 'object' || !('content' in wrapped)) return { body: raw, contentType };
  const type = wrapped.contentType ?? contentType;
  let content = wrapped.content;
  if (wrapped.encoded === 'base64' || wrapped.encoded === true)
    content = Buffer.from(String(content), 'base64').toString('utf8');
  if (typeof content === 'string' && type && /json/i.test(type)) {
    try {
      content = JSON.parse(content);
    } catch {
      // Left as text: the body check reports it as not JSON.
    }
  }
  return { body: content, contentType: type };
}

/**
 * Reads a pact file (v2, v3 or v4) into plain interactions; throws PactFileError when it is not one.
 * @example readPactFile('examples/frontend-consumer/pacts/frontend-app-casapay-api.json').interactions.length // 4
 */
export function readPactFile(file: string): PactFile {
  let raw: any;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PactFileError(`${file} is not a readable JSON file: ${(error as Error).message}`);
  }
  return parsePact(raw, file);
}

/** The same, for a pact already parsed. */
export function parsePact(raw: any, name = 'the pact'): PactFile {
  if (!raw || typeof raw !== 'object' || !Array.isArray(raw.interactions))
    throw new PactFileError(`${name} has no "interactions" array: not a pact file`);
  const specification = String(
    raw.metadata?.pactSpecification?.version ?? raw.metadata?.['pact-specification']?.version ?? '2.0.0',
  );
  const v4 = specification.startsWith('4');
  const interactions: PactInteraction[] = [];
  const skipped: string[] = [];
  raw.interactions.forEach((interaction: any, index: number) => {
    const description = String(interaction?.description ?? `interaction #${index + 1}`);
    if (interaction?.type && interaction.type !== 'Synchronous/HTTP') {
      skipped.push(`${description} (${interaction.type})`);
      return;
    }
    const req = interaction?.request;
    const res = interaction?.response;
    if (!req || typeof req.method !== 'string' || typeof req.path !== 'string')
      throw new PactFileError(`${name}: "${description}" has no request method and path`);
    if (!res || !Number.isInteger(res.status))
      throw new PactFileError(`${name}: "${description}" has no response status`);
    const requestHeaders = headersOf(req.headers);
    const responseHeaders = headersOf(res.headers);
    const requestBody = bodyOf(req.body, v4, contentTypeOf(requestHeaders));
    const responseBody = bodyOf(res.body, v4, contentTypeOf(responseHeaders));
    // v2 has one `providerState` string; v3/v4 a list of `{name, params}`.
    const states = Array.isArray(interaction.providerStates)
      ? interaction.providerStates.map((s: any) => ({ name: String(s.name), params: s.params }))
      : typeof interaction.providerState === 'string'
        ? [{ name: interaction.providerState }]
        : [];
    interactions.push({
      description,
      providerStates: states,
      request: {
        method: req.method.toUpperCase(),
        path: req.path,
        query: queryOf(req.query),
        headers: requestHeaders,
        body: requestBody.body,
        contentType: requestBody.contentType,
      },
      response: {
        status: res.status,
        headers: responseHeaders,
        body: responseBody.body,
        contentType: responseBody.contentType,
      },
    });
  });
  return {
    consumer: String(raw.consumer?.name ?? '(unnamed consumer)'),
    provider: String(raw.provider?.name ?? '(unnamed provider)'),
    specification,
    interactions,
    skipped,
  };
}
