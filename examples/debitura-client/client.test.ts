// A client generated from Debitura's published Customer API contract (generated/, by
// @hey-api/openapi-ts, never edited) works against the mock unchanged: its default content type for
// JSON bodies (application/json-patch+json), date-times and nulls in the body, arrays in the query
// (Statuses=A&Statuses=B), multipart with a File, the colon route /webhooks/{id}:test, and an
// axios-style Accept header.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type TestMock } from '../../mocks/test-support.js';
import { verifyDebituraSignature } from '../../kit/debitura-webhook-signature.js';
import { createClient } from './generated/client/index.js';
import {
  getCases,
  getCasesById,
  getPayments,
  postCases,
  postCasesByIdFiles,
  postCasesPreview,
  postWebhooks,
  postWebhooksByIdTest2,
  postTestCasesByIdAdvance,
} from './generated/sdk.gen.js';

let mock: TestMock;
let receiver: http.Server;
let receiverUrl: string;
const received: Array<{ raw: string; signature: string }> = [];
let client: ReturnType<typeof createClient>;
let token: string;

beforeAll(async () => {
  mock = await startMock();
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        raw: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['x-debitura-signature']),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/debitura-hooks`;

  // A referral partner onboards a client that has signed everything (`+signed@`) and mints its token.
  const referral = (path: string, body: unknown) =>
    fetch(`${mock.url}/debitura/referral${path}`, {
      method: 'POST',
      headers: { XApiKey: 'generated_client_partner', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const onboarded = await referral('/clients', {
    externalTenantId: 'generated-client',
    client: { name: 'Generated Client GmbH', country: 'DE', supportEmail: 'support@generated.example' },
    users: [{ email: 'ops+signed@generated.example', name: 'Ops' }],
  });
  expect(onboarded.status).toBe(201);
  token = (
    (await (await referral('/oauth/token', { externalTenantId: 'generated-client' })).json()) as { accessToken: string }
  ).accessToken;

  // #region readme:debitura-generated-client
  client = createClient({
    baseUrl: `${mock.url}/debitura/customer`,
    // Bearer for the security scheme that takes it (the contract also lists XApiKey).
    auth: (scheme) => (scheme.scheme === 'bearer' ? token : undefined),
    headers: { Accept: 'application/json, text/plain, */*' },
  });
  // #endregion
});
afterAll(async () => {
  await mock.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe('client generated from the published contract, unchanged', () => {
  let caseId: string;

  it('createCase: application/json-patch+json, date-times and nulls → 200', async () => {
    const { data, error, response, request } = await postCases({
      client,
      body: {
        currencyCode: 'EUR',
        date: new Date('2025-06-01T00:00:00Z').toISOString(),
        dueDate: new Date('2025-07-01T00:00:00Z').toISOString(),
        comments: null,
        claimDescription: 'Invoice INV-2025-201',
        creditorReference: 'INV-2025-201',
        debtor: {
          type: 'Company',
          name: 'Debtor GmbH',
          address: 'Hauptstrasse 10',
          city: 'Munich',
          zipCode: '80331',
          countryAlpha2: 'DE',
          email: 'billing@debtor.de',
        },
        creditorDivisionId: null,
        amountToRecover: 5000,
        amountToRecoverOver6Months: null,
        amountToRecoverOver12Months: null,
        amountToRecoverOver24Months: null,
        isTest: true,
        tag: null,
        collectionPartnerId: null,
        assignedUserEmail: null,
        returnUrl: null,
      },
    });
    expect(request.headers.get('content-type')).toBe('application/json-patch+json');
    expect(request.headers.get('accept')).toBe('application/json, text/plain, */*');
    expect(error, JSON.stringify(error)).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      lifecycle: 'PendingVerification',
      date: '2025-06-01T00:00:00Z',
      dueDate: '2025-07-01T00:00:00Z',
      grossAmount: 5000,
      isTestCase: true,
      creditorReference: 'INV-2025-201',
    });
    caseId = data!.id!;
  });

  it('getCase', async () => {
    const { data, response } = await getCasesById({ client, path: { id: caseId } });
    expect(response.status).toBe(200);
    expect(data?.id).toBe(caseId);
  });

  it('listCases with Statuses (an array) and Page/PageSize', async () => {
    const { data, request } = await getCases({
      client,
      query: { Statuses: ['PendingVerification', 'Active'], Page: 1, PageSize: 10 },
    });
    expect(new URL(request.url).search).toBe('?Statuses=PendingVerification&Statuses=Active&Page=1&PageSize=10');
    expect(data?.page).toMatchObject({ currentPage: 1, pageSize: 10, totalResults: 1 });
    expect(data?.cases?.map((c) => c.id)).toEqual([caseId]);
    const none = await getCases({ client, query: { Statuses: ['Closed'] } });
    expect(none.data?.cases).toEqual([]);
  });

  it('preview', async () => {
    const { data, error, response } = await postCasesPreview({
      client,
      body: {
        amountToRecover: 5000,
        currencyCode: 'EUR',
        debtor: { type: 'Company', countryAlpha2: 'DE' },
        dueDate: new Date('2025-07-01T00:00:00Z').toISOString(),
        returnUrl: null,
      },
    });
    expect(response.status, JSON.stringify(error)).toBe(200);
    expect(data?.result).toMatchObject({
      isEligible: true,
      partnerAssignment: { partnerCountry: 'DE' },
      requiresKycVerification: false,
      signingHandoff: null,
    });
  });

  it('file upload with a File', async () => {
    const file = new File([Buffer.from('%PDF-1.7 invoice')], 'invoice.pdf', { type: 'application/pdf' });
    const { data, response, request } = await postCasesByIdFiles({
      client,
      path: { id: caseId },
      body: { File: file, Description: 'The invoice', DocumentType: 'OriginalInvoice' },
    });
    expect(request.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      fileName: 'invoice.pdf',
      caseId,
      description: 'The invoice',
      documentType: 'OriginalInvoice',
    });
  });

  it('GET /Payments', async () => {
    await postTestCasesByIdAdvance({ client, path: { id: caseId }, body: { to: 'Closed:Paid', amount: 5000 } });
    const { data, response } = await getPayments({ client, query: { Page: 1, PageSize: 5 } });
    expect(response.status).toBe(200);
    expect(data?.payments).toMatchObject([{ grossAmount: 5000, invoice: { invoiceId: caseId } }]);
  });

  it('webhook subscription, then POST /webhooks/{id}:test: a signed delivery', async () => {
    const created = await postWebhooks({
      client,
      body: { url: receiverUrl, events: ['case.updated', 'payment.created'], isTestMode: true },
    });
    expect(created.response.status).toBe(201);
    const { id, secret } = created.data!;
    const tested = await postWebhooksByIdTest2({ client, path: { id: id! } });
    expect(new URL(tested.request.url).pathname).toBe(`/debitura/customer/webhooks/${id}:test`);
    expect(tested.data).toMatchObject({ success: true, httpStatusCode: 200 });
    const delivery = received.at(-1)!;
    expect(verifyDebituraSignature(delivery.raw, delivery.signature, secret!)).toBe(true);
    expect(JSON.parse(delivery.raw)).toMatchObject({ event: 'case.updated', data: { caseId } });
  });
});
