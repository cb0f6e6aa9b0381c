// A frontend's CasaPay calls, the way a web app would write them: plain fetch, one function per
// screen action, errors turned into a typed exception. It is the consumer whose Pact test
// (casapay-api.pact.test.ts) records what this app needs of the API — no more.

import type { components } from 'casapay-contract-kit/client';

export interface CasaPayConfig {
  /** Where the API lives: https://api.casapay.com, the mock, or Pact's mock server in a test. */
  baseUrl: string;
  apiKey: string;
}

// The shapes come from the contract's generated types, as a TypeScript frontend would take them.
type Schemas = components['schemas'];
/** What the app sends to submit a case. */
export type CaseInput = Schemas['CollectionCaseCreateParams'];
/** What the app reads of a preview and of a case (it relies on a few fields only; see the pact). */
export type Preview = Schemas['CasePreview'];
export type CaseSummary = Schemas['CollectionCase'];

export class CasaPayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(
  config: CasaPayConfig,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${config.apiKey}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const res = await fetch(`${config.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (!res.ok)
    throw new CasaPayError(res.status, json?.error?.code ?? 'unknown', json?.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

/** "Can we collect this?" before the user commits. A preview needs the debtor's country, not the address. */
export function previewCase(config: CasaPayConfig, input: CaseInput): Promise<Preview> {
  const { type, name } = input.debtor;
  const country = input.debtor.country ?? input.debtor.address?.country;
  const preview: Schemas['CasePreviewParams'] = { ...input, debtor: { type, name, country: country! } };
  return call(config, 'POST', '/v1/collection_case_previews', preview);
}

/** Submits the case; the idempotency key makes a double click safe. */
export function createCase(config: CasaPayConfig, input: CaseInput, idempotencyKey: string): Promise<CaseSummary> {
  return call(config, 'POST', '/v1/collection_cases', input, idempotencyKey);
}

/** The case page. */
export function getCase(config: CasaPayConfig, id: string): Promise<CaseSummary> {
  return call(config, 'GET', `/v1/collection_cases/${encodeURIComponent(id)}`);
}
