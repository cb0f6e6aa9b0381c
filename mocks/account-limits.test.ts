// What one account may hold: 16 webhook endpoints (CasaPay), 16 subscriptions (Debitura), 100 MB of
// case files. Beyond, a declared 400 in the API's own error shape, and nothing changes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeErrors, loadBundledContract } from '../kit/contract.js';
import { MAX_WEBHOOK_ENDPOINTS } from './engine/webhooks/registration.js';
import { MAX_ACCOUNT_FILE_BYTES } from './apis/casapay/handlers/case-files.js';
import { QUICKSTART_CASE, startMock, type TestMock } from './test-support.js';
import { casapayAccount } from './apis/casapay/state.js';

const referral = loadBundledContract('debitura-referral.json');
let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

it('CasaPay: the 17th webhook endpoint of an account is refused with 400 resource_limit_reached; deleting one makes room', async () => {
  expect(MAX_WEBHOOK_ENDPOINTS).toBe(16);
  const key = 'sk_test_endpoint_limit';
  const ids: string[] = [];
  for (let i = 0; i < 16; i++) {
    const created = await mock.call('POST', '/v1/webhook_endpoints', {
      key,
      body: { url: `http://127.0.0.1:9/hook?n=${i}`, enabled_events: ['*'] },
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  const refused = await mock.call('POST', '/v1/webhook_endpoints', {
    key,
    body: { url: 'http://127.0.0.1:9/hook?n=16', enabled_events: ['*'] },
  });
  expect(refused.status).toBe(400);
  expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_limit_reached' });
  expect(refused.body.error.message).toMatch(/at most 16 webhook endpoints/);
  expect((await mock.call('GET', '/v1/webhook_endpoints?limit=100', { key })).body.data).toHaveLength(16);
  // Another account has its own 16.
  expect(
    (
      await mock.call('POST', '/v1/webhook_endpoints', {
        key: 'sk_test_endpoint_limit_other',
        body: { url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] },
      })
    ).status,
  ).toBe(201);
  expect((await mock.call('DELETE', `/v1/webhook_endpoints/${ids[0]}`, { key })).status).toBe(200);
  expect(
    (
      await mock.call('POST', '/v1/webhook_endpoints', {
        key,
        body: { url: 'http://127.0.0.1:9/hook?n=17', enabled_events: ['*'] },
      })
    ).status,
  ).toBe(201);
});

it("Debitura: the 17th subscription of an account (partner's and clients' together) is refused with 400 in Debitura's shape", async () => {
  const XApiKey = 'partner_subscription_limit';
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${mock.url}/debitura/referral${path}`, {
      method,
      headers: { XApiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (response.status === 204 ? undefined : await response.json()) as any };
  };
  const ids: string[] = [];
  for (let i = 0; i < 16; i++) {
    const created = await call('POST', '/webhooks', {
      url: `https://receiver.example/hook?n=${i}`,
      events: ['case.created'],
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  const refused = await call('POST', '/webhooks', {
    url: 'https://receiver.example/hook?n=16',
    events: ['case.created'],
  });
  expect(refused.status).toBe(400);
  const errorShape = referral.schema('ErrorResponse');
  expect(errorShape(refused.body), describeErrors(errorShape.errors)).toBe(true);
  expect(refused.body).toMatchObject({ error: 'resource_limit_reached' });
  expect(refused.body.message).toMatch(/at most 16 webhook subscriptions/);
  expect((await call('GET', '/webhooks')).body).toHaveLength(16);
  expect((await call('DELETE', `/webhooks/${ids[0]}`)).status).toBe(204);
  expect(
    (await call('POST', '/webhooks', { url: 'https://receiver.example/hook?n=17', events: ['case.created'] })).status,
  ).toBe(201);
});

it('CasaPay: an upload that would take the account over 100 MB of case files is refused with 400 resource_limit_reached', async () => {
  expect(MAX_ACCOUNT_FILE_BYTES).toBe(100 * 1024 * 1024);
  const key = 'sk_test_file_limit';
  const caseId = (await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE })).body.id;
  const upload = (size: number) => {
    const data = new FormData();
    data.set('file', new Blob([Buffer.alloc(size, 1)]), 'invoice.pdf');
    data.set('document_type', 'original_invoice');
    return mock.call('POST', `/v1/collection_cases/${caseId}/files`, { key, body: data });
  };
  // 99 MB already kept (put there directly: uploading it would only make the test slow).
  casapayAccount(mock.sandbox.account(key)).fileContents.set(
    'file_already_kept',
    Buffer.allocUnsafe(MAX_ACCOUNT_FILE_BYTES - 1024 * 1024),
  );
  const refused = await upload(1024 * 1024 + 1);
  expect(refused.status).toBe(400);
  expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_limit_reached' });
  expect(refused.body.error.message).toMatch(/at most 100 MB of case files/);
  expect((await mock.call('GET', `/v1/collection_cases/${caseId}/files`, { key })).body.data).toEqual([]);
  // Up to the limit exactly is fine.
  expect((await upload(1024 * 1024)).status).toBe(201);
});
