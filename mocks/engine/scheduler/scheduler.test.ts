// The scheduler's order, table-driven: for each case, 100,000 tasks spread over several clocks must come
// out of each clock's queue exactly as a stable sort by time would order them (ties in the order
// scheduled), and one clock's tasks never run another's. Times come from a seeded generator so a
// failure repeats.
import { describe, expect, it } from 'vitest';
import { Schedule, TaskRunners, type ScheduledTask } from './scheduler.js';

/** A small deterministic generator (mulberry32): the same seed, the same times. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLOCKS = [null, 'clock_a', 'clock_b', 'clock_c', 'clock_d'] as const;
const N = 100_000;

type Times = (i: number, next: () => number) => number;

const cases: Array<[string, { times: Times; clockOf?: (i: number, next: () => number) => string | null }]> = [
  ['random times over a year', { times: (_i, next) => Math.floor(next() * 365 * 86_400) }],
  ['few distinct times (many ties)', { times: (_i, next) => Math.floor(next() * 10) * 3600 }],
  ['all at the same second', { times: () => 1_700_000_000 }],
  ['ascending (appended)', { times: (i) => i }],
  ['descending (each before all others)', { times: (i) => N - i }],
  [
    'one busy clock, the others sparse',
    { times: (_i, next) => Math.floor(next() * 1000), clockOf: (i) => (i % 50 === 0 ? CLOCKS[1 + (i % 4)]! : null) },
  ],
];

describe('Schedule: each clock runs its tasks by time, then in the order scheduled', () => {
  it.each(cases)('%s (100,000 tasks, 5 clocks)', (_name, { times, clockOf }) => {
    const next = generator(42);
    const schedule = new Schedule();
    const added: ScheduledTask[] = [];
    for (let i = 0; i < N; i++) {
      const clock = clockOf ? clockOf(i, next) : CLOCKS[Math.floor(next() * CLOCKS.length)]!;
      added.push(schedule.add({ at: times(i, next), clock, kind: 'k', params: { i }, description: `task ${i}` }));
    }
    expect(schedule.size).toBe(N);
    for (const clock of CLOCKS) {
      // Array.prototype.sort is stable: equal times keep the order they were added in.
      const want = added
        .filter((t) => t.clock === clock)
        .sort((a, b) => a.at - b.at)
        .map((t) => t.params.i);
      const got: unknown[] = [];
      for (let task = schedule.nextDue(clock, Infinity); task; task = schedule.nextDue(clock, Infinity))
        got.push(task.params.i);
      expect(got).toEqual(want);
    }
    expect(schedule.size).toBe(0);
  });

  it('returns nothing before the head is due, and only the due part of a clock', () => {
    const schedule = new Schedule();
    for (const at of [30, 10, 20, 10]) schedule.add({ at, clock: 'clk', kind: 'k', params: { at }, description: '' });
    schedule.add({ at: 1, clock: null, kind: 'k', params: {}, description: '' });
    expect(schedule.nextDue('clk', 9)).toBeUndefined();
    const due: number[] = [];
    for (let t = schedule.nextDue('clk', 20); t; t = schedule.nextDue('clk', 20)) due.push(t.at);
    expect(due).toEqual([10, 10, 20]);
    expect(schedule.peek('clk')?.at).toBe(30);
    expect(schedule.peek(null)?.at).toBe(1);
  });

  it('runs tasks scheduled while running, in their place', () => {
    const schedule = new Schedule();
    schedule.add({ at: 10, clock: null, kind: 'k', params: { name: 'first' }, description: '' });
    schedule.add({ at: 30, clock: null, kind: 'k', params: { name: 'last' }, description: '' });
    const order: unknown[] = [];
    for (let t = schedule.nextDue(null, 100); t; t = schedule.nextDue(null, 100)) {
      order.push(t.params.name);
      if (t.params.name === 'first')
        schedule.add({ at: 20, clock: null, kind: 'k', params: { name: 'added' }, description: '' });
    }
    expect(order).toEqual(['first', 'added', 'last']);
  });

  it('drops a clock without touching the others, and lists everything in run order', () => {
    const schedule = new Schedule();
    schedule.add({ at: 5, clock: 'a', kind: 'k', params: {}, description: 'a5' });
    schedule.add({ at: 3, clock: 'b', kind: 'k', params: {}, description: 'b3' });
    schedule.add({ at: 5, clock: null, kind: 'k', params: {}, description: 'n5' });
    schedule.add({ at: 1, clock: 'a', kind: 'k', params: {}, description: 'a1' });
    expect(schedule.list().map((t) => t.description)).toEqual(['a1', 'b3', 'a5', 'n5']);
    expect(schedule.dropClock('a')).toBe(2);
    expect(schedule.list().map((t) => t.description)).toEqual(['b3', 'n5']);
    expect(schedule.size).toBe(2);
  });
});

describe('TaskRunners', () => {
  it('runs a task by its kind with its params, and refuses an unknown kind', () => {
    const seen: unknown[] = [];
    const runners = new TaskRunners<string>().define('greet', (fx, params) => seen.push([fx, params.name]));
    const schedule = new Schedule();
    runners.run('fx', schedule.add({ at: 0, clock: null, kind: 'greet', params: { name: 'Ada' }, description: '' }));
    expect(seen).toEqual([['fx', 'Ada']]);
    expect(() =>
      runners.run('fx', schedule.add({ at: 0, clock: null, kind: 'nope', params: {}, description: 'x' })),
    ).toThrow(/nope/);
  });
});
