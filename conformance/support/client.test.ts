import { describe, expect, it } from 'vitest';
import { checkResponse } from './client.js';
import { clip, redactAuthorization } from './recorder.js';

const kase = {
  id: 'dc_abc123',
  object: 'collection_case',
  reference: 'Q8OAXF3W',
  status: 'active',
  amount_to_recover: 1000,
  remainder: 1000,
  currency: 'eur',
  created: 1706140800,
};
const error = {
  error: { type: 'invalid_request_error', code: 'resource_not_found', message: 'No such case', param: 'id' },
};
const JSON_TYPE = 'application/json; charset=utf-8';

describe('checkResponse (the contract rules every response is held to)', () => {
  const cases: [string, Parameters<typeof checkResponse>, string[]][] = [
    ['a valid create', ['createCollectionCase', 201, JSON_TYPE, 'req_1', kase, ''], []],
    ['an undeclared status', ['createCollectionCase', 200, JSON_TYPE, 'req_1', kase, ''], ['status-declared']],
    [
      'a 5xx is declared (5XX) but still needs the envelope',
      ['createCollectionCase', 503, JSON_TYPE, 'req_1', { message: 'down' }, ''],
      ['error-envelope'],
    ],
    [
      'a missing required field',
      ['retrieveCollectionCase', 200, JSON_TYPE, 'req_1', { ...kase, reference: undefined }, ''],
      ['body-schema'],
    ],
    [
      'a wrong type',
      ['retrieveCollectionCase', 200, JSON_TYPE, 'req_1', { ...kase, amount_to_recover: '1000' }, ''],
      ['body-schema'],
    ],
    [
      'an unknown field (allowed by the contract)',
      ['retrieveCollectionCase', 200, JSON_TYPE, 'req_1', { ...kase, surprise: true }, ''],
      [],
    ],
    [
      'a wrong type',
      ['retrieveCollectionCase', 200, JSON_TYPE, 'req_1', { ...kase, remainder: '1' }, ''],
      ['body-schema'],
    ],
    ['not JSON', ['retrieveCollectionCase', 200, 'text/html', 'req_1', undefined, '<html>'], ['content-type-json']],
    [
      'a flat error body',
      ['retrieveCollectionCase', 404, JSON_TYPE, 'req_1', { message: 'x', code: 'resource_not_found' }, ''],
      ['error-envelope'],
    ],
    ['a proper 404', ['retrieveCollectionCase', 404, JSON_TYPE, 'req_1', error, ''], []],
    ['no Request-Id', ['retrieveCollectionCase', 404, JSON_TYPE, null, error, ''], ['request-id-header']],
    [
      'a download (declared non-JSON body)',
      ['downloadCaseFileContents', 200, 'application/pdf', 'req_1', undefined, ''],
      [],
    ],
  ];
  it.each(cases)('%s', (_name, args, rules) => {
    expect(checkResponse(...args).map((v) => v.rule)).toEqual(rules);
  });

  it('holds listed events to their webhook payload schema', () => {
    const event = {
      id: 'evt_1',
      object: 'event',
      type: 'collection_case.created',
      api_version: '2024-11-01',
      created: 1,
      livemode: false,
      data: { object: { ...kase, remainder: 'all of it' } },
      request: { id: null, idempotency_key: null },
      pending_webhooks: 0,
    };
    const list = { object: 'list', data: [event], has_more: false, url: '/v1/events' };
    expect(checkResponse('listEvents', 200, JSON_TYPE, 'req_1', list, '').map((v) => v.rule)).toEqual([
      'event-payload',
    ]);
    expect(
      checkResponse(
        'listEvents',
        200,
        JSON_TYPE,
        'req_1',
        { ...list, data: [{ ...event, data: { object: kase } }] },
        '',
      ),
    ).toEqual([]);
  });
});

describe('recorder helpers', () => {
  it.each([
    ['Bearer sk_test_conformance_a_long_key', 'Bearer sk_test_conforma…'],
    ['Bearer nope', 'Bearer nope'],
    ['Basic c2tfdGVzdF94Og==', 'Basic c2tfdG…'],
  ])('redacts %s', (value, want) => {
    expect(redactAuthorization(value)).toBe(want);
  });
  it('clips long bodies and says how much was cut', () => {
    expect(clip('abcdef', 4)).toBe('abcd… (2 more characters)');
    expect(clip('abc', 4)).toBe('abc');
  });
});
