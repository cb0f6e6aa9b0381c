// Debitura's Case Submission page, verbatim: every raw `http:` request of
// spec/docs-examples/debitura-case-submission.yaml sent to the mock in the page's order with ONLY the
// host changed (referral-api.debitura.com → /debitura/referral, customer-api.debitura.com →
// /debitura/customer). Bodies go as the page prints them (`5000.00`, the literal token
// `eyJhbGciOiJIUzI1NiIs...`); the multipart example gets its `{caseId}` from the case the flow created
// and its `<binary>` as a small pdf. Each answer is checked against the docs and the contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeErrors, loadBundledContract, type Contract } from '../../../kit/contract.js';
import { readDocsExamples, type HttpRequest } from '../../../spec/support/docs-examples.js';
import { startMock, type TestMock } from '../../test-support.js';

const PAGE = 'debitura-case-submission.yaml';
const examples = readDocsExamples().filter((e) => e.file === PAGE);
const requests = examples.flatMap((e) => (e.kind === 'http' ? [{ name: e.name, ...e.request }] : []));
const tokenResponse = examples.find((e) => e.name === 'mint token response' && e.kind === 'response') as
  { value: unknown } | undefined;

const HOSTS: Record<string, { prefix: string; contract: Contract }> = {
  'https://referral-api.debitura.com': {
    prefix: '/debitura/referral',
    contract: loadBundledContract('debitura-referral.json'),
  },
  'https://customer-api.debitura.com': {
    prefix: '/debitura/customer',
    contract: loadBundledContract('debitura-customer.json'),
  },
};

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

/** What the flow has created so far, for the page's placeholders (`{caseId}`). */
const created: Record<string, string> = {};

/** Sends one of the page's requests with only its host changed; the answer is checked against the contract. */
async function send(request: HttpRequest) {
  const origin = Object.keys(HOSTS).find((h) => request.url.startsWith(`${h}/`));
  expect(origin, `${request.url} is on neither of Debitura's hosts`).toBeDefined();
  const { prefix, contract } = HOSTS[origin!]!;
  const target = request.url
    .slice(origin!.length)
    .replace(/\{(\w+)\}/g, (_m, name: string) => created[name] ?? `{${name}}`);
  // The Host header is the host: the request goes to the mock's.
  const { host: _host, ...headers } = request.headers;
  let body: string | FormData | undefined = request.body;
  if (/^multipart\/form-data/i.test(headers['content-type'] ?? '')) {
    // `file: <binary>` lines are the form's parts; fetch writes the multipart body and its boundary.
    const form = new FormData();
    for (const line of (request.body ?? '').split('\n').filter((l) => l.trim())) {
      const [name, ...rest] = line.split(':');
      const value = rest.join(':').trim();
      if (value === '<binary>')
        form.set(
          name!.trim(),
          new Blob([Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n')], { type: 'application/pdf' }),
          'invoice.pdf',
        );
      else form.set(name!.trim(), value);
    }
    delete headers['content-type'];
    body = form;
  }
  const response = await fetch(`${mock.url}${prefix}${target}`, {
    method: request.method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const parsed = (await response.json()) as any;
  const operation = contract.match(request.method, target.split('?')[0]!);
  expect(operation, `${request.method} ${target} is not an operation of the contract`).toBeDefined();
  const validate = contract.closed().responseValidator(operation!.operationId, response.status);
  expect(
    validate,
    `${operation!.operationId} does not declare ${response.status}: ${JSON.stringify(parsed)}`,
  ).toBeDefined();
  expect(validate!(parsed), `${operation!.operationId} ${response.status}: ${describeErrors(validate!.errors)}`).toBe(
    true,
  );
  return { status: response.status, body: parsed };
}

describe('Debitura docs page, verbatim', () => {
  it('has the three requests of the flow', () => {
    expect(requests.map((r) => r.name)).toEqual(['mint a token', 'submit a case', 'upload a file to a case']);
    expect(requests[1]!.body).toContain('"amountToRecover": 5000.00');
    expect(requests[1]!.headers.authorization).toBe('Bearer eyJhbGciOiJIUzI1NiIs...');
  });

  it("mint a token: 200 with the docs' answer", async () => {
    const { status, body } = await send(requests[0]!);
    expect(status).toBe(200);
    expect(body).toEqual(tokenResponse!.value);
  });

  it("submit a case with the docs' token: 200, the case", async () => {
    const { status, body } = await send(requests[1]!);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      grossAmount: 5000,
      currency: 'EUR',
      date: '2025-06-01T00:00:00Z',
      dueDate: '2025-07-01T00:00:00Z',
      debtor: { name: 'Debtor GmbH', countryAlpha2: 'DE' },
      claimDescription: 'Invoice INV-2025-001 for consulting services',
    });
    expect(['PendingVerification', 'PendingContractSigning']).toContain(body.lifecycle);
    created.caseId = body.id;
  });

  it('upload a file to the case: 200 {id, fileName, dateCreated}', async () => {
    expect(created.caseId).toBeDefined();
    const { status, body } = await send(requests[2]!);
    expect(status).toBe(200);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      fileName: 'invoice.pdf',
      dateCreated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    // sendChatNotification=true: the upload is announced on the case thread.
    const chats = await fetch(`${mock.url}/debitura/referral/cases/${created.caseId}/chats`, {
      headers: { xapikey: 'YOUR_API_KEY' },
    });
    expect(await chats.json()).toMatchObject([
      { isSystemMessage: true, message: "System message: New file uploaded under 'Files': invoice.pdf" },
    ]);
  });

  it("the docs' token expires after 30 minutes on the mock's clock (401), and minting again renews it", async () => {
    const shift = (seconds: number) =>
      fetch(`${mock.url}/__admin/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ shift_seconds: seconds }),
      });
    const getCase = () =>
      fetch(`${mock.url}/debitura/customer/cases/${created.caseId}`, {
        headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiIs...' },
      });
    await shift(1801);
    const expired = await getCase();
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'token_expired' });
    expect((await send(requests[0]!)).body).toEqual(tokenResponse!.value);
    expect((await getCase()).status).toBe(200);
  });
});
