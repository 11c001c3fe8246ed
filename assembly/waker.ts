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
//
// Incarnations. A pool slot is reused by later spawns, each with a new task id, and a waker
// can outlive the task that cloned it. So that the trace charges it to the task that cloned
// it (not to whichever task holds the slot by then), a clone carries the slot's generation
// (1..7, advanced when a task of the slot finishes; see task.ts and WakerTag) in the low
// three bits of its pointer (headers are 8-aligned): still four bytes. The header's own
// pointer (tag 0: the waker a poll lends in its Context) always means the slot's current
// task. Every use of a waker's task goes through `taskOf`, which strips the tag; compare
// wakers with `willWake`, never with `===`. A waker kept across seven respawns of its slot
// comes round to the tag of a newer task: the trace engine then tells them apart by which
// task of the slot still holds live clones (src/trace/engine/engine.ts, "Whose waker").
//
// A wake through a waker of an earlier task of the slot does what Embassy's does (its waker
// is the bare task pointer): it wakes the task that holds the slot now, a spurious wake every
// future must tolerate, recorded as an ordinary wake of that task. `willWake` says such a
// waker would not wake the current task (Rust allows it a false negative), so the futures
// that refresh their waker (`cloneFrom`) replace it; a WakerRegistration swaps it without a
// wake (`displace`), so its behaviour is Embassy's, whose `will_wake` keeps the old one.
import { emit } from "./trace/ring";
import { TraceEvent, WakerTag } from "../abi/trace-events";
import { TaskHeader } from "./executor/task";
import { wakeTask } from "./executor/executor";

/** The low bits of a waker's pointer that hold its incarnation's generation (0: the header's own pointer). */
// @ts-ignore: decorator
@inline const TAG: usize = WakerTag.Mask;

/** The task header behind a waker (its pointer without the incarnation tag). */
// @ts-ignore: decorator
@inline export function taskOf(w: Waker): TaskHeader {
  return changetype<TaskHeader>(changetype<usize>(w) & ~TAG);
}

/** The waker as its incarnation's clones carry it: tagged with the generation it belongs to. */
// @ts-ignore: decorator
@inline function tagged(w: Waker): usize {
  const p = changetype<usize>(w);
  if ((p & TAG) != 0) return p;
  return p | <usize>((changetype<TaskHeader>(p).state >> WakerTag.GenerationShift) & <u32>TAG);
}

/**
 * Record a clone or drop of `w` (nothing for the no-op waker): the slot's task, its state word
 * (the slot's generation now) and `w` as it is (tagged, or the header's own pointer). The
 * host's trace engine tells from them which task `w` belongs to, and records that one.
 * A clone gets `w` tagged back: one out-of-line body for both keeps `clone` small enough for
 * the poll functions that call it to stay inlined in the executor's loop.
 */
function traceWaker(kind: TraceEvent, w: Waker): usize {
  const task = taskOf(w);
  const id = task.id;
  if (id != 0) emit(kind, id, task.state, <u32>changetype<usize>(w), 0);
  return kind == TraceEvent.WakerClone ? tagged(w) : 0; // (where only drop calls it, inlined, the tag is never computed)
}

/** A handle that can make its task runnable again. */
@unmanaged
export class Waker {
  /** The task this waker wakes (the slot's current one); 0 for the no-op waker. */
  get taskId(): u32 {
    return taskOf(this).id;
  }

  /** Wake the task, keeping this waker (Rust's `wake_by_ref`). Inlined: a self-wake is the hot path of a busy task. */
  // @ts-ignore: decorator
  @inline wakeByRef(): void {
    const task = taskOf(this);
    if (task.id != 0) wakeTask(task); // the no-op waker's id is 0
  }

  /** Wake the task and give this waker up (Rust's `wake(self)`). */
  wake(): void {
    this.wakeByRef();
    this.drop();
  }

  /**
   * Another handle to the same task; store clones, never the borrowed `cx.waker`. A clone
   * is tagged with its incarnation: compare wakers with `willWake`, never with `===`.
   */
  clone(): Waker {
    return changetype<Waker>(traceWaker(TraceEvent.WakerClone, this));
  }

  /** Give this handle up (what Rust's Drop does). */
  drop(): void {
    traceWaker(TraceEvent.WakerDrop, this);
  }

  /**
   * True if waking `other` would wake the same task (Rust's `will_wake`): the same slot and
   * the same incarnation, so a waker kept from an earlier task of the slot is replaced.
   */
  willWake(other: Waker | null): bool {
    return other !== null && tagged(this) == tagged(other);
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
   * Give up `old`, which `by` replaces in a one-waiter slot: wake it if it is another task's,
   * so that task can register again instead of hanging; just drop it if it is a waker of an
   * earlier task of `by`'s own pool slot, which could only wake `by`'s task (Embassy's
   * `will_wake` calls the two the same and keeps the old one: no wake either way).
   */
  static displace(old: Waker, by: Waker): void {
    if (taskOf(old) === taskOf(by)) old.drop();
    else old.wake();
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
    if (old !== null) Waker.displace(old, w);
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
