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
    [
      'filtered after',
      { limit: 5, startingAfter: 'o_5', filter: (o: { even: boolean }) => o.even },
      ['o_4', 'o_2', 'o_0'],
      false,
    ],
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

describe('Collection indexes and created ranges agree with a full scan', () => {
  type Item = { id: string; created: number; colour: string; size: string };
  const COLOURS = ['red', 'green', 'blue'];
  const SIZES = ['s', 'm'];
  // Out-of-order creation times and duplicates, as objects on test clocks produce.
  const build = () => {
    const c = new Collection<Item>({ colour: (o) => o.colour, size: (o) => o.size });
    const all: Item[] = [];
    for (let i = 0; i < 200; i++) {
      const item = {
        id: `o_${i}`,
        created: 1000 + ((i * 37) % 60),
        colour: COLOURS[(i * 7) % 3]!,
        size: SIZES[i % 2]!,
      };
      c.add(item);
      all.push(item);
    }
    return { c, all };
  };
  const scan = (all: Item[], where: Partial<Item>, range?: { gte?: number; lt?: number }) =>
    [...all]
      .map((item, seq) => ({ item, seq }))
      .sort((a, b) => b.item.created - a.item.created || b.seq - a.seq)
      .map((e) => e.item)
      .filter((o) => Object.entries(where).every(([k, v]) => o[k as keyof Item] === v))
      .filter(
        (o) =>
          (range?.gte === undefined || o.created >= range.gte) && (range?.lt === undefined || o.created < range.lt),
      );

  it.each([
    ['no condition', {}, undefined],
    ['one index', { colour: 'red' }, undefined],
    ['two indexes', { colour: 'blue', size: 'm' }, undefined],
    ['a value nobody has', { colour: 'purple' }, undefined],
    ['a created range', {}, { gte: 1010, lt: 1030 }],
    ['an index and a range', { colour: 'green' }, { gte: 1005, lt: 1050 }],
  ] as const)('%s: every page forwards and backwards', (_name, where, range) => {
    const { c, all } = build();
    const want = scan(all, where, range).map((o) => o.id);
    const filter = (o: Item) => Object.entries(where).every(([k, v]) => o[k as keyof Item] === v);
    const request = { limit: 7, where: where as Record<string, string>, created: range, filter };
    const forward: string[] = [];
    let page = c.page(request);
    forward.push(...ids(page.data));
    while (page.has_more) {
      page = c.page({ ...request, startingAfter: forward.at(-1)! });
      forward.push(...ids(page.data));
    }
    expect(forward).toEqual(want);
    if (want.length === 0) return;
    // Backwards from the oldest match, and from a cursor that is not in the bucket walked.
    const backward: string[] = [];
    page = c.page({ ...request, endingBefore: want.at(-1)! });
    backward.unshift(...ids(page.data));
    while (page.has_more) {
      page = c.page({ ...request, endingBefore: backward[0]! });
      backward.unshift(...ids(page.data));
    }
    expect(backward).toEqual(want.slice(0, -1));
    const outsider = all.find((o) => !filter(o));
    if (outsider) {
      const after = scan(all, {}).map((o) => o.id);
      const older = new Set(after.slice(after.indexOf(outsider.id) + 1));
      expect(ids(c.page({ ...request, limit: 1000, startingAfter: outsider.id }).data)).toEqual(
        want.filter((id) => older.has(id)),
      );
    }
  });

  it('moves an object between buckets when it is replaced, and forgets it when deleted', () => {
    const { c } = build();
    const item = c.get('o_3')!;
    const before = c.page({ limit: 1000, where: { colour: 'purple' } }).data;
    expect(before).toEqual([]);
    c.replace({ ...item, colour: 'purple' });
    expect(ids(c.page({ limit: 1000, where: { colour: 'purple' } }).data)).toEqual(['o_3']);
    expect(ids(c.page({ limit: 1000, where: { colour: item.colour } }).data)).not.toContain('o_3');
    c.delete('o_3');
    expect(c.page({ limit: 1000, where: { colour: 'purple' } }).data).toEqual([]);
  });
});

describe('Collection.firstAdded', () => {
  it('is the object added longest ago that is still there, whatever its created (the event window drops it)', () => {
    // o_0 is the newest by `created` (a test clock dates the later ones in the past).
    const c = make(3, (i) => 1000 - i);
    expect(c.firstAdded()?.id).toBe('o_0');
    c.delete('o_0');
    expect(c.firstAdded()?.id).toBe('o_1');
    c.replace({ id: 'o_1', created: 999, even: true });
    expect(c.firstAdded()?.id).toBe('o_1');
    c.delete('o_1');
    c.delete('o_2');
    expect(c.firstAdded()).toBeUndefined();
  });
});

describe('Collection against a plain array, through thousands of adds, replaces and deletes', () => {
  type Item = { id: string; created: number; colour: string };
  // A small deterministic generator, so a failure repeats.
  let state = 42;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const COLOURS = ['red', 'green', 'blue'];

  it('pages as a full scan does, with the oldest dropped one by one (an event window) and holes in the middle', () => {
    const c = new Collection<Item>({ colour: (o) => o.colour });
    // The model: [item, insertion number] in insertion order.
    let model: Array<[Item, number]> = [];
    let added = 0;
    const check = () => {
      const want = [...model].sort(([a, i], [b, j]) => b.created - a.created || j - i).map(([item]) => item.id);
      expect(c.size).toBe(model.length);
      expect(c.values().map((o) => o.id)).toEqual([...want].reverse());
      expect(ids(c.page({ limit: 5 }).data)).toEqual(want.slice(0, 5));
      const colour = COLOURS[next(3)]!;
      const inColour = [...model]
        .sort(([a, i], [b, j]) => b.created - a.created || j - i)
        .filter(([item]) => item.colour === colour)
        .map(([item]) => item.id);
      const page = c.page({ limit: 4, where: { colour }, filter: (o) => o.colour === colour });
      expect(ids(page.data)).toEqual(inColour.slice(0, 4));
      if (want.length > 2) {
        const cursor = want[next(want.length)]!;
        const after = want.slice(want.indexOf(cursor) + 1, want.indexOf(cursor) + 4);
        expect(ids(c.page({ limit: 3, startingAfter: cursor }).data)).toEqual(after);
      }
      expect(c.firstAdded()?.id).toBe(model[0]?.[0].id);
    };
    for (let round = 0; round < 4000; round++) {
      const roll = next(10);
      if (roll < 6 || model.length === 0) {
        // Mostly in created order; sometimes in the past (a test clock).
        const created = next(5) === 0 ? 1000 + next(added + 1) : 1000 + added;
        const item = { id: `o_${added}`, created, colour: COLOURS[next(3)]! };
        c.add(item);
        model.push([item, added++]);
      } else if (roll < 8) {
        // The oldest added goes (as --max-events drops events).
        const [oldest] = model.shift()!;
        expect(c.firstAdded()?.id).toBe(oldest.id);
        expect(c.delete(oldest.id)).toBe(true);
      } else if (roll < 9) {
        const at = next(model.length);
        const [item] = model.splice(at, 1)[0]!;
        expect(c.delete(item.id)).toBe(true);
        expect(c.get(item.id)).toBeUndefined();
      } else {
        const at = next(model.length);
        const replaced = { ...model[at]![0], colour: COLOURS[next(3)]! };
        c.replace(replaced);
        model[at] = [replaced, model[at]![1]];
        expect(c.get(replaced.id)).toBe(replaced);
      }
      if (round % 40 === 0) check();
    }
    check();
    // Emptied and filled again.
    for (const [item] of model) c.delete(item.id);
    model = [];
    check();
    const item = { id: 'again', created: 5, colour: 'red' };
    c.add(item);
    model.push([item, added]);
    check();
  });
});

describe('Collection as a long event window', () => {
  it('keeps its order and lookups while thousands of oldest objects go one by one', () => {
    const c = make(5000);
    for (let i = 0; i < 4500; i++) {
      expect(c.firstAdded()?.id).toBe(`o_${i}`);
      c.delete(`o_${i}`);
      if (i % 500 === 0) expect(c.get(`o_${i + 1}`)?.id).toBe(`o_${i + 1}`);
    }
    expect(c.size).toBe(500);
    expect(c.get('o_4499')).toBeUndefined();
    expect(c.get('o_4500')?.id).toBe('o_4500');
    expect(ids(c.page({ limit: 2, startingAfter: 'o_4501' }).data)).toEqual(['o_4500']);
    expect(ids(c.page({ limit: 2, endingBefore: 'o_4500' }).data)).toEqual(['o_4502', 'o_4501']);
    c.add({ id: 'late', created: 9999, even: true });
    expect(ids(c.page({ limit: 1 }).data)).toEqual(['late']);
  });
});
