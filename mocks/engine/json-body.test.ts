// parseJsonBody refuses every number a double cannot hold, whichever way the JSON spells it, and
// leaves finite numbers (and bodies the overflow pre-check lets skip the walk) as JSON.parse gives them.
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { parseJsonBody } from './json-body.js';

const refusal = (text: string) => {
  try {
    parseJsonBody(text);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, param: error.param };
    throw error;
  }
  return undefined;
};

describe('parseJsonBody', () => {
  it.each([
    ['an exponent', '{"amount": 1e309}', 'amount'],
    ['a capital exponent, negative, nested', '{"debtor": {"amount": -2E400}}', 'debtor[amount]'],
    ['400 digits', `{"amount": ${'9'.repeat(400)}}`, 'amount'],
    ['301 digits and a small exponent', `{"amount": 1${'0'.repeat(300)}e9}`, 'amount'],
    ['in an array', '{"items": [1, 2, 1e999]}', 'items[2]'],
    ['the whole body', '1e309', null],
  ])('refuses a non-finite number: %s', (_name, text, param) => {
    expect(refusal(text)).toEqual({ status: 400, param });
  });

  it.each([
    ['the largest double', '{"amount": 1.7976931348623157e308}', { amount: 1.7976931348623157e308 }],
    ['308 digits', `{"amount": ${'9'.repeat(308)}}`, { amount: Number('9'.repeat(308)) }],
    ['an ordinary body', '{"name": "line 1e", "amount": 360000}', { name: 'line 1e', amount: 360000 }],
  ])('keeps a finite one: %s', (_name, text, want) => {
    expect(parseJsonBody(text)).toEqual(want);
  });

  it('an empty body is no body; invalid JSON is a 400', () => {
    expect(parseJsonBody('')).toBeUndefined();
    expect(refusal('{"amount": ')?.status).toBe(400);
  });
});
