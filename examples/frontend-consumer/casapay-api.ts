// A frontend's CasaPay calls, the way a web app would write them: plain fetch, one function per
// screen action, errors turned into a typed exception. It is the consumer whose Pact test
// (casapay-api.pact.test.ts) records what this app needs of the API — no more.

export interface CasaPayConfig {
  /** Where the API lives: https://api.casapay.com, the mock, or Pact's mock server in a test. */
  baseUrl: string;
  apiKey: string;
}

export interface DebtorInput {
  type: 'private' | 'business';
  name: string;
  country: string;
  address: { line1: string; city: string; postal_code: string; country: string };
}

export interface CaseInput {
  amount_to_recover: number;
  currency: string;
  due_date: string;
  debtor: DebtorInput;
}

/** Only the fields the screens show: a consumer relies on a subset of the API's objects. */
export interface Preview {
  is_eligible: boolean;
  pricing_preview: { total_success_fee_pct: number } | null;
}

export interface CaseSummary {
  id: string;
  reference: string;
  status: string;
  amount_to_recover: number;
  currency: string;
}

export class CasaPayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(config: CasaPayConfig, method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${config.apiKey}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const res = await fetch(`${config.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as any;
  if (!res.ok) throw new CasaPayError(res.status, json?.error?.code ?? 'unknown', json?.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

/** "Can we collect this?" before the user commits. A preview needs the debtor's country, not the address. */
export function previewCase(config: CasaPayConfig, input: CaseInput): Promise<Preview> {
  const { type, name, country } = input.debtor;
  return call(config, 'POST', '/v1/collection_case_previews', { ...input, debtor: { type, name, country } });
}

/** Submits the case; the idempotency key makes a double click safe. */
export function createCase(config: CasaPayConfig, input: CaseInput, idempotencyKey: string): Promise<CaseSummary> {
  return call(config, 'POST', '/v1/collection_cases', input, idempotencyKey);
}

/** The case page. */
export function getCase(config: CasaPayConfig, id: string): Promise<CaseSummary> {
  return call(config, 'GET', `/v1/collection_cases/${encodeURIComponent(id)}`);
}
