// What changed in an account since the store last wrote it: (part, key) pairs, where a part is one of
// the account's containers (`casapay.cases`, `engine.schedule`) and a key one entry of it. Only a
// durable store tracks: on the in-memory store `account.changes` is undefined and the containers are
// plain Maps, Sets and Collections, so the default pays nothing for it.
//
// Containers mark their own changes (set, delete, add, replace). A value edited in place (a Debitura
// client's KYC, a timeline's new entry) is caught by marking on `get` for the parts that hold such
// values (`markOnGet`): whatever a write looked at is written again, a superset of what it changed.
import type { Account } from './accounts.js';

export class ChangeSet {
  private readonly parts = new Map<string, Set<string>>();

  /** Records that `key` of `part` may have changed. */
  mark(part: string, key: string): void {
    let keys = this.parts.get(part);
    if (!keys) this.parts.set(part, (keys = new Set()));
    keys.add(key);
  }

  get empty(): boolean {
    return this.parts.size === 0;
  }

  /** The changes so far, forgetting them (the store writes them now). */
  drain(): Map<string, Set<string>> {
    const drained = new Map(this.parts);
    this.parts.clear();
    return drained;
  }
}

/** A Map that marks each key it sets or deletes (and, with `markOnGet`, each key it hands out). */
export class TrackedMap<V> extends Map<string, V> {
  constructor(
    private readonly changes: ChangeSet,
    private readonly part: string,
    private readonly markOnGet = false,
  ) {
    super();
  }

  override set(key: string, value: V): this {
    // Map's own constructor calls set before the fields exist (never with entries here, but be safe).
    this.changes?.mark(this.part, key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.changes.mark(this.part, key);
    return super.delete(key);
  }

  override get(key: string): V | undefined {
    const value = super.get(key);
    if (this.markOnGet && value !== undefined) this.changes.mark(this.part, key);
    return value;
  }

  override clear(): void {
    for (const key of this.keys()) this.changes.mark(this.part, key);
    super.clear();
  }

  /** Puts a stored entry back without marking it (loading from the store). */
  restore(key: string, value: V): void {
    super.set(key, value);
  }

  /** Removes an entry without marking it (another instance deleted it). */
  forget(key: string): void {
    super.delete(key);
  }
}

/** A Set of strings that marks each value it adds or deletes. */
export class TrackedSet extends Set<string> {
  constructor(
    private readonly changes: ChangeSet,
    private readonly part: string,
  ) {
    super();
  }

  override add(value: string): this {
    this.changes?.mark(this.part, value);
    return super.add(value);
  }

  override delete(value: string): boolean {
    this.changes.mark(this.part, value);
    return super.delete(value);
  }

  override clear(): void {
    for (const value of this.values()) this.changes.mark(this.part, value);
    super.clear();
  }

  restore(value: string): void {
    super.add(value);
  }

  forget(value: string): void {
    super.delete(value);
  }
}

/**
 * The Map an account keeps for `part`: tracked when the account is (a durable store), plain otherwise.
 * @example const timelines = mapFor<TimelineEntry[]>(account, 'casapay.timelines', { markOnGet: true });
 */
export function mapFor<V>(account: Account, part: string, options: { markOnGet?: boolean } = {}): Map<string, V> {
  return account.changes ? new TrackedMap<V>(account.changes, part, options.markOnGet) : new Map<string, V>();
}

/** The Set of strings an account keeps for `part`: tracked when the account is. */
export function setFor(account: Account, part: string): Set<string> {
  return account.changes ? new TrackedSet(account.changes, part) : new Set<string>();
}

/** Marks `key` of `part` changed when the account is tracked (a value edited in place, outside a tracked container). */
export function markChanged(account: Account, part: string, key: string): void {
  account.changes?.mark(part, key);
}

/**
 * Has a Collection (or a Schedule-like container with `onChange`) mark its changes under `part` when the
 * account is tracked; returns it.
 * @example cases: tracked(account, 'casapay.cases', new Collection<CollectionCase>())
 */
export function tracked<C extends { onChange: ((id: string) => void) | undefined }>(
  account: Account,
  part: string,
  container: C,
): C {
  const changes = account.changes;
  if (changes) container.onChange = (id) => changes.mark(part, id);
  return container;
}
