// The traffic the proxy's tests (and the README's sample report) send: every CasaPay request of the
// docs' quickstarts (spec/docs-examples/, the requests mocks/apis/casapay/docs-requests.test.ts sends
// to the mock), then the README's everyday flow on a fresh key — create, read back by id and by
// reference, list, an idempotent retry, an unknown id, a request without a key — so the
// error answers and the named headers cross the proxy too. Test support: not part of the CLI.
import { readDocsExamples } from '../../spec/support/docs-examples.js';
import type { ProxyRunOptions } from './run.js';

const DOCS_HOST = 'https://api.casapay.com';

export interface FlowResult {
  request: string;
  status: number;
}

/** The docs' quickstart curls, as `{method, path, headers, body}` for any base URL. */
export function quickstartRequests() {
  return readDocsExamples().flatMap((e) =>
    e.kind === 'curl' && e.request.url.startsWith(`${DOCS_HOST}/`)
      ? [{ key: e.key, ...e.request, path: e.request.url.slice(DOCS_HOST.length) }]
      : [],
  );
}

/**
 * Sends the docs' quickstarts verbatim (their own key) through `baseUrl`.
 * @example await sendQuickstarts('http://127.0.0.1:4020') // [{ request: 'POST /v1/collection_case_previews', status: 200 }, …]
 */
export async function sendQuickstarts(baseUrl: string): Promise<FlowResult[]> {
  const results: FlowResult[] = [];
  for (const curl of quickstartRequests()) {
    let body: BodyInit | undefined = typeof curl.body === 'string' ? curl.body : undefined;
    const headers = { ...curl.headers };
    if (curl.form) {
      const form = new FormData();
      for (const [name, value] of curl.form)
        if (value.startsWith('@'))
          form.set(name, new Blob([Buffer.from('%PDF-1.7 docs invoice')], { type: 'application/pdf' }), value.slice(1));
        else form.set(name, value);
      body = form;
      delete headers['content-type'];
    }
    const res = await fetch(`${baseUrl}${curl.path}`, { method: curl.method, headers, body });
    await res.arrayBuffer();
    results.push({ request: `${curl.method} ${curl.path}`, status: res.status });
  }
  return results;
}

const CASE = {
  amount_to_recover: 125000,
  currency: 'eur',
  due_date: '2025-03-01',
  creditor_reference: 'INV-PROXY-1',
  debtor: { type: 'private', name: 'Erika Mustermann', address: { city: 'Köln', country: 'DE' } },
};

/**
 * The README's everyday flow on `key`: the happy path and the answers a client must handle.
 * @example await sendEverydayFlow('http://127.0.0.1:4020', 'sk_test_proxy_flow') // [… { request: 'GET /v1/collection_cases/dc_nope', status: 404 } …]
 */
export async function sendEverydayFlow(
  baseUrl: string,
  key: string,
  idempotencyKey = `${key}-create`,
): Promise<FlowResult[]> {
  const results: FlowResult[] = [];
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
    auth = true,
  ) => {
    const headers: Record<string, string> = { ...extra };
    if (auth) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    results.push({ request: `${method} ${path}`, status: res.status });
    return (text ? JSON.parse(text) : undefined) as Record<string, any>;
  };
  const created = await call('POST', '/v1/collection_cases', CASE, { 'Idempotency-Key': idempotencyKey });
  await call('POST', '/v1/collection_cases', CASE, { 'Idempotency-Key': idempotencyKey });
  await call('GET', `/v1/collection_cases/${created.id}`);
  await call('GET', `/v1/collection_cases/ref/${created.reference}`);
  await call('GET', '/v1/collection_cases?limit=3');
  await call('GET', `/v1/collection_cases/${created.id}/timeline`);
  await call('POST', '/v1/guarantee_policies', {
    name: 'Proxy policy',
    coverage_percentage: 100,
    max_coverage_months: 12,
    waiting_period_days: 30,
    eligible_score_minimum: 60,
  });
  // Its answer carries the endpoint's whsec_ secret: the reports and a recording must not.
  await call('POST', '/v1/webhook_endpoints', {
    url: 'http://127.0.0.1:9/casapay-webhooks',
    enabled_events: ['claim.paid'],
  });
  await call('GET', '/v1/collection_cases/dc_doesnotexist');
  await call('GET', '/v1/collection_cases', undefined, {}, false);
  return results;
}

/** A proxy session's options for tests: any free port, no reports, quiet. */
export const proxyOptions = (targetUrl: string, extra: Partial<ProxyRunOptions> = {}): ProxyRunOptions => ({
  targetUrl,
  port: 0,
  api: 'casapay',
  strict: false,
  failOn: 'error',
  reportDir: null,
  maxBodyBytes: 1024 * 1024,
  maxConcurrent: 16,
  maxRecordedSteps: 1000,
  timeoutMs: 10_000,
  write: () => undefined,
  ...extra,
});
