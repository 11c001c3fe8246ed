// A task: the header the executor keeps for one spawned future, living in a fixed pool.
//
// The header is also the task's Waker (a waker is a pointer to its task, as in Embassy), so a
// task costs exactly one object beyond its future: no separate Context, Waker or timer entry.
//
//   state bits (Embassy's):   SPAWNED    the slot holds a live task
//                             RUN_QUEUED the task is in a run queue (a wake since its last poll)
//
//        spawn            wake              poll: Pending         poll: Ready
//   Free ─────▶ Queued ◀────────── Idle ◀────────────── Queued ──────────────▶ Free
//                 (SPAWNED|RUN_QUEUED)  (SPAWNED)                     (slot back in the pool)
import { Waker } from "../waker";
import { AnyFuture } from "../future";
import { Executor, wakeTask } from "./executor";

export const SPAWNED: u32 = 1;
export const RUN_QUEUED: u32 = 2;

export class TaskHeader extends Waker {
  state: u32 = 0;
  /** Unique per spawn (a reused slot gets a new id); 0 until the slot is first used. */
  id: u32 = 0;
  /** Position in the timer queue's heap, -1 when not waiting on time. */
  timerIndex: i32 = -1;
  /** The earliest deadline this task waits for (valid while timerIndex >= 0). */
  deadline: u64 = 0;
  future: AnyFuture | null = null;
  /** Link in a run queue, or in the pool's free list. */
  next: TaskHeader | null = null;
  executor: Executor | null = null;
  /** Who awaits this task's JoinHandle. */
  joinWaker: Waker | null = null;

  constructor(public pool: TaskPool) {
    super();
  }

  get taskId(): u32 {
    return this.id;
  }

  wakeByRef(): void {
    wakeTask(this);
  }
}

/**
 * A fixed number of task slots, allocated once (Embassy's `pool_size`): spawning never
 * allocates a header, and a full pool refuses with SpawnError.Busy. The pool's name is
 * the task's name in traces.
 */
export class TaskPool {
  private freeHead: TaskHeader | null = null;
  private used: i32 = 0;

  constructor(public readonly name: string, public readonly capacity: i32) {
    if (capacity <= 0) throw new Error("task pool '" + name + "' needs a capacity of at least 1");
    for (let i = 0; i < capacity; i++) {
      const t = new TaskHeader(this);
      t.next = this.freeHead;
      this.freeHead = t;
    }
  }

  /** Live tasks in this pool. */
  get inUse(): i32 {
    return this.used;
  }

  /** Take a free slot, or null when the pool is full. */
  claim(): TaskHeader | null {
    const t = this.freeHead;
    if (t === null) return null;
    this.freeHead = t.next;
    t.next = null;
    this.used++;
    return t;
  }

  /**
   * Give a finished task's slot back. The header keeps its id until the slot is reused, so
   * a late wake through a stale waker is still recorded against the task it was for.
   */
  release(t: TaskHeader): void {
    t.future = null;
    t.executor = null;
    t.joinWaker = null;
    t.next = this.freeHead;
    this.freeHead = t;
    this.used--;
  }
}
