// What the receiver kit sends is contract-valid: every lifecycle event (and the one with unknown
// fields) validates against the contract's webhook schema, with fresh ids each time; the unusual JSON
// parses to the same event but is never what a serializer writes.
import { describe, expect, it } from 'vitest';
import { describeErrors } from '../../kit/contract.js';
import { changeOneByte, eventFactory, unusualJson } from './payloads.js';

describe.each(['casapay', 'debitura'] as const)('%s deliveries', (api) => {
  const events = eventFactory(api);

  it.each([...events.lifecycle])("%s is valid against the contract's webhook schema, with fresh ids", (type) => {
    const validate = events.contract.webhookValidator(type)!;
    const [a, b] = [events.event(type), events.event(type)];
    for (const event of [a, b, events.withUnknownFields(a)])
      expect(validate(event), describeErrors(validate.errors)).toBe(true);
    expect(events.typeOf(a)).toBe(type);
    expect(events.idOf(a)).not.toBe(events.idOf(b));
    expect(events.objectIdOf(a)).not.toBe(events.objectIdOf(b));
    expect(events.objectIdOf(events.event(type, 'shared-object'))).toBe('shared-object');
  });

  it('the unknown event type is one the contract does not list', () => {
    expect(events.contract.document.webhooks[events.unknownType]).toBeUndefined();
    expect(events.typeOf(events.event(events.unknownType))).toBe(events.unknownType);
  });

  it('unusual JSON parses to the same event and differs from JSON.stringify', () => {
    const event = events.event(events.lifecycle[0]);
    const text = unusualJson(event);
    expect(JSON.parse(text)).toEqual(event);
    expect(JSON.stringify(JSON.parse(text))).not.toBe(text);
    // eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose: every byte is 7-bit ASCII
    expect(text).not.toMatch(/[^\x00-\x7e]/);
  });
});

it('changeOneByte changes exactly one digit at or after the given index', () => {
  const body = '{"id":"evt_1","amount":360000}';
  const { text, at } = changeOneByte(body, 10);
  expect(text).toHaveLength(body.length);
  expect([...text].filter((c, i) => c !== body[i])).toHaveLength(1);
  expect(at).toBeGreaterThanOrEqual(10);
  expect(() => changeOneByte('{"a":"b"}', 0)).toThrow(/no digit/);
});
