// Waker, Context and WakerRegistration.
//
// As in Embassy, a waker is nothing but a pointer to a task: the task's header *is* its
// waker (Embassy's RawWaker carries the task pointer as data, with one static vtable).
// So cloning copies a reference and dropping forgets it; both only count, in the trace,
// how many wakers of the task are alive (tokio-console's "live wakers"), which is what
// tells a lost waker from a sleeping task.
//
// Task headers live in their pools' storage, not on the heap (see executor/task.ts), so a
// Waker is an unmanaged reference: storing one costs four bytes and nothing for the GC.
import { emit } from "./trace/ring";
import { TraceEvent } from "./trace/events";
import { TaskHeader } from "./executor/task";
import { wakeTask } from "./executor/executor";

/** A handle that can make its task runnable again. */
@unmanaged
export class Waker {
  /** The task this waker wakes; 0 for the no-op waker. */
  get taskId(): u32 {
    return changetype<TaskHeader>(this).id;
  }

  /** Wake the task, keeping this waker (Rust's `wake_by_ref`). */
  wakeByRef(): void {
    const task = changetype<TaskHeader>(this);
    if (task.id != 0) wakeTask(task); // the no-op waker's id is 0
  }

  /** Wake the task and give this waker up (Rust's `wake(self)`). */
  wake(): void {
    this.wakeByRef();
    this.drop();
  }

  /** Another handle to the same task; store clones, never the borrowed `cx.waker`. */
  clone(): Waker {
    const id = this.taskId;
    if (id != 0) emit(TraceEvent.WakerClone, id, 0, 0, 0);
    return this;
  }

  /** Give this handle up (what Rust's Drop does). */
  drop(): void {
    const id = this.taskId;
    if (id != 0) emit(TraceEvent.WakerDrop, id, 0, 0, 0);
  }

  /** True if waking `other` would wake the same task (Rust's `will_wake`). */
  willWake(other: Waker | null): bool {
    return this === other;
  }

  /**
   * The waker to keep after a poll: `current` if it wakes the same task as `stored`,
   * otherwise a fresh clone of `current` (Rust's `clone_from`, which skips the clone
   * when `will_wake` says they match). The old one is dropped.
   */
  static cloneFrom(stored: Waker | null, current: Waker): Waker {
    if (stored !== null) {
      if (stored.willWake(current)) return stored;
      stored.drop();
    }
    return current.clone();
  }

  /**
   * A waker that does nothing (what `block_on` polls with): one header-sized block of zeros
   * in static memory (this call site's data), a task with id 0 that no wake reaches.
   */
  static noop(): Waker {
    return changetype<Waker>(memory.data(24, 8)); // HEADER_SIZE (a literal: waker.ts is initialized first)
  }
}

/** What a poll receives: today only the waker, as in Rust's `Context`. */
export class Context {
  constructor(public waker: Waker) {}
}

/**
 * A slot for one waiter's waker (Embassy's WakerRegistration). Registering the waker of
 * another task wakes the one it replaces, so that waiter can re-register instead of
 * hanging; registering the same task again costs nothing.
 */
export class WakerRegistration {
  private waker: Waker | null = null;

  register(w: Waker): void {
    const old = this.waker;
    if (old !== null && old.willWake(w)) return;
    emit(TraceEvent.WakerRegister, w.taskId, old !== null ? 1 : 0, 0, 0);
    if (old !== null) old.wake();
    this.waker = w.clone();
  }

  /** Wake the registered waiter, if any, and empty the slot. */
  wake(): void {
    const w = this.waker;
    if (w === null) return;
    this.waker = null;
    w.wake();
  }

  get occupied(): bool {
    return this.waker !== null;
  }
}
