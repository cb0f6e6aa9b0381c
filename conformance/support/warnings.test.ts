import { describe, expect, it } from 'vitest';
import { bodyPath, eventWarnings, responseWarnings } from './warnings.js';

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
const event = (over: Record<string, unknown> = {}) => ({
  id: 'evt_1',
  object: 'event',
  type: 'collection_case.created',
  created: 1,
  api_version: '2024-11-01',
  livemode: false,
  request: { id: null, idempotency_key: null },
  pending_webhooks: 0,
  data: { object: kase },
  ...over,
});
const rules = (ws: { rule: string; path: string }[]) => ws.map((w) => `${w.rule} ${w.path}`);

describe('warnings: what the contract allows but a careful implementation avoids', () => {
  it.each([
    ['nothing on a full, known object', responseWarnings('retrieveCollectionCase', 200, kase), []],
    [
      'an unknown top-level field, with its path',
      responseWarnings('retrieveCollectionCase', 200, { ...kase, nickname: 'x' }),
      ['unknown-field nickname'],
    ],
    [
      'an unknown nested field in a list item',
      responseWarnings('listCollectionCases', 200, {
        object: 'list',
        data: [{ ...kase, debtor: { type: 'private', name: 'A', shoe_size: 9 } }],
        has_more: false,
        url: '/v1/collection_cases',
      }),
      ['unknown-field data[0].debtor.shoe_size'],
    ],
    [
      'a recommended field left out (a case without created)',
      responseWarnings('retrieveCollectionCase', 200, { ...kase, created: undefined }),
      ['recommended-field created'],
    ],
    [
      'nothing on an error body',
      responseWarnings('retrieveCollectionCase', 404, {
        error: { type: 'invalid_request_error', code: 'resource_not_found', message: 'x', param: 'id', extra: 1 },
      }),
      [],
    ],
    [
      'nothing on a deletion receipt',
      responseWarnings('deleteWebhookEndpoint', 200, { id: 'we_1', object: 'webhook_endpoint', deleted: true }),
      [],
    ],
  ] as const)('%s', (_name, got, want) => {
    expect(rules(got)).toEqual(want);
  });

  it('events: an unknown type, unknown fields in the payload, recommended fields left out', () => {
    expect(
      rules(
        eventWarnings(
          event({ type: 'case_chat.created', data: { object: { id: 'chat_1', object: 'case_chat' } } }),
          'webhook',
          null,
          '',
        ),
      ),
    ).toEqual(['unknown-event-type type']);
    expect(rules(eventWarnings(event({ data: { object: { ...kase, mood: 'calm' } } }), 'webhook', null, ''))).toEqual([
      'unknown-field data.object.mood',
    ]);
    const minimal = {
      id: 'evt_2',
      object: 'event',
      type: 'collection_case.updated',
      created: 1,
      data: { object: kase },
    };
    expect(rules(eventWarnings(minimal, 'webhook', null, 'data[3]'))).toEqual([
      'recommended-field data[3].data.previous_attributes',
      'recommended-field data[3].api_version',
      'recommended-field data[3].livemode',
      'recommended-field data[3].request',
      'recommended-field data[3].pending_webhooks',
    ]);
  });

  it('listed events are checked one by one with their index', () => {
    const list = {
      object: 'list',
      data: [event(), event({ id: 'evt_3', type: 'invoice.paid' })],
      has_more: false,
      url: '/v1/events',
    };
    expect(rules(responseWarnings('listEvents', 200, list))).toEqual(['unknown-event-type data[1].type']);
  });

  it('names paths the way a reader writes them', () => {
    expect(bodyPath('/data/0/debtor', 'x')).toBe('data[0].debtor.x');
    expect(bodyPath('')).toBe('(root)');
  });
});
