// Every number in the three contracts is bounded within JSON's safe integer range (issue 25). A JSON
// parser turns 1908000530616687152 into 1908000530616687000 — still an integer — so a field without a
// `maximum` takes it and stores it rounded; with one, the mock's request validation (and any tool
// generating from the contract) refuses it. Timestamps stop where a JavaScript Date stops.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/load-spec.js';

type Json = Record<string, any>;

const CONTRACTS = ['casapay.json', 'debitura-customer.json', 'debitura-referral.json'];
const bundled = (name: string): Json =>
  JSON.parse(readFileSync(path.join(repoRoot, 'generated', name), 'utf8')) as Json;

/** The last second a JavaScript Date can hold: 8.64e15 ms after 1970 (+275760-09-13). */
const LAST_DATE_SECOND = 8_640_000_000_000;

const isNumeric = (schema: Json) =>
  [schema.type].flat().some((type: unknown) => type === 'integer' || type === 'number');

/**
 * Where a numeric schema in `document` lacks a lower or an upper bound within ±(2^53 − 1), as
 * `pointer: what is wrong` (examples skipped: they are values, not schemas).
 */
function unboundedNumbers(document: Json): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${pointer}/${i}`));
    if (!node || typeof node !== 'object') return;
    const schema = node as Json;
    if (isNumeric(schema)) {
      const max = schema.maximum ?? schema.exclusiveMaximum;
      const min = schema.minimum ?? schema.exclusiveMinimum;
      if (typeof max !== 'number') problems.push(`${pointer}: no maximum`);
      else if (max > Number.MAX_SAFE_INTEGER) problems.push(`${pointer}: maximum ${max} beyond 2^53 − 1`);
      if (typeof min !== 'number') problems.push(`${pointer}: no minimum`);
      else if (min < -Number.MAX_SAFE_INTEGER) problems.push(`${pointer}: minimum ${min} beyond −(2^53 − 1)`);
    }
    for (const [key, value] of Object.entries(schema))
      if (key !== 'example' && key !== 'examples') visit(value, `${pointer}/${key}`);
  };
  visit(document, '#');
  return problems;
}

describe.each(CONTRACTS)('%s', (name) => {
  const document = bundled(name);

  it('bounds every number, request and response, within the safe integer range', () => {
    expect(unboundedNumbers(document)).toEqual([]);
  });

  it('has numbers to check (the walk reaches parameters and bodies)', () => {
    const walked: string[] = [];
    JSON.stringify(document, (key, value) => {
      if (value && typeof value === 'object' && !Array.isArray(value) && isNumeric(value)) walked.push(key);
      return value;
    });
    expect(walked.length).toBeGreaterThan(10);
  });
});

describe('the walk', () => {
  it('notices a number without a maximum, one beyond the range and one without a minimum', () => {
    const broken = {
      components: {
        schemas: {
          A: { type: 'integer', minimum: 0 },
          B: { type: ['number', 'null'], minimum: 0, maximum: 2 ** 53 },
          C: { type: 'integer', maximum: 10 },
          D: { type: 'integer', minimum: 0, maximum: 10, example: 5 },
        },
      },
    };
    expect(unboundedNumbers(broken)).toEqual([
      '#/components/schemas/A: no maximum',
      `#/components/schemas/B: maximum ${2 ** 53} beyond 2^53 − 1`,
      '#/components/schemas/C: no minimum',
    ]);
  });
});

describe("CasaPay's timestamps", () => {
  const timestamp = bundled('casapay.json').components.schemas.Timestamp as Json;

  it('stop at the last second a JavaScript Date can hold, and the schema says why', () => {
    expect(timestamp.maximum).toBe(LAST_DATE_SECOND);
    expect(new Date(timestamp.maximum * 1000).toISOString()).toBe('+275760-09-13T00:00:00.000Z');
    expect(Number.isNaN(new Date((timestamp.maximum + 1) * 1000).getTime())).toBe(true);
    expect(timestamp.description).toContain('8640000000000');
  });

  it('bound every nullable timestamp and the created[…] filters alike', () => {
    const casapay = bundled('casapay.json');
    const schemas = casapay.components.schemas as Json;
    for (const [object, field] of [
      ['Guarantee', 'canceled_at'],
      ['Claim', 'reviewed_at'],
      ['Claim', 'review_due_by'],
      ['WebhookDelivery', 'next_attempt_at'],
    ] as const)
      expect(schemas[object].properties[field], `${object}.${field}`).toMatchObject({
        minimum: 0,
        maximum: LAST_DATE_SECOND,
      });
    for (const bound of ['gte', 'gt', 'lte', 'lt'])
      expect(casapay.components.parameters.Created.schema.properties[bound].$ref).toBe(
        '#/components/schemas/Timestamp',
      );
  });
});
