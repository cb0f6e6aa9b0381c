import { expect, it } from 'vitest';
import { AccountStore } from './accounts.js';

it('a seed that throws leaves no half-seeded account: the next use seeds afresh', () => {
  let fail = true;
  const store = new AccountStore(
    (account) => Object.assign(account, { seeded: false }),
    (account) => {
      if (fail) throw new Error('EMFILE: too many open files');
      Object.assign(account, { seeded: true });
    },
  );
  expect(() => store.account('sk_test_seed')).toThrow(/EMFILE/);
  expect(store.peek('sk_test_seed')).toBeUndefined();
  fail = false;
  expect(store.account('sk_test_seed')).toMatchObject({ seeded: true });
});

it("every new account gets the APIs' state before it is seeded", () => {
  const order: string[] = [];
  const store = new AccountStore(
    () => order.push('init'),
    () => order.push('seed'),
  );
  store.account('k');
  store.account('k');
  expect(order).toEqual(['init', 'seed']);
});
