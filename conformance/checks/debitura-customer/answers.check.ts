// Every declared refusal of Debitura's Customer API that a black-box client can provoke, provoked: 401
// without a bearer token, 400 for an id that is not a uuid and for a list parameter out of range, 404 for
// a uuid nobody issued, 413 for a JSON body over 1 MB, 415 for a text/plain body, 422 for a test event
// with nothing to fire; each an ErrorResponse (the contract middleware holds its shape), and nothing
// created. The answers no request can provoke are listed in conformance/coverage-limits.ts with why.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { capability } from '../../support/capability.js';
import {
  caseBody,
  createDebituraClient,
  customerClient,
  customerSession,
  expectRefusal,
  freshPartner,
  freshTenant,
  said,
  type CustomerClient,
  type Partner,
} from '../../support/debitura.js';

type Result = { error?: unknown; response: Response };
/** One call, by the method and path the contract declares, with what it needs (untyped: some calls are wrong on purpose). */
type Call = (api: CustomerClient) => Promise<Result>;

const RULE = 'debitura.customer-errors';
const NOT_A_UUID = 'not-a-uuid';
const OVER_ONE_MB = JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 16) });

const post =
  (path: string, options: Record<string, unknown> = {}): Call =>
  (api) =>
    (api.POST as unknown as (p: string, o: unknown) => Promise<Result>)(path, options);
const get =
  (path: string, options: Record<string, unknown> = {}): Call =>
  (api) =>
    (api.GET as unknown as (p: string, o: unknown) => Promise<Result>)(path, options);
const del =
  (path: string, options: Record<string, unknown> = {}): Call =>
  (api) =>
    (api.DELETE as unknown as (p: string, o: unknown) => Promise<Result>)(path, options);
const id = (value: string) => ({ params: { path: { id: value } } });
const pdf = () => {
  const form = new FormData();
  form.append('File', new Blob([new Uint8Array(Buffer.from('%PDF-1.4\n%%EOF\n'))]), 'invoice.pdf');
  return { body: form, bodySerializer: (b: unknown) => b };
};
/** A raw body with its own Content-Type (what a mistaken client sends). */
const raw = (body: string, contentType: string) => ({
  body,
  bodySerializer: (b: unknown) => b,
  headers: { 'Content-Type': contentType },
});

capability('debitura-customer', 'every declared refusal of the Customer API', () => {
  let partner: Partner;
  let session: CustomerClient;
  let caseCount: number;

  beforeAll(async () => {
    partner = await freshPartner();
    const tenant = freshTenant();
    await createDebituraClient(partner, tenant, { signed: true });
    session = await customerSession(partner, tenant);
    caseCount = await countCases();
  });

  const countCases = async (): Promise<number> => {
    const { data, response } = await session.GET('/cases', { params: { query: { PageSize: 100 } } });
    expect(response.status, said(RULE, 'GET /cases (the count before and after)')).toBe(200);
    return data!.page?.responseCount ?? data!.cases?.length ?? 0;
  };

  it('without a bearer token every Customer operation is 401 (nothing created)', async () => {
    const anonymous = customerClient(null);
    // Without a body: the credentials are refused before any body is read, and a body the target never
    // reads can be cut off by its closing the connection (the connection-close variant) before it is sent.
    const calls: Array<[string, Call]> = [
      ['POST /cases', post('/cases')],
      ['GET /cases', get('/cases')],
      ['POST /cases/preview', post('/cases/preview')],
      ['GET /cases/{id}', get('/cases/{id}', id(randomUUID()))],
      ['GET /cases/{id}/files', get('/cases/{id}/files', id(randomUUID()))],
      ['POST /cases/{id}/files', post('/cases/{id}/files', id(randomUUID()))],
      ['GET /Payments', get('/Payments')],
      ['GET /Payments/{id}', get('/Payments/{id}', id(randomUUID()))],
      ['GET /webhooks', get('/webhooks')],
      ['POST /webhooks', post('/webhooks')],
      ['GET /webhooks/{id}', get('/webhooks/{id}', id(randomUUID()))],
      ['DELETE /webhooks/{id}', del('/webhooks/{id}', id(randomUUID()))],
      ['POST /webhooks/{id}/test', post('/webhooks/{id}/test', id(randomUUID()))],
      ['POST /webhooks/{id}:test', post('/webhooks/{id}:test', id(randomUUID()))],
      ['POST /test/cases/{id}/advance', post('/test/cases/{id}/advance', id(randomUUID()))],
      ['POST /test/webhooks/fire', post('/test/webhooks/fire')],
    ];
    for (const [what, call] of calls) expectRefusal(await call(anonymous), 401, said(RULE, `${what} without a token`));
    expect(await countCases(), said(RULE, 'no case was created by the refused requests')).toBe(caseCount);
  });

  it('an id that is not a uuid is 400, a uuid nobody issued 404, a list parameter out of range 400', async () => {
    const malformed: Array<[string, Call]> = [
      ['GET /cases/{id}', get('/cases/{id}', id(NOT_A_UUID))],
      ['GET /cases/{id}/files', get('/cases/{id}/files', id(NOT_A_UUID))],
      ['POST /cases/{id}/files', post('/cases/{id}/files', { ...id(NOT_A_UUID), ...pdf() })],
      ['GET /Payments/{id}', get('/Payments/{id}', id(NOT_A_UUID))],
      ['GET /webhooks/{id}', get('/webhooks/{id}', id(NOT_A_UUID))],
      ['DELETE /webhooks/{id}', del('/webhooks/{id}', id(NOT_A_UUID))],
      ['POST /webhooks/{id}/test', post('/webhooks/{id}/test', { ...id(NOT_A_UUID), body: {} })],
      ['POST /webhooks/{id}:test', post('/webhooks/{id}:test', { ...id(NOT_A_UUID), body: {} })],
      [
        'POST /test/cases/{id}/advance',
        post('/test/cases/{id}/advance', { ...id(NOT_A_UUID), body: { to: 'Active' } }),
      ],
    ];
    for (const [what, call] of malformed)
      expectRefusal(await call(session), 400, said(RULE, `${what} with the id '${NOT_A_UUID}'`));
    const unknown: Array<[string, Call]> = [
      ['POST /cases/{id}/files', post('/cases/{id}/files', { ...id(randomUUID()), ...pdf() })],
      ['DELETE /webhooks/{id}', del('/webhooks/{id}', id(randomUUID()))],
      ['POST /webhooks/{id}/test', post('/webhooks/{id}/test', { ...id(randomUUID()), body: {} })],
      ['POST /webhooks/{id}:test', post('/webhooks/{id}:test', { ...id(randomUUID()), body: {} })],
      [
        'POST /test/cases/{id}/advance',
        post('/test/cases/{id}/advance', { ...id(randomUUID()), body: { to: 'Active' } }),
      ],
      [
        'POST /test/webhooks/fire',
        post('/test/webhooks/fire', { body: { event: 'case.created', caseId: randomUUID() } }),
      ],
    ];
    for (const [what, call] of unknown) expectRefusal(await call(session), 404, said(RULE, `${what} of an unknown id`));
    const lists: Array<[string, Call]> = [
      ['GET /cases?PageSize=0', get('/cases', { params: { query: { PageSize: 0 } } })],
      ['GET /Payments?PageSize=0', get('/Payments', { params: { query: { PageSize: 0 } } })],
    ];
    for (const [what, call] of lists) expectRefusal(await call(session), 400, said(RULE, what));
  });

  it('a body the contract does not take is refused: missing fields 400, over 1 MB 413, text/plain 415, a test event with nothing to fire 422; nothing created', async () => {
    const invalid: Array<[string, Call]> = [
      ['POST /cases/preview without amounts', post('/cases/preview', { body: {} })],
      ['POST /webhooks without url and events', post('/webhooks', { body: {} })],
      ['POST /test/webhooks/fire without an event', post('/test/webhooks/fire', { body: {} })],
    ];
    for (const [what, call] of invalid) expectRefusal(await call(session), 400, said(RULE, what));
    const jsonPosts: Array<[string, string, Record<string, unknown>]> = [
      ['POST /cases', '/cases', {}],
      ['POST /cases/preview', '/cases/preview', {}],
      ['POST /webhooks', '/webhooks', {}],
      ['POST /webhooks/{id}/test', '/webhooks/{id}/test', id(randomUUID())],
      ['POST /webhooks/{id}:test', '/webhooks/{id}:test', id(randomUUID())],
      ['POST /test/cases/{id}/advance', '/test/cases/{id}/advance', id(randomUUID())],
      ['POST /test/webhooks/fire', '/test/webhooks/fire', {}],
    ];
    for (const [what, path, params] of jsonPosts) {
      expectRefusal(
        await post(path, { ...params, ...raw(OVER_ONE_MB, 'application/json') })(session),
        413,
        said(RULE, `${what} with a JSON body over 1 MB`),
      );
      expectRefusal(
        await post(path, { ...params, ...raw('hello', 'text/plain') })(session),
        415,
        said(RULE, `${what} with a text/plain body`),
      );
    }
    expect(await countCases(), said(RULE, 'no case was created by the refused requests')).toBe(caseCount);
    // A payment event of a test case without payments: nothing to fire it from.
    const testCase = await session.POST('/cases', { body: caseBody({ isTest: true }) });
    expect(testCase.response.status, said(RULE, 'POST /cases with isTest: true (the case to fire about)')).toBe(200);
    expectRefusal(
      await post('/test/webhooks/fire', { body: { event: 'payment.created', caseId: testCase.data!.id } })(session),
      422,
      said(RULE, 'POST /test/webhooks/fire payment.created for a test case with no payment'),
    );
  });
});
