// The scheduler owns what is due on virtual time for one account: a priority queue per clock (the
// account's own clock, `null`, and each test clock), holding tasks as plain data — a kind, its JSON
// parameters and a description — never closures, so a later store can keep the schedule in a
// database. It decides only *when* and *in what order* (time, then the order scheduled); *what* a
// kind does is a runner looked up in a TaskRunners table that the composition root fills in
// (mocks/apis/casapay/handlers/tasks.ts, the scenario runner). It may import nothing outside this folder: no
// handlers, no state, no clock — callers pass the times in, which keeps it pure and testable alone.
import { TaskQueue } from './task-queue.js';

/** Something due at a virtual time (demand letter, claim review, guarantee expiry, scenario step). */
export interface ScheduledTask {
  /** Unix seconds on the task's clock. */
  at: number;
  /** Order of scheduling within the account: ties on `at` run in this order. */
  seq: number;
  /** The test clock whose advance runs it, or null for the account's clock. */
  clock: string | null;
  /** Names the runner (`case.demand_letter`, `claim.review`, …). */
  kind: string;
  /** JSON-serialisable parameters for the runner (ids, not objects). */
  params: Readonly<Record<string, unknown>>;
  /** For people reading /__admin/state. */
  description: string;
}

export interface TaskInput {
  at: number;
  clock: string | null;
  kind: string;
  params: Readonly<Record<string, unknown>>;
  description: string;
}

/**
 * The schedule of one account.
 * @example
 * const schedule = new Schedule();
 * schedule.add({ at: 100, clock: null, kind: 'case.demand_letter', params: { case: 'dc_1' }, description: 'demand letter for dc_1' });
 * schedule.nextDue(null, 99);  // undefined: nothing due yet (O(1))
 * schedule.nextDue(null, 100)?.kind; // 'case.demand_letter' (removed from the schedule)
 */
export class Schedule {
  private readonly queues = new Map<string | null, TaskQueue>();
  /** Every task by its seq, for a store reading one back: kept only when tracked (a durable store). */
  private bySeq: Map<number, ScheduledTask> | undefined;
  private seq = 0;
  private count = 0;
  private changed: ((seq: number) => void) | undefined;

  get size(): number {
    return this.count;
  }

  /** Tells `onChange` the seq of every task added or removed from now on (a durable store's change tracking). */
  track(onChange: (seq: number) => void): void {
    this.changed = onChange;
    this.bySeq ??= new Map(this.list().map((task) => [task.seq, task]));
  }

  /** The next seq to hand out (kept by a store with the tasks, so a restart continues the order). */
  get nextSeq(): number {
    return this.seq;
  }

  /** Adds a task in O(log n) of its clock's queue. */
  add(input: TaskInput): ScheduledTask {
    const task: ScheduledTask = {
      at: input.at,
      seq: this.seq++,
      clock: input.clock,
      kind: input.kind,
      params: input.params,
      description: input.description,
    };
    this.changed?.(task.seq);
    this.restore(task);
    return task;
  }

  /** Puts a stored task back as it was (loading from a store), telling no one. */
  restore(task: ScheduledTask): void {
    let queue = this.queues.get(task.clock);
    if (!queue) this.queues.set(task.clock, (queue = new TaskQueue()));
    queue.push(task);
    this.count++;
    this.bySeq?.set(task.seq, task);
    if (task.seq >= this.seq) this.seq = task.seq + 1;
  }

  /** Continues the seq after a restart (the last task may have run and gone). */
  restoreSeq(next: number): void {
    if (next > this.seq) this.seq = next;
  }

  /** The task with this seq, if it is still due. */
  bySeqNumber(seq: number): ScheduledTask | undefined {
    return this.bySeq?.get(seq);
  }

  /** Drops a task another instance ran or removed, telling no one. */
  forget(seq: number): void {
    const task = this.bySeq?.get(seq);
    if (!task) return;
    this.count -= this.queues.get(task.clock)?.removeWhere((t) => t.seq === seq) ?? 0;
    this.bySeq!.delete(seq);
  }

  private removed(task: ScheduledTask): void {
    this.count--;
    this.bySeq?.delete(task.seq);
    this.changed?.(task.seq);
  }

  /** The earliest task of `clock`, without removing it (O(1)). */
  peek(clock: string | null): ScheduledTask | undefined {
    return this.queues.get(clock)?.peek();
  }

  /**
   * Removes and returns the earliest task of `clock` if it is due at or before `until`; O(1) when
   * nothing is due, O(log n) otherwise. Other clocks' tasks are never looked at.
   */
  nextDue(clock: string | null, until: number): ScheduledTask | undefined {
    const queue = this.queues.get(clock);
    const head = queue?.peek();
    if (!head || head.at > until) return undefined;
    queue!.pop();
    this.removed(head);
    return head;
  }

  /** Forgets every task of a clock (a deleted test clock); returns how many were dropped. */
  dropClock(clock: string): number {
    const queue = this.queues.get(clock);
    if (!queue) return 0;
    this.queues.delete(clock);
    for (const task of queue.values()) this.removed(task);
    return queue.size;
  }

  /**
   * Forgets the tasks of `clock` that `drop` picks (a task superseded by a new one, so updates cannot
   * grow the schedule without objects); O(n) in that clock's tasks. Returns how many were dropped.
   */
  removeWhere(clock: string | null, drop: (task: ScheduledTask) => boolean): number {
    const queue = this.queues.get(clock);
    if (!queue) return 0;
    return queue.removeWhere((task) => {
      if (!drop(task)) return false;
      this.removed(task);
      return true;
    });
  }

  /** Every task of every clock in run order (time, then scheduling order); O(n log n), for dumps only. */
  list(): ScheduledTask[] {
    const all: ScheduledTask[] = [];
    for (const queue of this.queues.values()) all.push(...queue.values());
    return all.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }
}

/** What a task of one kind does, given the effects it runs with (the caller's type) and its parameters. */
export type TaskRunner<Fx> = (fx: Fx, params: any) => void;

/**
 * Kind → runner. Unknown kinds fail loudly: a task nobody can run is a bug, not something to skip.
 * @example
 * const runners = new TaskRunners<Effects>().define('case.demand_letter', (fx, { case: id }) => sendLetter(fx, id));
 * runners.run(fx, task);
 */
export class TaskRunners<Fx> {
  private readonly byKind = new Map<string, TaskRunner<Fx>>();

  /** Every kind with its runner, in definition order. */
  entries(): IterableIterator<[string, TaskRunner<Fx>]> {
    return this.byKind.entries();
  }

  define(kind: string, run: TaskRunner<Fx>): this {
    this.byKind.set(kind, run);
    return this;
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  run(fx: Fx, task: ScheduledTask): void {
    const runner = this.byKind.get(task.kind);
    if (!runner) throw new Error(`No runner for scheduled task kind '${task.kind}' (${task.description})`);
    runner(fx, task.params);
  }
}
