import { expect, it } from 'vitest';
import { Store } from './store.js';

it('a seed that throws leaves no half-seeded account: the next use seeds afresh', () => {
  let fail = true;
  const store = new Store((account) => {
    if (fail) throw new Error('EMFILE: too many open files');
    account.unsupportedCountries.add('*');
  });
  expect(() => store.account('sk_test_seed')).toThrow(/EMFILE/);
  expect(store.peek('sk_test_seed')).toBeUndefined();
  fail = false;
  expect(store.account('sk_test_seed').unsupportedCountries.has('*')).toBe(true);
});
