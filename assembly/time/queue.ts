// The timer queue: a min-heap of tasks keyed by (deadline, task id), one entry per task
// holding its earliest deadline (Embassy's integrated queue keeps one entry per task too,
// but scans all of them on every alarm; the heap makes each operation O(log n)).
//
// The keys live in the heap itself, in two parallel arrays: the deadlines, and the keys
// (task id in the high half, the header's address in the low half). Comparing entries never
// touches a task header, and a sift mostly reads the deadlines alone (the ids only break
// ties), so its chain of dependent loads runs through one small contiguous array, whatever
// the number of tasks. Only a moved task's `timerIndex` is written back (a store, off that
// chain). The deadline lives only here.
//
// The heap is 8-ary: a node's eight children's deadlines are 64 bytes side by side (one
// cache line), and there are a third of a binary heap's levels: at 100 k tasks a sift
// descends 6 levels, of which only the last one or two miss the cache.
import { TaskHeader } from "../executor/task";

// @ts-ignore: decorator
@inline const ARITY_SHIFT: i32 = 3;
// @ts-ignore: decorator
@inline const ARITY: i32 = 1 << ARITY_SHIFT;

export class TimerQueue {
  /** Entry i's deadline. */
  private deadlines: StaticArray<u64> = new StaticArray<u64>(32);
  /** Entry i's (id << 32 | header address). */
  private keys: StaticArray<u64> = new StaticArray<u64>(32);
  private count: i32 = 0;
  /** The deadline of the task `popExpired` returned last. */
  lastDeadline: u64 = 0;

  get length(): i32 {
    return this.count;
  }

  /** The earliest deadline, or u64.MAX when nothing waits. */
  nextExpiration(): u64 {
    return this.count == 0 ? u64.MAX_VALUE : unchecked(this.deadlines[0]);
  }

  /**
   * Make `task` wait until `at`, keeping the earlier deadline if it already waits.
   * Returns true if the task's entry is new or moved earlier.
   */
  schedule(task: TaskHeader, at: u64): bool {
    const key = (<u64>task.id << 32) | <u64>changetype<usize>(task);
    const i = task.timerIndex;
    if (i >= 0) {
      if (at >= unchecked(this.deadlines[i])) return false;
      this.siftUp(i, at, key);
      return true;
    }
    if (this.count == this.deadlines.length) this.grow();
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
    const deadline = unchecked(this.deadlines[last]);
    const key = unchecked(this.keys[last]);
    const parent = (i - 1) >> ARITY_SHIFT;
    if (i > 0 && before(deadline, key, unchecked(this.deadlines[parent]), unchecked(this.keys[parent]))) {
      this.siftUp(i, deadline, key);
    } else {
      this.siftDown(i, deadline, key);
    }
  }

  /** The deadline `task` waits for (it must be in the queue). */
  deadlineOf(task: TaskHeader): u64 {
    return unchecked(this.deadlines[task.timerIndex]);
  }

  /** Remove and return the earliest task if its deadline is at or before `now`. */
  popExpired(now: u64): TaskHeader | null {
    if (this.count == 0) return null;
    const deadline = unchecked(this.deadlines[0]);
    if (deadline > now) return null;
    this.lastDeadline = deadline;
    const first = taskOf(unchecked(this.keys[0]));
    first.timerIndex = -1;
    const last = --this.count;
    if (last > 0) this.siftDown(0, unchecked(this.deadlines[last]), unchecked(this.keys[last]));
    return first;
  }

  private grow(): void {
    const n = this.count;
    const deadlines = new StaticArray<u64>(n << 1);
    const keys = new StaticArray<u64>(n << 1);
    memory.copy(changetype<usize>(deadlines), changetype<usize>(this.deadlines), <usize>n << 3);
    memory.copy(changetype<usize>(keys), changetype<usize>(this.keys), <usize>n << 3);
    this.deadlines = deadlines;
    this.keys = keys;
  }

  /** Put the entry (deadline, key) at `i`, or above it while it is earlier than its parent. */
  private siftUp(i: i32, deadline: u64, key: u64): void {
    const deadlines = this.deadlines;
    const keys = this.keys;
    while (i > 0) {
      const parent = (i - 1) >> ARITY_SHIFT;
      const pd = unchecked(deadlines[parent]);
      if (deadline > pd) break;
      const pk = unchecked(keys[parent]);
      if (deadline == pd && key > pk) break;
      place(deadlines, keys, i, pd, pk);
      i = parent;
    }
    place(deadlines, keys, i, deadline, key);
  }

  /** Put the entry (deadline, key) at `i`, or below it while a child is earlier. */
  private siftDown(i: i32, deadline: u64, key: u64): void {
    const deadlines = this.deadlines;
    const keys = this.keys;
    const n = this.count;
    while (true) {
      const first = (i << ARITY_SHIFT) + 1;
      if (first >= n) break;
      // The earliest of the (up to) eight children: by deadline, the id only on a tie.
      let child = first;
      let cd = unchecked(deadlines[first]);
      const end = min(first + ARITY, n);
      for (let c = first + 1; c < end; c++) {
        const d = unchecked(deadlines[c]);
        if (d < cd || (d == cd && unchecked(keys[c]) < unchecked(keys[child]))) {
          child = c;
          cd = d;
        }
      }
      if (cd > deadline) break;
      const ck = unchecked(keys[child]);
      if (cd == deadline && ck > key) break;
      place(deadlines, keys, i, cd, ck);
      i = child;
    }
    place(deadlines, keys, i, deadline, key);
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
@inline function place(deadlines: StaticArray<u64>, keys: StaticArray<u64>, i: i32, deadline: u64, key: u64): void {
  unchecked((deadlines[i] = deadline));
  unchecked((keys[i] = key));
  taskOf(key).timerIndex = i;
}
