// The timer queue: a min-heap of tasks keyed by (deadline, task id), one entry per task
// holding its earliest deadline (Embassy's integrated queue keeps one entry per task too,
// but scans all of them on every alarm; the heap makes each operation O(log n)).
//
// The heap is 4-ary: half the levels of a binary heap, and a node's four children sit side
// by side (64 bytes, about one cache line), so at 100 k tasks a sift misses the cache about
// half as often.
//
// The keys live in the heap itself, two 64-bit words per entry: the deadline, then the task
// id (high half) and the header's address (low half). Comparing entries never touches a
// task header, so a sift reads one small contiguous array, whatever the number of tasks;
// only a moved task's `timerIndex` is written back. The deadline lives only here.
import { TaskHeader } from "../executor/task";

export class TimerQueue {
  /** Entry i: deadline at 2i, (id << 32 | header address) at 2i + 1. */
  private words: StaticArray<u64> = new StaticArray<u64>(32);
  private count: i32 = 0;
  /** The deadline of the task `popExpired` returned last. */
  lastDeadline: u64 = 0;

  get length(): i32 {
    return this.count;
  }

  /** The earliest deadline, or u64.MAX when nothing waits. */
  nextExpiration(): u64 {
    return this.count == 0 ? u64.MAX_VALUE : unchecked(this.words[0]);
  }

  /**
   * Make `task` wait until `at`, keeping the earlier deadline if it already waits.
   * Returns true if the task's entry is new or moved earlier.
   */
  schedule(task: TaskHeader, at: u64): bool {
    const key = (<u64>task.id << 32) | <u64>changetype<usize>(task);
    const i = task.timerIndex;
    if (i >= 0) {
      if (at >= unchecked(this.words[i << 1])) return false;
      this.siftUp(i, at, key);
      return true;
    }
    if ((this.count + 1) << 1 > this.words.length) this.grow();
    this.siftUp(this.count++, at, key);
    return true;
  }

  /** Take `task` out of the queue, wherever it is. */
  remove(task: TaskHeader): void {
    const i = task.timerIndex;
    if (i < 0) return;
    task.timerIndex = -1;
    const last = --this.count;
    if (i == last) return;
    // The last entry fills the hole, then moves up or down to where it belongs.
    const words = this.words;
    const deadline = unchecked(words[last << 1]);
    const key = unchecked(words[(last << 1) + 1]);
    const parent = (i - 1) >> 2;
    if (i > 0 && before(deadline, key, unchecked(words[parent << 1]), unchecked(words[(parent << 1) + 1]))) {
      this.siftUp(i, deadline, key);
    } else {
      this.siftDown(i, deadline, key);
    }
  }

  /** The deadline `task` waits for (it must be in the queue). */
  deadlineOf(task: TaskHeader): u64 {
    return unchecked(this.words[task.timerIndex << 1]);
  }

  /** Remove and return the earliest task if its deadline is at or before `now`. */
  popExpired(now: u64): TaskHeader | null {
    if (this.count == 0 || unchecked(this.words[0]) > now) return null;
    this.lastDeadline = unchecked(this.words[0]);
    const first = taskOf(unchecked(this.words[1]));
    this.remove(first);
    return first;
  }

  private grow(): void {
    const bigger = new StaticArray<u64>(this.words.length << 1);
    memory.copy(changetype<usize>(bigger), changetype<usize>(this.words), <usize>this.count << 4);
    this.words = bigger;
  }

  /** Put the entry (deadline, key) at `i`, or above it while it is earlier than its parent. */
  private siftUp(i: i32, deadline: u64, key: u64): void {
    const words = this.words;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pd = unchecked(words[parent << 1]);
      const pk = unchecked(words[(parent << 1) + 1]);
      if (!before(deadline, key, pd, pk)) break;
      place(words, i, pd, pk);
      i = parent;
    }
    place(words, i, deadline, key);
  }

  /** Put the entry (deadline, key) at `i`, or below it while a child is earlier. */
  private siftDown(i: i32, deadline: u64, key: u64): void {
    const words = this.words;
    const n = this.count;
    while (true) {
      const first = 4 * i + 1;
      if (first >= n) break;
      // The earliest of the (up to) four children.
      let child = first;
      let cd = unchecked(words[first << 1]);
      let ck = unchecked(words[(first << 1) + 1]);
      const end = min(first + 4, n);
      for (let c = first + 1; c < end; c++) {
        const d = unchecked(words[c << 1]);
        const k = unchecked(words[(c << 1) + 1]);
        if (before(d, k, cd, ck)) {
          child = c;
          cd = d;
          ck = k;
        }
      }
      if (!before(cd, ck, deadline, key)) break;
      place(words, i, cd, ck);
      i = child;
    }
    place(words, i, deadline, key);
  }
}

/** (deadline, id) order: the id (high half of the key) breaks ties, so the order is total. */
// @ts-ignore: decorator
@inline function before(d1: u64, k1: u64, d2: u64, k2: u64): bool {
  return d1 < d2 || (d1 == d2 && k1 < k2);
}

// @ts-ignore: decorator
@inline function taskOf(key: u64): TaskHeader {
  return changetype<TaskHeader>(<usize>(<u32>key));
}

// @ts-ignore: decorator
@inline function place(words: StaticArray<u64>, i: i32, deadline: u64, key: u64): void {
  unchecked((words[i << 1] = deadline));
  unchecked((words[(i << 1) + 1] = key));
  taskOf(key).timerIndex = i;
}
