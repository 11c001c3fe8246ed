// The timer queue: a min-heap of tasks keyed by (deadline, task id), one entry per task
// holding its earliest deadline (Embassy's integrated queue keeps one entry per task too,
// but scans all of them on every alarm; the heap makes each operation O(log n)).
//
// The keys live in the heap itself: each entry is a deadline and a key (task id in the
// high half, the header's address in the low half). Comparing entries never touches a task
// header, and a sift mostly reads deadlines alone (the ids only break ties). Only a moved
// task's `timerIndex` is written back (a store, off the chain of dependent loads). The
// deadline lives only here.
//
// The heap is 8-ary, laid out for the cache: the eight children of a node have their
// eight deadlines side by side in one aligned 64-byte cache line (and their keys in one line
// of the keys' half). A sift that descends a level reads one line of deadlines; with 100 k
// tasks the heap leaves the L2 cache, and the lower levels cost one miss each instead of
// two (children straddling two lines).
//
//   entry j sits at slot j + 7: the root alone in the first line, at its end;
//   the children of entry i are the entries 8i+1 .. 8i+8: slots 8(i+1) .. 8(i+1)+7, one line
//   storage: [deadline of slot 0 .. capacity+7)[key of slot 0 .. capacity+7), aligned to 64
import { TaskHeader } from "../executor/task";

// @ts-ignore: decorator
@inline const ARITY_SHIFT: i32 = 3;
// @ts-ignore: decorator
@inline const ARITY: i32 = 1 << ARITY_SHIFT;
// @ts-ignore: decorator
@inline const LINE: usize = 64;

export class TimerQueue {
  /** The block the slots live in (held so the collector keeps it; they are reached through `base`, aligned to LINE inside it). */
  private storage!: StaticArray<u64>;
  /** Address of slot 0's deadline. */
  private base: usize = 0;
  /** Bytes from a slot's deadline to its key. */
  private keys: usize = 0;
  /** Entries there is room for. */
  private capacity: i32 = 0;
  private count: i32 = 0;
  /** The deadline of the task `popExpired` returned last. */
  lastDeadline: u64 = 0;

  constructor() {
    this.grow(8);
  }

  get length(): i32 {
    return this.count;
  }

  /** The earliest deadline, or u64.MAX when nothing waits. */
  nextExpiration(): u64 {
    return this.count == 0 ? u64.MAX_VALUE : load<u64>(slot(this.base, 0));
  }

  /**
   * Make `task` wait until `at`, keeping the earlier deadline if it already waits.
   * Returns true if the task's entry is new or moved earlier.
   */
  schedule(task: TaskHeader, at: u64): bool {
    const key = (<u64>task.id << 32) | <u64>changetype<usize>(task);
    const i = task.timerIndex;
    if (i >= 0) {
      if (at >= load<u64>(slot(this.base, i))) return false;
      this.siftUp(i, at, key);
      return true;
    }
    if (this.count == this.capacity) this.grow(this.capacity << 1);
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
    // The last entry fills the hole, then moves down or (if it did not) up to where it belongs.
    const at = slot(this.base, last);
    const key = load<u64>(at + this.keys);
    const deadline = load<u64>(at);
    this.siftDown(i, deadline, key);
    this.siftUp(taskOf(key).timerIndex, deadline, key);
  }

  /** The deadline `task` waits for (it must be in the queue). */
  deadlineOf(task: TaskHeader): u64 {
    return load<u64>(slot(this.base, task.timerIndex));
  }

  /** Remove and return the earliest task if its deadline is at or before `now`. */
  popExpired(now: u64): TaskHeader | null {
    if (this.count == 0) return null;
    const root = slot(this.base, 0);
    const deadline = load<u64>(root);
    if (deadline > now) return null;
    this.lastDeadline = deadline;
    const first = taskOf(load<u64>(root + this.keys));
    first.timerIndex = -1;
    const last = --this.count;
    if (last > 0) {
      const at = slot(this.base, last);
      this.siftDown(0, load<u64>(at), load<u64>(at + this.keys));
    }
    return first;
  }

  /** Room for `entries` (a multiple of 8), keeping the entries there are. */
  private grow(entries: i32): void {
    const bytes = <usize>(entries + ARITY) << 3;
    // A line more than needed, to align the start inside it.
    const storage = new StaticArray<u64>(<i32>((bytes << 1) + LINE) >> 3);
    const base = (changetype<usize>(storage) + LINE - 1) & ~(LINE - 1);
    // The first time (no block yet) this copies a line from address 0 into unused slots:
    // harmless, and 13 bytes less code than testing for it.
    const used = <usize>(this.count + ARITY) << 3;
    memory.copy(base, this.base, used);
    memory.copy(base + bytes, this.base + this.keys, used);
    this.storage = storage;
    this.base = base;
    this.keys = bytes;
    this.capacity = entries;
  }

  /** Put the entry (deadline, key) at `i`, or above it while it is earlier than its parent. */
  private siftUp(i: i32, deadline: u64, key: u64): void {
    const base = this.base;
    const keys = this.keys;
    while (i > 0) {
      const parent = (i - 1) >> ARITY_SHIFT;
      const at = slot(base, parent);
      const pd = load<u64>(at);
      if (deadline > pd) break;
      const pk = load<u64>(at + keys);
      if (deadline == pd && key > pk) break;
      place(base, keys, i, pd, pk);
      i = parent;
    }
    place(base, keys, i, deadline, key);
  }

  /** Put the entry (deadline, key) at `i`, or below it while a child is earlier. */
  private siftDown(i: i32, deadline: u64, key: u64): void {
    const base = this.base;
    const keys = this.keys;
    const n = this.count;
    while (true) {
      const first = (i << ARITY_SHIFT) + 1;
      if (first >= n) break;
      // The earliest of the (up to) eight children, one line: by deadline, the id only on a tie.
      let child = slot(base, first);
      let cd = load<u64>(child);
      const end = slot(base, min(first + ARITY, n));
      for (let at = child + 8; at < end; at += 8) {
        const d = load<u64>(at);
        if (d < cd || (d == cd && load<u64>(at + keys) < load<u64>(child + keys))) {
          child = at;
          cd = d;
        }
      }
      if (cd > deadline) break;
      const ck = load<u64>(child + keys);
      if (cd == deadline && ck > key) break;
      const c = <i32>((child - base) >> 3) - 7;
      place(base, keys, i, cd, ck);
      i = c;
    }
    place(base, keys, i, deadline, key);
  }
}

/** Address of entry `j`'s deadline (its key is `keys` bytes further). */
// @ts-ignore: decorator
@inline function slot(base: usize, j: i32): usize {
  return base + (<usize>(j + 7) << 3);
}

// @ts-ignore: decorator
@inline function taskOf(key: u64): TaskHeader {
  return changetype<TaskHeader>(<usize>(<u32>key));
}

// @ts-ignore: decorator
@inline function place(base: usize, keys: usize, i: i32, deadline: u64, key: u64): void {
  const at = slot(base, i);
  store<u64>(at, deadline);
  store<u64>(at + keys, key);
  taskOf(key).timerIndex = i;
}
