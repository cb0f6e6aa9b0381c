import { describe, expect, it } from 'vitest';
import { REMEMBERED, rememberedCount, toJson } from './serialize.js';

const collectionCase = {
  id: 'dc_1',
  object: 'collection_case',
  amount_to_recover: 1,
  debtor: { name: 'Ünïcode "quoted"' },
  close_code: null,
};
const event = { id: 'evt_1', object: 'event', pending_webhooks: 1 };

describe('toJson', () => {
  it.each([
    ['an object', collectionCase],
    [
      'a list page',
      {
        object: 'list',
        data: [collectionCase, { ...collectionCase, id: 'dc_2' }],
        has_more: true,
        url: '/v1/collection_cases',
      },
    ],
    ['an empty list', { object: 'list', data: [], has_more: false, url: '/v1/x' }],
    ['a timeline without list fields', { data: [{ date: 1, type: 'case_created' }] }],
    ['a list with an undefined field', { object: 'list', data: [], has_more: false, url: '/v1/x', extra: undefined }],
    ['a preview (no id)', { is_eligible: true, partner_assignment: null }],
    ['null', null],
  ])('matches JSON.stringify for %s', (_name, body) => {
    expect(toJson(body)).toBe(JSON.stringify(body));
  });

  it('re-serialises events, whose pending_webhooks changes in place', () => {
    const page = { object: 'list', data: [event], has_more: false, url: '/v1/events' };
    expect(toJson(page)).toContain('"pending_webhooks":1');
    event.pending_webhooks = 0;
    expect(toJson(page)).toContain('"pending_webhooks":0');
    expect(toJson(event)).toBe(JSON.stringify(event));
  });
});

describe('remembered texts', () => {
  it('are bounded: reading more objects than it keeps forgets the first read, and the texts stay right', () => {
    const objects = Array.from({ length: REMEMBERED + 10 }, (_, i) => ({
      id: `dc_${i}`,
      object: 'collection_case',
      n: i,
    }));
    for (const object of objects) expect(toJson(object)).toBe(JSON.stringify(object));
    expect(rememberedCount()).toBe(REMEMBERED);
    // The first ones were forgotten: read again, they are serialised afresh (and remembered again).
    expect(toJson(objects[0])).toBe(JSON.stringify(objects[0]));
    expect(toJson({ object: 'list', data: objects.slice(0, 3), has_more: false, url: '/v1/x' })).toBe(
      JSON.stringify({ object: 'list', data: objects.slice(0, 3), has_more: false, url: '/v1/x' }),
    );
    expect(rememberedCount()).toBe(REMEMBERED);
  });
});
