import { describe, expect, it } from 'vitest';
import { loadContract, paramName } from '../../kit/contract.js';
import { allowedTypes, applyAt, bracketParam, mutationSites, sampleMutations } from './negative-inputs.js';

const contract = loadContract();
const doc = contract.document;
const pointer = '#/components/schemas/CollectionCaseCreateParams';
const validate = contract.validator(pointer);
const base = {
  amount_to_recover: 360000,
  currency: 'eur',
  debtor: {
    type: 'private',
    name: 'John Smith',
    email: 'john@example.com',
    country: 'DE',
    address: { line1: 'Str. 1', city: 'Berlin', postal_code: '10117', country: 'DE' },
  },
  creditor_reference: 'INV-1',
  due_date: '2024-11-01',
  metadata: { k: 'v' },
};

describe('bracketParam', () => {
  it.each([
    [['amount_to_recover'], 'amount_to_recover'],
    [['debtor', 'address', 'country'], 'debtor[address][country]'],
    [['enabled_events', 0], 'enabled_events[0]'],
  ])('%j → %s', (path, want) => {
    expect(bracketParam(path)).toBe(want);
  });
});

describe('applyAt', () => {
  it('replaces a nested value without touching the original', () => {
    const out = applyAt(base, ['debtor', 'address', 'city'], 42) as typeof base;
    expect(out.debtor.address.city).toBe(42);
    expect(base.debtor.address.city).toBe('Berlin');
  });
});

describe('allowedTypes', () => {
  it.each([
    [{ type: 'integer' }, ['integer']],
    [{ type: ['string', 'null'] }, ['string', 'null']],
    [{ type: 'number' }, ['number', 'integer']],
    [{ $ref: '#/components/schemas/Currency' }, ['string']],
    [{ enum: ['a', 'b'] }, ['string']],
  ])('%j', (schema, want) => {
    expect([...allowedTypes(doc, schema)].sort()).toEqual([...want].sort());
  });
});

describe('mutationSites', () => {
  const sites = mutationSites(doc, { $ref: pointer }, base);
  const has = (kind: string, param: string) => sites.some((s) => s.kind === kind && bracketParam(s.path) === param);
  it.each([
    ['missing-required', 'amount_to_recover'],
    ['missing-required', 'debtor[name]'],
    ['wrong-type', 'debtor[address][city]'],
    ['out-of-range', 'amount_to_recover'],
    ['bad-enum', 'debtor[type]'],
    ['bad-pattern', 'debtor[country]'],
    ['too-long', 'creditor_reference'],
    ['bad-format', 'due_date'],
    ['unknown-field', ''],
    ['unknown-field', 'debtor'],
    ['too-long', 'metadata[k]'],
  ])('has %s at %s', (kind, param) => {
    expect(has(kind, param)).toBe(true);
  });
  it('never removes a field that is not required (debtor.country may come from the address)', () => {
    expect(has('missing-required', 'debtor[country]')).toBe(false);
    expect(has('missing-required', 'creditor_reference')).toBe(false);
  });
});

describe('sampleMutations', () => {
  const isInvalid = (b: unknown) => !validate(b);
  const run = (seed: number) => sampleMutations(doc, { $ref: pointer }, base, isInvalid, seed, 40);

  it('is reproducible from the seed', () => {
    expect(run(7).map((m) => m.description)).toEqual(run(7).map((m) => m.description));
    expect(run(7).map((m) => m.description)).not.toEqual(run(8).map((m) => m.description));
  });

  it('every mutation is invalid, changes one field, and the contract blames that field', () => {
    const mutations = run(20241101);
    expect(mutations).toHaveLength(40);
    let blamedRight = 0;
    for (const m of mutations) {
      expect(validate(m.body), m.description).toBe(false);
      if (paramName(validate.errors![0]!) === m.param) blamedRight++;
    }
    expect(blamedRight, 'mutations whose fault is exactly one field').toBeGreaterThanOrEqual(36);
  });

  it('covers several kinds of mistakes', () => {
    expect(new Set(run(1).map((m) => m.kind)).size).toBeGreaterThanOrEqual(5);
  });
});
