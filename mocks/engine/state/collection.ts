// An ordered, id-indexed set of objects with Stripe-style cursor pagination: newest first,
// `starting_after` pages to older objects, `ending_before` to newer ones, `has_more` exact.
//
// Cost does not grow with the collection: objects are kept in (created, insertion) order, so a cursor
// or a `created` range is a binary search, and each declared index (e.g. cases by status) keeps its
// own ordered bucket per value, so an equality filter walks only the objects that match it. A page
// then costs O(log n + limit) plus whatever a non-indexed filter has to skip.

export interface Listable {
  id: string;
  created: number;
}

export interface CreatedRange {
  gte?: number;
  gt?: number;
  lte?: number;
  lt?: number;
}

export interface PageRequest<T> {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
  /** Equality conditions on declared indexes; the smallest matching bucket is walked. */
  where?: Readonly<Record<string, string | undefined>>;
  /** Only objects with `created` in this range (a binary search, not a scan). */
  created?: CreatedRange;
  /** Every object returned must pass this (the whole condition; `where` only narrows the walk). */
  filter?: (item: T) => boolean;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

interface Entry<T> {
  item: T;
  seq: number;
}

/** Name → the value an object is indexed under (undefined: not in that index). */
export type IndexKeys<T> = Readonly<Record<string, (item: T) => string | null | undefined>>;

/** (created, seq) order. */
const compare = <T extends Listable>(a: Entry<T>, b: Entry<T>): number =>
  a.item.created - b.item.created || a.seq - b.seq;

/** First position in `list` whose entry is not before `entry`. */
function lowerBound<T extends Listable>(list: readonly Entry<T>[], entry: Entry<T>): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(list[mid]!, entry) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position whose `created` passes `ok` (a predicate monotone along the list: false…false true…true). */
function firstWhere<T extends Listable>(list: readonly Entry<T>[], ok: (created: number) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(list[mid]!.item.created)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function insertSorted<T extends Listable>(list: Entry<T>[], entry: Entry<T>): void {
  // Usually appended; objects on a test clock in the past are inserted in created order.
  const last = list[list.length - 1];
  if (!last || compare(last, entry) < 0) list.push(entry);
  else list.splice(lowerBound(list, entry), 0, entry);
}

function removeSorted<T extends Listable>(list: Entry<T>[], entry: Entry<T>): void {
  const at = lowerBound(list, entry);
  if (list[at] !== entry) throw new Error('collection order is corrupt');
  list.splice(at, 1);
}

export class Collection<T extends Listable> {
  private readonly byId = new Map<string, Entry<T>>();
  /** Oldest first, ordered by (created, insertion sequence). */
  private readonly ordered: Entry<T>[] = [];
  private readonly indexes = new Map<
    string,
    { keyOf: (item: T) => string | null | undefined; buckets: Map<string, Entry<T>[]> }
  >();
  private seq = 0;
  /** Told the id of every object added, replaced or deleted (a durable store's change tracking; unset in memory). */
  onChange: ((id: string) => void) | undefined;

  /** @example new Collection<CollectionCase>({ status: (c) => c.status }) */
  constructor(indexes: IndexKeys<T> = {}) {
    for (const [name, keyOf] of Object.entries(indexes)) this.indexes.set(name, { keyOf, buckets: new Map() });
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id)?.item;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  add(item: T): T {
    this.onChange?.(item.id);
    return this.restoreAdd(item);
  }

  /** Marks an object edited in place as changed (the store writes it again). */
  touch(id: string): void {
    this.onChange?.(id);
  }

  /** `add` without telling onChange (loading from a store). */
  restoreAdd(item: T): T {
    const entry = { item, seq: this.seq++ };
    this.byId.set(item.id, entry);
    insertSorted(this.ordered, entry);
    for (const index of this.indexes.values()) {
      const key = index.keyOf(item);
      if (key == null) continue;
      const bucket = index.buckets.get(key);
      if (bucket) insertSorted(bucket, entry);
      else index.buckets.set(key, [entry]);
    }
    return item;
  }

  /** Replaces the stored object (same id, same `created`), keeping its place in the order. */
  replace(item: T): T {
    this.onChange?.(item.id);
    return this.restoreReplace(item);
  }

  /** `replace` without telling onChange (loading from a store). */
  restoreReplace(item: T): T {
    const entry = this.byId.get(item.id);
    if (!entry) throw new Error(`replace: unknown id ${item.id}`);
    const before = entry.item;
    // Positions are found by (created, seq), which a replacement keeps, so buckets can be searched
    // with the entry whichever version it holds.
    entry.item = item;
    for (const index of this.indexes.values()) {
      const from = index.keyOf(before);
      const to = index.keyOf(item);
      if (from === to) continue;
      if (from != null) removeSorted(index.buckets.get(from)!, entry);
      if (to == null) continue;
      const bucket = index.buckets.get(to);
      if (bucket) insertSorted(bucket, entry);
      else index.buckets.set(to, [entry]);
    }
    return item;
  }

  delete(id: string): boolean {
    if (this.onChange && this.byId.has(id)) this.onChange(id);
    return this.restoreDelete(id);
  }

  /** `delete` without telling onChange (another instance deleted it). */
  restoreDelete(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    this.byId.delete(id);
    removeSorted(this.ordered, entry);
    for (const index of this.indexes.values()) {
      const key = index.keyOf(entry.item);
      if (key != null) removeSorted(index.buckets.get(key)!, entry);
    }
    return true;
  }

  /** The object added longest ago that is still here (not the oldest `created`: a test clock may date objects in the past). */
  firstAdded(): T | undefined {
    for (const entry of this.byId.values()) return entry.item;
    return undefined;
  }

  /** All objects, oldest first. */
  values(): T[] {
    return this.ordered.map((e) => e.item);
  }

  /** The ordered list to walk: the smallest bucket among the indexed `where` conditions, else everything. */
  private source(where: PageRequest<T>['where']): readonly Entry<T>[] {
    let best: readonly Entry<T>[] = this.ordered;
    if (!where) return best;
    for (const [name, value] of Object.entries(where)) {
      if (value === undefined) continue;
      const index = this.indexes.get(name);
      if (!index) continue;
      const bucket = index.buckets.get(value) ?? [];
      if (bucket.length < best.length) best = bucket;
    }
    return best;
  }

  /**
   * One page, newest first. Cursors must be ids in this collection (the caller checks that first).
   * @example collection.page({ limit: 10, startingAfter: 'dc_x' }) // the 10 objects older than dc_x
   * @example collection.page({ limit: 10, where: { status: 'active' }, filter: (c) => c.status === 'active' })
   */
  page({ limit, startingAfter, endingBefore, where, created, filter }: PageRequest<T>): Page<T> {
    const list = this.source(where);
    const matches = filter ?? (() => true);
    // The window of `list` whose `created` is in range: [from, to).
    let from = 0;
    let to = list.length;
    if (created) {
      const { gte, gt, lte, lt } = created;
      if (gte !== undefined)
        from = Math.max(
          from,
          firstWhere(list, (c) => c >= gte),
        );
      if (gt !== undefined)
        from = Math.max(
          from,
          firstWhere(list, (c) => c > gt),
        );
      if (lte !== undefined)
        to = Math.min(
          to,
          firstWhere(list, (c) => c > lte),
        );
      if (lt !== undefined)
        to = Math.min(
          to,
          firstWhere(list, (c) => c >= lt),
        );
    }
    const data: T[] = [];
    if (endingBefore !== undefined) {
      // Walk towards newer objects, keep the `limit` closest to the cursor, then present newest first.
      const cursor = this.byId.get(endingBefore);
      let i = cursor ? lowerBound(list, cursor) : to;
      if (cursor && list[i] === cursor) i++;
      let hasMore = false;
      for (i = Math.max(i, from); i < to; i++) {
        const item = list[i]!.item;
        if (!matches(item)) continue;
        if (data.length === limit) {
          hasMore = true;
          break;
        }
        data.push(item);
      }
      return { data: data.reverse(), has_more: hasMore };
    }
    const cursor = startingAfter !== undefined ? this.byId.get(startingAfter) : undefined;
    let i = cursor ? Math.min(lowerBound(list, cursor), to) - 1 : to - 1;
    for (; i >= from; i--) {
      const item = list[i]!.item;
      if (!matches(item)) continue;
      if (data.length === limit) return { data, has_more: true };
      data.push(item);
    }
    return { data, has_more: false };
  }
}
