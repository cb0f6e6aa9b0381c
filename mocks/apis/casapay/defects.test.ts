// CasaPay's defects as edges chosen at start: none when no defect is on (the request path pays
// nothing), exactly the edges of each defect otherwise, and each edge bends what its defect says.
// conformance/defects.test.ts proves the suite still catches every one end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  casapayEdges,
  DEFECTS,
  NO_DEFECTS,
  parseDefects,
  type CasaPayEdges,
  type DefectName,
  type KeyOf,
} from './defects.js';
import { errors } from './errors.js';
import { SIGNATURE_HEADER } from './event-log.js';
import { isValidSignature, signatureHeader } from '../../../kit/webhook-signature.js';
import { standardSignatureHeaders } from '../../../kit/standard-webhook-signature.js';
import { realNowSeconds } from '../../../kit/real-time.js';
import { ok, type Handler, type HandlerContext } from './handlers/context.js';
import { MAX_FILE_BYTES } from './handlers/case-files.js';
import { QUICKSTART_CASE, startMock, TEST_NOW, type TestMock } from '../../test-support.js';

const edgesOf = (...names: string[]) => casapayEdges(parseDefects(names));
const definedEdges = (edges: CasaPayEdges) =>
  Object.keys(edges)
    .filter((name) => edges[name as keyof CasaPayEdges] !== undefined)
    .sort();

/** Each defect and the only edges it may set (a new defect without a row here does not compile). */
const EDGES: Record<DefectName, Array<keyof CasaPayEdges>> = {
  'missing-required-field': ['responses'],
  'wrong-type': ['responses'],
  'wrong-status-code': ['responses'],
  'has-more-wrong': ['handlers'],
  'filter-ignored': ['handlers'],
  'cursor-ignored': ['handlers'],
  'idempotency-ignored': ['honourIdempotency'],
  '500-on-bad-input': ['renderError'],
  'flat-error-body': ['renderError'],
  'unsigned-webhook': ['mutateWebhook'],
  'mis-signed-webhook': ['mutateWebhook'],
  'stale-webhook-timestamp': ['signingTime'],
  'missing-event': ['handlers', 'taskRunners'],
  'remainder-not-updated': ['handlers', 'taskRunners'],
  'auth-ignored': ['authenticate'],
  'cross-account-leak': ['authenticate'],
  'file-limit-ignored': ['fileLimitBytes'],
};

/** A handler context with just what the fake handlers below read. */
const ctxWith = (query: Record<string, unknown>) => ({ query }) as unknown as HandlerContext;

describe('CasaPay defect edges', () => {
  it('with no defect every edge is undefined', () => {
    expect(casapayEdges(NO_DEFECTS)).toEqual({});
  });

  it.each(Object.keys(DEFECTS) as DefectName[])('%s produces exactly its edges', (name) => {
    expect(definedEdges(edgesOf(name))).toEqual([...EDGES[name]].sort());
  });

  it('response bends work on a copy: the stored case keeps its fields', () => {
    const stored = { object: 'collection_case', id: 'dc_1', reference: 'AB12CD34', amount_to_recover: 100 };
    const list = { object: 'list', data: [stored], has_more: false, url: '/v1/collection_cases' };
    expect(edgesOf('wrong-status-code').responses!('createCollectionCase', 201, stored)).toEqual([200, stored]);
    expect(edgesOf('wrong-status-code').responses!('retrieveCollectionCase', 200, stored)[0]).toBe(200);
    expect(edgesOf('missing-required-field').responses!('listCollectionCases', 200, list)[1]).toEqual({
      ...list,
      data: [{ object: 'collection_case', id: 'dc_1', amount_to_recover: 100 }],
    });
    expect(edgesOf('wrong-type').responses!('retrieveCollectionCase', 200, stored)[1]).toMatchObject({
      amount_to_recover: '100',
    });
    expect(stored).toEqual({ object: 'collection_case', id: 'dc_1', reference: 'AB12CD34', amount_to_recover: 100 });
  });

  it('500-on-bad-input bends every 400 to a 500; flat-error-body drops the envelope', () => {
    const bad = errors.parameterMissing('currency');
    expect(edgesOf('500-on-bad-input').renderError!(bad)).toMatchObject({
      status: 500,
      body: { error: { type: 'api_error', code: 'internal_error' } },
    });
    expect(edgesOf('500-on-bad-input').renderError!(errors.notFound('collection_case', 'dc_x'))).toMatchObject({
      status: 404,
      body: { error: { code: 'resource_not_found' } },
    });
    expect(edgesOf('flat-error-body').renderError!(bad)).toEqual({
      status: 400,
      body: { message: bad.message, code: 'parameter_missing' },
    });
    expect(edgesOf('500-on-bad-input', 'flat-error-body').renderError!(bad)).toMatchObject({
      status: 500,
      body: { code: 'internal_error' },
    });
  });

  it('auth-ignored lets a request without a key in; cross-account-leak puts every key in one account', () => {
    const keyOf: KeyOf = (request) => {
      if (!request.headers.authorization) throw errors.apiKeyMissing();
      if (request.headers.authorization === 'Bearer nonsense') throw errors.apiKeyInvalid();
      return request.headers.authorization.slice('Bearer '.length);
    };
    const ignored = edgesOf('auth-ignored').authenticate!(keyOf);
    expect(ignored({ headers: {} })).toBe('sk_test_anonymous');
    expect(ignored({ headers: { authorization: 'Bearer sk_test_a' } })).toBe('sk_test_a');
    expect(() => ignored({ headers: { authorization: 'Bearer nonsense' } })).toThrow(/Invalid API key/);
    const leak = edgesOf('cross-account-leak').authenticate!(keyOf);
    expect(leak({ headers: { authorization: 'Bearer sk_test_a' } })).toBe(
      leak({ headers: { authorization: 'Bearer sk_test_b' } }),
    );
    expect(() => leak({ headers: {} })).toThrow(/No API key/);
  });

  it('list bends touch list operations only, and synchronous handlers stay synchronous', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const retrieve: Handler = () => ok({ object: 'collection_case' });
    const honest: Record<string, Handler> = {
      listCollectionCases: (ctx) => (
        seen.push(ctx.query),
        ok({ object: 'list', data: [], has_more: true, url: '/v1/collection_cases' })
      ),
      listEvents: async (ctx) => (
        seen.push(ctx.query),
        ok({ object: 'list', data: [], has_more: true, url: '/v1/events' })
      ),
      retrieveCollectionCase: retrieve,
    };
    const query = { status: 'active', starting_after: 'dc_1', limit: 2 };

    const unfiltered = edgesOf('filter-ignored').handlers!(honest);
    expect(unfiltered.retrieveCollectionCase).toBe(retrieve);
    expect(unfiltered.listEvents).toBe(honest.listEvents);
    unfiltered.listCollectionCases!(ctxWith(query));
    expect(seen.pop()).toEqual({ starting_after: 'dc_1', limit: 2 });

    // The cursors are checked as given (an unknown one is still a 400), then ignored.
    const cursorless = edgesOf('cursor-ignored').handlers!(honest);
    expect(cursorless.retrieveCollectionCase).toBe(retrieve);
    cursorless.listCollectionCases!(ctxWith(query));
    expect(seen.splice(0)).toEqual([query, { status: 'active', limit: 2 }]);
    await cursorless.listEvents!(ctxWith(query));
    expect(seen.splice(0)).toEqual([query, { status: 'active', limit: 2 }]);

    const noMore = edgesOf('has-more-wrong').handlers!(honest);
    expect(noMore.retrieveCollectionCase).toBe(retrieve);
    const answer = noMore.listCollectionCases!(ctxWith({}));
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toMatchObject({ status: 200, body: { object: 'list', has_more: false } });
    expect(await noMore.listEvents!(ctxWith({}))).toMatchObject({ body: { has_more: false } });
  });

  it('payment defects replace the test helper and the magic step runner only', () => {
    for (const name of ['remainder-not-updated', 'missing-event']) {
      const edges = edgesOf(name);
      const handlers = { createTestDebtPayment: retrieveOnly, retrieveCollectionCase: retrieveOnly };
      const bent = edges.handlers!(handlers);
      expect(bent.createTestDebtPayment).not.toBe(retrieveOnly);
      expect(bent.retrieveCollectionCase).toBe(retrieveOnly);
      expect(Object.keys(edges.taskRunners!)).toEqual(['case.magic']);
    }
  });

  it("unsigned-webhook drops both schemes' headers; mis-signed-webhook re-signs whichever are there", () => {
    const body = '{"id":"evt_1"}';
    const t = 1_700_000_000;
    const headers = (): Record<string, string> => ({
      'Content-Type': 'application/json',
      [SIGNATURE_HEADER]: signatureHeader(body, 'whsec_right', t),
      ...standardSignatureHeaders('evt_1', body, 'whsec_cmlnaHQ=', t),
    });
    expect(edgesOf('unsigned-webhook').mutateWebhook!({ body, headers: headers() }, t).headers).toEqual({
      'Content-Type': 'application/json',
    });
    const mis = edgesOf('mis-signed-webhook').mutateWebhook!({ body, headers: headers() }, t).headers;
    expect(Object.keys(mis)).toEqual(Object.keys(headers()));
    expect(isValidSignature(body, mis[SIGNATURE_HEADER]!, 'whsec_right', 300, t)).toBe(false);
    expect(mis['webhook-signature']).not.toBe(headers()['webhook-signature']);
    expect(mis['webhook-id']).toBe('evt_1');
    // A CasaPay-only delivery gets no Standard Webhooks headers from the defect.
    const casapayOnly = edgesOf('mis-signed-webhook').mutateWebhook!(
      { body, headers: { [SIGNATURE_HEADER]: signatureHeader(body, 'whsec_right', t) } },
      t,
    ).headers;
    expect(Object.keys(casapayOnly)).toEqual([SIGNATURE_HEADER]);
  });

  it('stale-webhook-timestamp signs 10 minutes in the past; file-limit-ignored and idempotency-ignored are mount options', () => {
    const signed = edgesOf('stale-webhook-timestamp').signingTime!();
    expect(realNowSeconds() - signed).toBeGreaterThanOrEqual(600);
    expect(edgesOf('file-limit-ignored').fileLimitBytes).toBeGreaterThan(MAX_FILE_BYTES);
    expect(edgesOf('idempotency-ignored').honourIdempotency).toBe(false);
  });
});

const retrieveOnly: Handler = () => ok({});

describe('payment defects over HTTP: the test helper, magic debtor names and scenarios all bend', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startMock({ defects: ['remainder-not-updated', 'missing-event'] });
  });
  afterAll(() => mock.close());

  const eventTypes = async (key: string) =>
    (await mock.call('GET', '/v1/events?limit=100', { key })).body.data.map((e: { type: string }) => e.type);

  it('a test helper payment leaves the remainder and emits no debt_payment.created', async () => {
    const key = 'sk_test_defects_helper';
    const c = (await mock.call('POST', '/v1/collection_cases', { key, body: QUICKSTART_CASE })).body;
    const payment = await mock.call('POST', `/v1/test_helpers/collection_cases/${c.id}/debt_payments`, {
      key,
      body: { amount: 1000 },
    });
    expect(payment.status).toBe(201);
    expect((await mock.call('GET', `/v1/collection_cases/${c.id}`, { key })).body.remainder).toBe(c.remainder);
    expect(await eventTypes(key)).not.toContain('debt_payment.created');
  });

  it("a magic debtor's scheduled payment bends the same way", async () => {
    const key = 'sk_test_defects_magic';
    const clock = (await mock.call('POST', '/v1/test_helpers/test_clocks', { key, body: { frozen_time: TEST_NOW } }))
      .body;
    const c = (
      await mock.call('POST', '/v1/collection_cases', {
        key,
        body: {
          ...QUICKSTART_CASE,
          debtor: { ...QUICKSTART_CASE.debtor, name: 'Pays In Full GmbH' },
          test_clock: clock.id,
        },
      })
    ).body;
    await mock.call('POST', `/v1/test_helpers/test_clocks/${clock.id}/advance`, {
      key,
      body: { frozen_time: TEST_NOW + 10 * 86_400 },
    });
    expect((await mock.call('GET', `/v1/debt_payments?case=${c.id}`, { key })).body.data).toHaveLength(1);
    expect((await mock.call('GET', `/v1/collection_cases/${c.id}`, { key })).body).toMatchObject({
      status: 'active',
      remainder: c.remainder,
    });
    expect(await eventTypes(key)).not.toContain('debt_payment.created');
  });

  it("a scenario's payment step bends the same way", async () => {
    const key = 'sk_test_defects_scenario';
    const headers = { 'X-Mock-Scenario': 'paid-in-full' };
    const [c] = (await mock.call('GET', '/v1/collection_cases', { key, headers })).body.data;
    await mock.call('POST', `/v1/test_helpers/test_clocks/${c.test_clock}/advance`, {
      key,
      headers,
      body: { frozen_time: Date.UTC(2025, 2, 20) / 1000 },
    });
    expect((await mock.call('GET', `/v1/debt_payments?case=${c.id}`, { key, headers })).body.data).toHaveLength(1);
    expect((await mock.call('GET', `/v1/collection_cases/${c.id}`, { key, headers })).body).toMatchObject({
      remainder: 360000,
    });
  });
});
