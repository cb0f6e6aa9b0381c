// How an account's state is laid out for a store: named parts, each a set of keyed rows. A part reads
// the row a key has now (undefined: gone), lists every row (an account's first write), and puts a
// stored row back (loading). The engine's parts (schedule, scenarios, idempotency) are defined in
// sandbox.ts; each API lists its own (ApiModule.parts), so a store writes any API without knowing it.
// Rows are JSON values, or Buffers (file contents) kept as bytes.
import type { Account } from './accounts.js';
import type { Collection, Listable } from './collection.js';
import { TrackedMap, TrackedSet } from './changes.js';

export type RowValue = unknown;

export interface StatePart {
  /** `<api>.<container>`: `casapay.cases`, `engine.schedule`. */
  name: string;
  /** The row `key` holds now, or undefined when it is gone. */
  read(account: Account, key: string): RowValue | undefined;
  /** Every row, in the order to restore them. */
  entries(account: Account): Iterable<[string, RowValue]>;
  /** Puts a stored row back, marking nothing. */
  restore(account: Account, key: string, value: RowValue): void;
  /** Drops a row another instance deleted, marking nothing (default: nothing to do). */
  forget?(account: Account, key: string): void;
  /** A single row (key `''`) written with every change of the account: scalars that have no container. */
  always?: boolean;
}

/**
 * A part over a Collection (id-keyed, created order).
 * @example collectionPart('casapay.cases', (account) => casapayAccount(account).cases)
 */
export function collectionPart<T extends Listable>(name: string, of: (account: Account) => Collection<T>): StatePart {
  return {
    name,
    read: (account, key) => of(account).get(key),
    entries: (account) =>
      of(account)
        .values()
        .map((item) => [item.id, item] as [string, RowValue]),
    restore: (account, _key, value) => {
      const collection = of(account);
      const item = value as T;
      if (collection.has(item.id)) collection.restoreReplace(item);
      else collection.restoreAdd(item);
    },
    forget: (account, key) => void of(account).restoreDelete(key),
  };
}

/**
 * A part over a Map with string keys (made by `mapFor`, so tracked on a durable store).
 * @example mapPart('casapay.references', (account) => casapayAccount(account).references)
 */
export function mapPart<V>(
  name: string,
  of: (account: Account) => Map<string, V>,
  codec: { encode?(value: V): RowValue; decode?(row: RowValue): V } = {},
): StatePart {
  const encode = codec.encode ?? ((value: V) => value as RowValue);
  const decode = codec.decode ?? ((row: RowValue) => row as V);
  return {
    name,
    read: (account, key) => {
      const map = of(account);
      // Map.prototype.get: reading for the store must not mark the key again.
      const value = Map.prototype.get.call(map, key) as V | undefined;
      return value === undefined ? undefined : encode(value);
    },
    entries: (account) => [...Map.prototype.entries.call(of(account))].map(([k, v]) => [k, encode(v as V)]),
    restore: (account, key, row) => {
      const map = of(account);
      if (map instanceof TrackedMap) map.restore(key, decode(row));
      else map.set(key, decode(row));
    },
    forget: (account, key) => {
      const map = of(account);
      if (map instanceof TrackedMap) map.forget(key);
      else map.delete(key);
    },
  };
}

/** A part over a Set of strings: a row per member (its value `true`). */
export function setPart(name: string, of: (account: Account) => Set<string>): StatePart {
  return {
    name,
    read: (account, key) => (of(account).has(key) ? true : undefined),
    entries: (account) => [...of(account)].map((member) => [member, true] as [string, RowValue]),
    restore: (account, key) => {
      const set = of(account);
      if (set instanceof TrackedSet) set.restore(key);
      else set.add(key);
    },
    forget: (account, key) => {
      const set = of(account);
      if (set instanceof TrackedSet) set.forget(key);
      else set.delete(key);
    },
  };
}

/**
 * A single row of scalars, written with every change of the account.
 * @example metaPart('casapay.account', (a) => ({ guaranteeClock: a.guaranteeClock }), (a, row) => Object.assign(a, row))
 */
export function metaPart<R>(
  name: string,
  read: (account: Account) => R | undefined,
  restore: (account: Account, row: R) => void,
): StatePart {
  return {
    name,
    always: true,
    read: (account, key) => (key === '' ? read(account) : undefined),
    entries: (account) => {
      const row = read(account);
      return row === undefined ? [] : [['', row]];
    },
    restore: (account, _key, row) => restore(account, row as R),
  };
}
