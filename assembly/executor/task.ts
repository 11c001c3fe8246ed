// A task: the header the executor keeps for one spawned future, living in a fixed pool.
//
// The header is also the task's Waker (a waker is a pointer to its task, as in Embassy), so a
// task costs its future plus one 24-byte header: no separate Context, Waker or timer entry.
// Headers are not heap objects: a pool allocates all of its headers as one block when it is
// created (Embassy's static task storage), so a header carries no allocator or GC header.
// A live task's future is pinned (the runtime keeps pinned objects, and what they reference,
// alive), so keeping it costs no memory either: the pin only relinks the object's GC header.
//
//   state bits (Embassy's):   SPAWNED    the slot holds a live task
//                             RUN_QUEUED the task is in a run queue (a wake since its last poll)
//   and ours:                 JOINED     a JoinHandle waits for the task (see join-handle.ts)
//   bits 3..5:   the slot's generation (1..7, advanced when a task of the slot finishes), so
//                a cloned waker can say which incarnation of the slot it belongs to (waker.ts).
//   bits 16..31: the pool's number, so a finished task finds its pool without a pointer.
//
// The state changes only through the transitions below (Embassy's names), one per arrow:
//
//         1              2                   3                    4
//   Free ───▶ Queued ◀────────── Idle ◀───────────── Queued ──────────────▶ Free
//              (SPAWNED|RUN_QUEUED)  (SPAWNED)         │             (slot back in the pool)
//                                                      │ 5
//                                                      ▼
//                      Exited, still queued (RUN_QUEUED) ──6──▶ Free
//
//   1: spawned: `TaskPool.claim` → `spawn` → `runEnqueue`      (Spawner.start)
//   2: woken: `runEnqueue`                                       (wakeTask)
//   3: polled, Pending: `runDequeue` before the poll             (Executor.run)
//   4: polled, Ready, not woken meanwhile: `despawn` → `TaskPool.release`
//   5: polled, Ready, woken during the poll: `despawn` (it stays queued)
//   6: dequeued without a poll: `runDequeue` → `TaskPool.release` (Embassy's `poll_exited`)
//
// A task that wakes itself (or is woken) during the poll that finishes it is still linked
// in the next batch. As in Embassy (its `poll_exited`), its future is dropped at once but the
// slot stays out of the pool until the executor dequeues it, without polling it: a spawn
// into a full pool meanwhile is refused (Busy), exactly as Embassy's `claim` is.
import { Waker } from "../waker";
import { AnyFuture } from "../future";
import { Executor } from "./executor";
import { WakerTag } from "../../abi/trace-events";

export const SPAWNED: u32 = 1;
export const RUN_QUEUED: u32 = 2;
export const JOINED: u32 = 4;
/** Where `state` keeps the slot's generation: 1..7, the range of a waker's tag (WakerTag). */
// @ts-ignore: decorator
@inline const GENERATION_SHIFT: u32 = WakerTag.GenerationShift;
// @ts-ignore: decorator
@inline const GENERATION_BITS: u32 = <u32>WakerTag.Mask << GENERATION_SHIFT;
/** The bits of `state` that survive spawn and finish: the pool's number and the slot's generation. */
export const POOL_BITS: u32 = 0xffff_0000 | GENERATION_BITS;
// @ts-ignore: decorator
@inline const POOL_SHIFT: u32 = 16;

/** Bytes of one header in a pool's block (the fields below). */
// @ts-ignore: decorator
@inline export const HEADER_SIZE: usize = 24;

@unmanaged
export class TaskHeader extends Waker {
  /** Unique per spawn (a reused slot gets a new id); 0 until the slot is first used. */
  id: u32;
  /** SPAWNED, RUN_QUEUED, JOINED, and the pool's number in the high half. */
  state: u32;
  /** Position in the timer queue's heap (which holds the deadline), -1 when not waiting on time. */
  timerIndex: i32;
  /** The spawned future (pinned while the task lives). */
  future: AnyFuture | null;
  /** Link in a run queue, or in the pool's free list. */
  next: TaskHeader | null;
  executor: Executor | null;

  /** The pool this header belongs to. */
  get pool(): TaskPool {
    return unchecked(pools[<i32>(this.state >> POOL_SHIFT)])!;
  }

  /** The slot holds a live task (its future has not returned Ready). */
  // @ts-ignore: decorator
  @inline get spawned(): bool {
    return (this.state & SPAWNED) != 0;
  }

  /** A JoinHandle waits for this task. */
  // @ts-ignore: decorator
  @inline get joined(): bool {
    return (this.state & JOINED) != 0;
  }

  /** Transition 1: a claimed slot becomes a live task (not queued yet: `runEnqueue` does that). */
  // @ts-ignore: decorator
  @inline spawn(): void {
    this.state = (this.state & POOL_BITS) | SPAWNED;
  }

  /**
   * Transitions 1 and 2: mark a live task as queued. True if the caller must put it in its
   * executor's run queue; false if it is queued already (wakes collapse) or has finished.
   */
  // @ts-ignore: decorator
  @inline runEnqueue(): bool {
    const state = this.state;
    if ((state & (SPAWNED | RUN_QUEUED)) != SPAWNED) return false;
    this.state = state | RUN_QUEUED;
    return true;
  }

  /** Transitions 3 and 6: the executor took the task off its run queue. */
  // @ts-ignore: decorator
  @inline runDequeue(): void {
    this.state &= ~RUN_QUEUED;
  }

  /**
   * Transitions 4 and 5: the task returned Ready. It is no longer live nor joined; returns
   * true if it is still queued (woken during that poll: the slot is released at transition 6).
   */
  // @ts-ignore: decorator
  @inline despawn(): bool {
    const queued = this.state & RUN_QUEUED;
    this.state = (this.state & POOL_BITS) | queued;
    return queued != 0;
  }

  /** A JoinHandle starts waiting for this task. */
  // @ts-ignore: decorator
  @inline markJoined(): void {
    this.state |= JOINED;
  }
}

/**
 * Every pool ever made, by number: pools are static storage, they live as long as the
 * firmware. (A StaticArray grown by hand: Array's growth code would cost every firmware.)
 */
let pools = new StaticArray<TaskPool | null>(4);
let poolCount: i32 = 0;

function registerPool(pool: TaskPool): void {
  if (poolCount == pools.length) {
    const bigger = new StaticArray<TaskPool | null>(poolCount * 2);
    memory.copy(changetype<usize>(bigger), changetype<usize>(pools), <usize>poolCount << alignof<usize>());
    pools = bigger;
  }
  unchecked((pools[poolCount++] = pool));
}

/**
 * A fixed number of task slots, allocated once (Embassy's `pool_size`): spawning never
 * allocates a header, and a full pool refuses with SpawnError.Busy. The pool's name is
 * the task's name in traces.
 */
export class TaskPool {
  private freeHead: TaskHeader | null = null;
  private used: i32 = 0;
  /** The headers, HEADER_SIZE bytes each, in one block that is never freed. */
  private readonly headers: usize;

  constructor(public readonly name: string, public readonly capacity: i32) {
    if (capacity <= 0) throw new Error("task pool '" + name + "' needs a capacity of at least 1");
    assert(offsetof<TaskHeader>() <= HEADER_SIZE);
    if (poolCount > <i32>(POOL_BITS >> POOL_SHIFT)) throw new Error("too many task pools (at most 65536)");
    const number = <u32>poolCount;
    const bytes = <usize>capacity * HEADER_SIZE;
    this.headers = heap.alloc(bytes);
    memory.fill(this.headers, 0, bytes);
    registerPool(this);
    for (let i = capacity - 1; i >= 0; i--) {
      const t = changetype<TaskHeader>(this.headers + <usize>i * HEADER_SIZE);
      t.state = (number << POOL_SHIFT) | (1 << GENERATION_SHIFT);
      t.timerIndex = -1;
      t.next = this.freeHead;
      this.freeHead = t;
    }
  }

  /** Slots in use: live tasks, and finished ones still queued (see the diagram above). */
  get inUse(): i32 {
    return this.used;
  }

  /** Slots whose task finished while it was queued again, still waiting for the executor's dequeue. */
  get exitedButQueued(): i32 {
    let n = 0;
    for (let i = 0; i < this.capacity; i++) {
      const t = changetype<TaskHeader>(this.headers + <usize>i * HEADER_SIZE);
      if (!t.spawned && (t.state & RUN_QUEUED) != 0) n++;
    }
    return n;
  }

  /** Take a free slot for `future`, or null when the pool is full. */
  claim(future: AnyFuture): TaskHeader | null {
    const t = this.freeHead;
    if (t === null) return null;
    this.freeHead = t.next;
    t.next = null;
    t.future = future;
    __pin(changetype<usize>(future)); // the header is invisible to the GC: keep the future alive
    this.used++;
    return t;
  }

  /** Drop a finished task's future (the slot may still be queued: see `release`). */
  dropFuture(t: TaskHeader): void {
    __unpin(changetype<usize>(t.future));
    t.future = null;
    // The incarnation is over: the slot's next task gets the next generation, 1..7 (0 stays
    // free for a header's own pointer; see waker.ts).
    const generation = (t.state & GENERATION_BITS) >> GENERATION_SHIFT;
    const next = generation == <u32>WakerTag.Mask ? 1 : generation + 1;
    t.state = (t.state & ~GENERATION_BITS) | (next << GENERATION_SHIFT);
  }

  /**
   * Give a finished, dequeued task's slot back. The header keeps its id until the slot is
   * reused, so a late wake through a stale waker is still recorded against the task it was for.
   */
  release(t: TaskHeader): void {
    t.executor = null;
    t.next = this.freeHead;
    this.freeHead = t;
    this.used--;
  }
}
