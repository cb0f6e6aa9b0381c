// An ordered, id-indexed set of objects with Stripe-style cursor pagination: newest first,
// `starting_after` pages to older objects, `ending_before` to newer ones, `has_more` exact.

export interface Listable {
  id: string;
  created: number;
}

export interface PageRequest<T> {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
  filter?: (item: T) => boolean;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

export class Collection<T extends Listable> {
  private readonly byId = new Map<string, { item: T; seq: number }>();
  /** Oldest first, ordered by (created, insertion sequence). */
  private readonly ordered: Array<{ item: T; seq: number }> = [];
  private seq = 0;

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
    const entry = { item, seq: this.seq++ };
    this.byId.set(item.id, entry);
    // Usually appended; objects on a test clock in the past are inserted in created order.
    let at = this.ordered.length;
    while (at > 0 && this.ordered[at - 1]!.item.created > item.created) at--;
    if (at === this.ordered.length) this.ordered.push(entry);
    else this.ordered.splice(at, 0, entry);
    return item;
  }

  /** Replaces the stored object (same id), keeping its place in the order. */
  replace(item: T): T {
    const entry = this.byId.get(item.id);
    if (!entry) throw new Error(`replace: unknown id ${item.id}`);
    entry.item = item;
    return item;
  }

  delete(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    this.byId.delete(id);
    this.ordered.splice(this.indexOf(entry), 1);
    return true;
  }

  /** All objects, oldest first. */
  values(): T[] {
    return this.ordered.map((e) => e.item);
  }

  private indexOf(entry: { item: T; seq: number }): number {
    // Binary search on (created, seq).
    let lo = 0;
    let hi = this.ordered.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const probe = this.ordered[mid]!;
      const cmp = probe.item.created - entry.item.created || probe.seq - entry.seq;
      if (cmp === 0) return mid;
      if (cmp < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    throw new Error('collection order is corrupt');
  }

  /**
   * One page, newest first. Cursors must be ids in this collection (the caller checks that first).
   * @example collection.page({ limit: 10, startingAfter: 'dc_x' }) // the 10 objects older than dc_x
   */
  page({ limit, startingAfter, endingBefore, filter }: PageRequest<T>): Page<T> {
    const matches = filter ?? (() => true);
    const data: T[] = [];
    if (endingBefore !== undefined) {
      // Walk towards newer objects, keep the `limit` closest to the cursor, then present newest first.
      const cursor = this.byId.get(endingBefore);
      let i = cursor ? this.indexOf(cursor) + 1 : this.ordered.length;
      let hasMore = false;
      for (; i < this.ordered.length; i++) {
        const item = this.ordered[i]!.item;
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
    let i = cursor ? this.indexOf(cursor) - 1 : this.ordered.length - 1;
    for (; i >= 0; i--) {
      const item = this.ordered[i]!.item;
      if (!matches(item)) continue;
      if (data.length === limit) return { data, has_more: true };
      data.push(item);
    }
    return { data, has_more: false };
  }
}
