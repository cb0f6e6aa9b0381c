import { describe, expect, it } from 'vitest';
import { Collection } from './collection.js';

const make = (n: number, created = (i: number) => 1000 + i) => {
  const c = new Collection<{ id: string; created: number; even: boolean }>();
  for (let i = 0; i < n; i++) c.add({ id: `o_${i}`, created: created(i), even: i % 2 === 0 });
  return c;
};
const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);

describe('Collection.page', () => {
  const c = make(25);
  it.each([
    ['first page, newest first', { limit: 3 }, ['o_24', 'o_23', 'o_22'], true],
    ['after a cursor', { limit: 3, startingAfter: 'o_22' }, ['o_21', 'o_20', 'o_19'], true],
    ['last page exactly', { limit: 3, startingAfter: 'o_3' }, ['o_2', 'o_1', 'o_0'], false],
    ['past the end', { limit: 3, startingAfter: 'o_0' }, [], false],
    ['before a cursor', { limit: 3, endingBefore: 'o_19' }, ['o_22', 'o_21', 'o_20'], true],
    ['before, reaching the newest', { limit: 3, endingBefore: 'o_21' }, ['o_24', 'o_23', 'o_22'], false],
    ['before the newest', { limit: 3, endingBefore: 'o_24' }, [], false],
    ['filtered', { limit: 2, filter: (o: { even: boolean }) => o.even }, ['o_24', 'o_22'], true],
    ['filtered after', { limit: 5, startingAfter: 'o_5', filter: (o: { even: boolean }) => o.even }, ['o_4', 'o_2', 'o_0'], false],
  ] as const)('%s', (_name, request, want, hasMore) => {
    const page = c.page(request as never);
    expect(ids(page.data)).toEqual(want);
    expect(page.has_more).toBe(hasMore);
  });

  it('walks forwards and backwards visiting each object once', () => {
    const forward: string[] = [];
    let page = c.page({ limit: 4 });
    forward.push(...ids(page.data));
    while (page.has_more) {
      page = c.page({ limit: 4, startingAfter: forward.at(-1)! });
      forward.push(...ids(page.data));
    }
    expect(forward).toEqual(Array.from({ length: 25 }, (_, i) => `o_${24 - i}`));
    const backward: string[] = [];
    page = c.page({ limit: 4, endingBefore: 'o_0' });
    backward.unshift(...ids(page.data));
    while (page.has_more) {
      page = c.page({ limit: 4, endingBefore: backward[0]! });
      backward.unshift(...ids(page.data));
    }
    expect(backward).toEqual(forward.slice(0, 24));
  });

  it('orders by created even when inserted out of order, and deletes', () => {
    const d = make(5, (i) => [50, 10, 40, 20, 30][i]!);
    expect(ids(d.page({ limit: 10 }).data)).toEqual(['o_0', 'o_2', 'o_4', 'o_3', 'o_1']);
    d.delete('o_2');
    expect(ids(d.page({ limit: 10, startingAfter: 'o_0' }).data)).toEqual(['o_4', 'o_3', 'o_1']);
  });
});
