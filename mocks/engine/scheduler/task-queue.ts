// A binary min-heap of scheduled tasks keyed by (at, seq): the earliest task first, and among tasks due
// at the same second the one scheduled first. Push and pop are O(log n), peek is O(1).
import type { ScheduledTask } from './scheduler.js';

const before = (a: ScheduledTask, b: ScheduledTask): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export class TaskQueue {
  private readonly heap: ScheduledTask[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The next task, without removing it. */
  peek(): ScheduledTask | undefined {
    return this.heap[0];
  }

  push(task: ScheduledTask): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(task);
    // Sift up: move the new task above every parent it comes before.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(task, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = task;
  }

  pop(): ScheduledTask | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    // Sift down: the last task takes the root and sinks below every child that comes before it.
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  /** Removes the tasks `drop` picks and restores the heap: O(n), for rare changes (a guarantee's new end_date). */
  removeWhere(drop: (task: ScheduledTask) => boolean): number {
    const kept = this.heap.filter((task) => !drop(task));
    const removed = this.heap.length - kept.length;
    if (removed === 0) return 0;
    this.heap.length = 0;
    for (const task of kept) this.push(task);
    return removed;
  }

  /** Every task, in no particular order (for dumps). */
  values(): readonly ScheduledTask[] {
    return this.heap;
  }
}
