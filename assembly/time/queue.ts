// The timer queue: a binary min-heap of tasks keyed by (deadline, task id), one entry per
// task holding its earliest deadline (Embassy's integrated queue keeps one entry per task
// too, but scans all of them on every alarm; the heap makes each operation O(log n)).
import { TaskHeader } from "../executor/task";

export class TimerQueue {
  private readonly heap: Array<TaskHeader> = new Array<TaskHeader>();

  get length(): i32 {
    return this.heap.length;
  }

  /** The earliest deadline, or u64.MAX when nothing waits. */
  nextExpiration(): u64 {
    return this.heap.length == 0 ? u64.MAX_VALUE : unchecked(this.heap[0]).deadline;
  }

  /**
   * Make `task` wait until `at`, keeping the earlier deadline if it already waits.
   * Returns true if the task's entry is new or moved earlier.
   */
  schedule(task: TaskHeader, at: u64): bool {
    if (task.timerIndex >= 0) {
      if (at >= task.deadline) return false;
      task.deadline = at;
      this.siftUp(task.timerIndex);
      return true;
    }
    task.deadline = at;
    task.timerIndex = this.heap.length;
    this.heap.push(task);
    this.siftUp(task.timerIndex);
    return true;
  }

  /** Take `task` out of the queue, wherever it is. */
  remove(task: TaskHeader): void {
    const i = task.timerIndex;
    if (i < 0) return;
    task.timerIndex = -1;
    const last = this.heap.pop();
    if (i < this.heap.length) {
      this.place(last, i);
      this.siftDown(i);
      this.siftUp(last.timerIndex);
    }
  }

  /** Remove and return the earliest task if its deadline is at or before `now`. */
  popExpired(now: u64): TaskHeader | null {
    if (this.heap.length == 0) return null;
    const first = unchecked(this.heap[0]);
    if (first.deadline > now) return null;
    this.remove(first);
    return first;
  }

  @inline private less(a: TaskHeader, b: TaskHeader): bool {
    return a.deadline < b.deadline || (a.deadline == b.deadline && a.id < b.id);
  }

  @inline private place(t: TaskHeader, i: i32): void {
    unchecked((this.heap[i] = t));
    t.timerIndex = i;
  }

  private siftUp(i: i32): void {
    const heap = this.heap;
    const t = unchecked(heap[i]);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = unchecked(heap[parent]);
      if (!this.less(t, p)) break;
      this.place(p, i);
      i = parent;
    }
    this.place(t, i);
  }

  private siftDown(i: i32): void {
    const heap = this.heap;
    const n = heap.length;
    const t = unchecked(heap[i]);
    while (true) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(unchecked(heap[child + 1]), unchecked(heap[child]))) child++;
      const c = unchecked(heap[child]);
      if (!this.less(c, t)) break;
      this.place(c, i);
      i = child;
    }
    this.place(t, i);
  }
}
