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

/** Name → the value an object is indexed under (undefined: not in that index). */
export type IndexKeys<T> = Readonly<Record<string, (item: T) => string | null | undefined>>;

const NO_SEQS = new Uint32Array(0);

/**
 * A list of sequence numbers in a typed array: 4 bytes an object, off the JS heap, so an ordered list or
 * an index bucket of a million objects is no million pointers for the garbage collector to trace.
 * Removing the first is O(1) (an event window drops its oldest); elsewhere it moves the tail.
 */
class SeqList {
  private data: Uint32Array = NO_SEQS;
  private start = 0;
  length = 0;

  at(i: number): number {
    return this.data[this.start + i]!;
  }

  private room(): void {
    if (this.start + this.length < this.data.length) return;
    if (this.start > 0 && this.start >= this.data.length >> 1) {
      // Mostly dropped from the front: slide back instead of growing.
      this.data.copyWithin(0, this.start, this.start + this.length);
      this.start = 0;
      return;
    }
    const next = new Uint32Array(Math.max(8, Math.ceil(this.length * 1.5)));
    next.set(this.data.subarray(this.start, this.start + this.length));
    this.data = next;
    this.start = 0;
  }

  push(seq: number): void {
    this.room();
    this.data[this.start + this.length++] = seq;
  }

  insert(i: number, seq: number): void {
    if (i === this.length) return this.push(seq);
    this.room();
    const at = this.start + i;
    this.data.copyWithin(at + 1, at, this.start + this.length);
    this.data[at] = seq;
    this.length++;
  }

  removeAt(i: number): void {
    if (i === 0) this.start++;
    else this.data.copyWithin(this.start + i, this.start + i + 1, this.start + this.length);
    this.length--;
    if (this.length === 0) this.start = 0;
    else if (this.data.length > 64 && this.length < this.data.length >> 2) {
      // Most of it gone: give the memory back.
      this.data = this.data.slice(this.start, this.start + this.length);
      this.start = 0;
    }
  }
}

/** The bucket of a value no object has. */
const EMPTY = new SeqList();

export class Collection<T extends Listable> {
  /**
   * Id → the object's sequence number (its insertion order, the tie-break between equal `created`):
   * objects are held by number, not in an entry object each (≈40 bytes, and pointers to trace).
   */
  private readonly byId = new Map<string, number>();
  /** The objects by sequence number (`bySeq[seq - base]`); a deleted one leaves a hole until the front is trimmed. */
  private bySeq: Array<T | undefined> = [];
  private base = 0;
  /** Holes at the front of bySeq (deleted oldest objects), trimmed in bulk. */
  private leadingHoles = 0;
  /** Oldest first, ordered by (created, seq). */
  private readonly ordered = new SeqList();
  private readonly indexes = new Map<
    string,
    { keyOf: (item: T) => string | null | undefined; buckets: Map<string, SeqList> }
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

  private itemAt(seq: number): T {
    return this.bySeq[seq - this.base]!;
  }

  /** Whether the object numbered `a` comes before the one numbered `b` in (created, seq) order. */
  private before(a: number, b: number): boolean {
    const x = this.itemAt(a).created;
    const y = this.itemAt(b).created;
    return x < y || (x === y && a < b);
  }

  /** First position in `list` whose object is not before the object numbered `seq`. */
  private lowerBound(list: SeqList, seq: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.before(list.at(mid), seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose `created` passes `ok` (a predicate monotone along the list: false…false true…true). */
  private firstWhere(list: SeqList, ok: (created: number) => boolean): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ok(this.itemAt(list.at(mid)).created)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private insertSorted(list: SeqList, seq: number): void {
    // Usually appended; objects on a test clock in the past are inserted in created order.
    if (list.length === 0 || this.before(list.at(list.length - 1), seq)) list.push(seq);
    else list.insert(this.lowerBound(list, seq), seq);
  }

  private removeSorted(list: SeqList, seq: number): void {
    const at = this.lowerBound(list, seq);
    if (at >= list.length || list.at(at) !== seq) throw new Error('collection order is corrupt');
    list.removeAt(at);
  }

  private bucketAdd(buckets: Map<string, SeqList>, key: string, seq: number): void {
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = new SeqList()));
    this.insertSorted(bucket, seq);
  }

  get(id: string): T | undefined {
    const seq = this.byId.get(id);
    return seq === undefined ? undefined : this.itemAt(seq);
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
    const seq = this.seq++;
    this.byId.set(item.id, seq);
    this.bySeq.push(item);
    this.insertSorted(this.ordered, seq);
    for (const index of this.indexes.values()) {
      const key = index.keyOf(item);
      if (key != null) this.bucketAdd(index.buckets, key, seq);
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
    const seq = this.byId.get(item.id);
    if (seq === undefined) throw new Error(`replace: unknown id ${item.id}`);
    const before = this.itemAt(seq);
    // Positions are found by (created, seq), which a replacement keeps, so buckets can be searched
    // whichever version is in place.
    this.bySeq[seq - this.base] = item;
    for (const index of this.indexes.values()) {
      const from = index.keyOf(before);
      const to = index.keyOf(item);
      if (from === to) continue;
      if (from != null) this.removeSorted(index.buckets.get(from)!, seq);
      if (to != null) this.bucketAdd(index.buckets, to, seq);
    }
    return item;
  }

  delete(id: string): boolean {
    if (this.onChange && this.byId.has(id)) this.onChange(id);
    return this.restoreDelete(id);
  }

  /** `delete` without telling onChange (another instance deleted it). */
  restoreDelete(id: string): boolean {
    const seq = this.byId.get(id);
    if (seq === undefined) return false;
    const item = this.itemAt(seq);
    this.removeSorted(this.ordered, seq);
    for (const index of this.indexes.values()) {
      const key = index.keyOf(item);
      if (key != null) this.removeSorted(index.buckets.get(key)!, seq);
    }
    this.byId.delete(id);
    this.bySeq[seq - this.base] = undefined;
    while (this.leadingHoles < this.bySeq.length && this.bySeq[this.leadingHoles] === undefined) this.leadingHoles++;
    if (this.leadingHoles === this.bySeq.length) {
      this.base += this.bySeq.length;
      this.bySeq = [];
      this.leadingHoles = 0;
    } else if (this.leadingHoles > 1024 && this.leadingHoles * 2 > this.bySeq.length) {
      // An event window drops its oldest one by one: the front is trimmed in bulk, not per delete.
      this.bySeq = this.bySeq.slice(this.leadingHoles);
      this.base += this.leadingHoles;
      this.leadingHoles = 0;
    }
    return true;
  }

  /** The object added longest ago that is still here (not the oldest `created`: a test clock may date objects in the past). */
  firstAdded(): T | undefined {
    for (const seq of this.byId.values()) return this.itemAt(seq);
    return undefined;
  }

  /** All objects, oldest first. */
  values(): T[] {
    const out = new Array<T>(this.ordered.length);
    for (let i = 0; i < out.length; i++) out[i] = this.itemAt(this.ordered.at(i));
    return out;
  }

  /** The ordered list to walk: the smallest bucket among the indexed `where` conditions, else everything. */
  private source(where: PageRequest<T>['where']): SeqList {
    let best = this.ordered;
    if (!where) return best;
    for (const [name, value] of Object.entries(where)) {
      if (value === undefined) continue;
      const index = this.indexes.get(name);
      if (!index) continue;
      const bucket = index.buckets.get(value) ?? EMPTY;
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
          this.firstWhere(list, (c) => c >= gte),
        );
      if (gt !== undefined)
        from = Math.max(
          from,
          this.firstWhere(list, (c) => c > gt),
        );
      if (lte !== undefined)
        to = Math.min(
          to,
          this.firstWhere(list, (c) => c > lte),
        );
      if (lt !== undefined)
        to = Math.min(
          to,
          this.firstWhere(list, (c) => c >= lt),
        );
    }
    const data: T[] = [];
    if (endingBefore !== undefined) {
      // Walk towards newer objects, keep the `limit` closest to the cursor, then present newest first.
      const cursor = this.byId.get(endingBefore);
      let i = cursor !== undefined ? this.lowerBound(list, cursor) : to;
      if (cursor !== undefined && i < list.length && list.at(i) === cursor) i++;
      let hasMore = false;
      for (i = Math.max(i, from); i < to; i++) {
        const item = this.itemAt(list.at(i));
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
    let i = cursor !== undefined ? Math.min(this.lowerBound(list, cursor), to) - 1 : to - 1;
    for (; i >= from; i--) {
      const item = this.itemAt(list.at(i));
      if (!matches(item)) continue;
      if (data.length === limit) return { data, has_more: true };
      data.push(item);
    }
    return { data, has_more: false };
  }
}
