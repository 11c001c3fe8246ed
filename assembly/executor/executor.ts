// The executor: a run queue of woken tasks, polled in batches (Embassy's semantics).
//
// - A wake sets RUN_QUEUED and enqueues the task only if the bit was clear, so several
//   wakes before a poll give one poll.
// - `run` takes the whole queue as a batch and polls it; tasks woken meanwhile (including
//   a task that wakes itself) wait for the next batch, so nobody starves the others.
// - A wake to a finished task is recorded and ignored. A task that finished in the poll
//   that queued it again is dequeued without a poll (see task.ts).
// - The queue is FIFO (Embassy's is a LIFO stack): polls happen in the order of wakes,
//   which reads naturally in a trace; both are deterministic.
import { AnyFuture, Future, Poll } from "../future";
import { Context, Waker } from "../waker";
import { RUN_QUEUED, SPAWNED, TaskHeader, TaskPool } from "./task";
import { JoinHandle, takeJoinWaiter } from "./join-handle";
import { drainIfDue, emit, record, strRef, tracing } from "../trace/ring";
import { CONTROL, cyclesNow, cyclesPerPoll, setCycles, yieldAtCycles, yieldIfHeapGrew, yieldRequestFlagged, yieldRequested } from "../hal/control";
import { ControlBlock, TraceEvent, WakeOutcome, WakeSource } from "../../abi/trace-events";
import { currentSourceId, currentSourceKind, enterSource, leaveSource } from "./source";
import { pendInterrupt } from "../hal/interrupts";
import { write32 } from "../hal/mmio";
import { RunStatus } from "../../abi/entry-points";
import { NvicReg, Peripheral, SysCtlReg } from "../../abi/memory-map";
import { cancelWake } from "../time/driver";

let nextTaskId: u32 = 1;

/** A fresh task id (block_on's pseudo-tasks take them too, so every lane is unique). */
export function allocateTaskId(): u32 {
  return nextTaskId++;
}

/** Every executor ever made, linked (they live as long as the firmware, like their tasks' pools). */
let executors: Executor | null = null;

export class Executor {
  /** The executor made before this one (the registry's link). */
  private nextExecutor: Executor | null = null;
  /** Woken tasks waiting for the next batch. */
  private head: TaskHeader | null = null;
  private tail: TaskHeader | null = null;
  private queuedLen: i32 = 0;
  /** The batch being polled. */
  private batch: TaskHeader | null = null;
  private batchLen: i32 = 0;
  /** One Context for every poll: a Context only lives for the duration of a poll. */
  private readonly cx: Context = new Context(Waker.noop());

  /**
   * @param id        executor id in traces (0 is thread mode)
   * @param penderLine the interrupt line to pend when work arrives (-1: thread mode, where
   *                   the host polls whenever the CPU is awake)
   */
  constructor(public readonly id: u32, public readonly penderLine: i32) {
    // Task headers point at their executor without the GC seeing it: executors are static.
    this.nextExecutor = executors;
    executors = this;
  }

  /** Tasks waiting to be polled (this batch and the next). */
  get readyCount(): i32 {
    return this.batchLen + this.queuedLen;
  }

  /** True if the last `run` stopped inside a batch (the rest is polled first next time). */
  get batchLeft(): bool {
    return this.batch !== null;
  }

  enqueue(task: TaskHeader): void {
    const tail = this.tail;
    if (tail === null) {
      this.head = task;
      // The pender fires on the empty → non-empty transition only.
      if (this.penderLine >= 0) pendInterrupt(this.penderLine);
    } else {
      tail.next = task;
    }
    this.tail = task;
    this.queuedLen++;
  }

  /**
   * Poll up to `budget` tasks. With `yieldToInterrupts`, stop early when the host says an
   * interrupt or event is due (a poll is atomic; interrupts run between polls). With
   * `oneBatch` (an interrupt executor), poll no further than the end of the current batch
   * (the one a preemption left, or else the queue as it is now).
   * Returns -1 when there was nothing to poll (the executor is idle: WFI), otherwise the
   * number of tasks still ready, or (thread mode only) RAN_THEN_IDLE when it polled, emptied
   * the queue and found nothing due: idle as well, without a second call to find out
   * (see RunStatus).
   */
  run(budget: i32, yieldToInterrupts: bool, oneBatch: bool = false): i32 {
    let polled = 0;
    // The batch lives in locals while it is polled (polls wake tasks into the *next* batch and
    // never touch this one), and is written back when the loop ends, with its length (the
    // host reads `readyCount` from the return value, between calls).
    let batch = this.batch;
    let batchLen = this.batchLen;
    // The cycle count lives in a local too (and is stored after every poll, for the host and
    // the trace): adding to a value just stored to memory and read back would chain every
    // poll to the previous one through the store.
    let cycles = cyclesNow();
    const perPoll = cyclesPerPoll();
    // The task current before the call, restored after each poll; whether the host wants each
    // switch announced (it says so at reset, never during a call).
    const outer = load<u32>(CONTROL + ControlBlock.CurrentTask);
    const announce = load<u32>(CONTROL + ControlBlock.AnnounceTasks) != 0;
    const cx = this.cx;
    // The host switches the trace between calls, never during one.
    const traced = tracing();
    let tookBatch = batch !== null;
    while (polled < budget) {
      if (batch === null) {
        if (this.head === null || (oneBatch && tookBatch)) break;
        tookBatch = true;
        batch = this.head;
        batchLen = this.queuedLen;
        this.head = null;
        this.tail = null;
        this.queuedLen = 0;
        if (traced) record(TraceEvent.ExecutorPollStart, 0, this.id, <u32>batchLen, 0);
      }
      const task = changetype<TaskHeader>(batch);
      batch = task.next;
      task.next = null;
      batchLen--;
      if (!task.spawned) {
        // It finished in the poll that queued it again: dequeue it without a poll (Embassy's
        // `poll_exited`) and only now give its slot back (task.ts, transition 6).
        task.runDequeue();
        task.pool.release(task);
        continue;
      }
      cycles = this.pollTask(task, cx, cycles, perPoll, outer, announce, traced);
      polled++;
      if (yieldToInterrupts && (yieldRequestFlagged() || cycles >= yieldAtCycles())) break;
    }
    this.batch = batch;
    this.batchLen = batchLen;
    if (polled == 0) {
      // (An interrupt executor whose batch held only finished tasks is not idle if more are queued.)
      if (this.head === null) emit(TraceEvent.ExecutorIdle, 0, this.id, 0, 0);
      return RunStatus.Idle;
    }
    // Thread mode emptied its queue. If the host has nothing for it either (no interrupt to
    // take, no event due), it would only call again to hear -1: go idle in this call instead.
    const drained = polled < budget && batch === null && this.head === null;
    // (Its ExecutorIdle record goes through `emit`, which drains the ring first if it must.)
    if (drained && !oneBatch && yieldToInterrupts && hostHasNothingDue()) {
      emit(TraceEvent.ExecutorIdle, 0, this.id, 0, 0);
      return RunStatus.RanThenIdle;
    }
    return this.readyCount;
  }

  // @ts-ignore: decorator
  /** Poll `task`; `cycles` were spent before it. Returns the cycles spent after it. */
  @inline private pollTask(task: TaskHeader, cx: Context, cycles: f64, perPoll: f64, outer: u32, announce: bool, traced: bool): f64 {
    task.runDequeue();
    const future = changetype<AnyFuture>(task.future); // a queued task has one (SPAWNED)
    // Who-woke-whom and state names only feed the trace: skip them while it is off.
    let prev: u64 = 0;
    if (traced) prev = traceExecBegin(task, future, this.id);
    cx.waker = task;
    const id = task.id;
    setCurrentTaskFast(id, announce);
    const result = future.poll(cx);
    setCurrentTaskFast(outer, announce);
    // A poll that busy-waited spent cycles of its own (rare: the branch keeps the common case
    // free of a dependency on the value in memory).
    const spent = cyclesNow();
    if (spent != cycles) cycles = spent;
    cycles += perPoll;
    setCycles(cycles);
    yieldIfHeapGrew();
    if (traced) {
      record(TraceEvent.TaskExecEnd, task.id, <u32>result, strRef(future.stateName), 0);
      drainIfDue(); // a wide batch in one call (a big pollBatch, an interrupt executor's batch)
    }
    if (result == Poll.Ready) finishTask(task, future);
    if (traced) leaveSource(prev);
    return cycles;
  }
}

/** `setCurrentTask` for the poll loop, which knows the previous task and the announce switch. */
// @ts-ignore: decorator
@inline function setCurrentTaskFast(id: u32, announce: bool): void {
  store<u32>(CONTROL + ControlBlock.CurrentTask, id);
  if (announce) write32(Peripheral.SysCtl + SysCtlReg.TaskAnnounce, id);
}

/**
 * True if no interrupt is deliverable and no event is due. The host keeps the control block
 * current after every register access (the only way anything changes during a call), so
 * this asks nothing of it.
 */
// @ts-ignore: decorator
@inline function hostHasNothingDue(): bool {
  return !yieldRequested();
}

/** Enter the task as the source of wakes and record the poll's start; returns the outer source. */
function traceExecBegin(task: TaskHeader, future: AnyFuture, executorId: u32): u64 {
  const prev = enterSource(WakeSource.Task, task.id);
  record(TraceEvent.TaskExecBegin, task.id, strRef(future.stateName), executorId, 0);
  return prev;
}

function finishTask(task: TaskHeader, future: AnyFuture): void {
  const joined = task.joined;
  const queued = task.despawn(); // woken during its last poll: still in the next batch
  if (tracing()) {
    const s = future.outputString();
    emit(TraceEvent.TaskEnd, task.id, <u32>future.outputKind(), s === null ? 0 : strRef(s), future.outputNumber());
  }
  cancelWake(task);
  const joiner = joined ? takeJoinWaiter(task) : null;
  const pool = task.pool;
  pool.dropFuture(task);
  if (!queued) pool.release(task); // else when `run` dequeues it
  if (joiner !== null) joiner.wake();
}

/** Make `task` runnable (what every task waker's wake does). */
export function wakeTask(task: TaskHeader): void {
  if (tracing()) traceWake(task, task.state);
  if (!task.runEnqueue()) return; // finished, or already queued
  changetype<Executor>(task.executor).enqueue(task); // set at spawn, with SPAWNED
}

/** The TaskReady record of a wake: who woke the task, and what the wake did. */
function traceWake(task: TaskHeader, state: u32): void {
  let outcome = WakeOutcome.Enqueued;
  if ((state & SPAWNED) == 0) outcome = WakeOutcome.Finished;
  else if ((state & RUN_QUEUED) != 0) outcome = WakeOutcome.AlreadyQueued;
  drainIfDue(); // a poll or handler that wakes thousands of tasks
  record(TraceEvent.TaskReady, task.id, <u32>currentSourceKind(), currentSourceId(), <f64>outcome);
}

/** Why a spawn failed (Embassy's SpawnError). */
export enum SpawnError {
  None = 0,
  /** The task pool has no free slot. */
  Busy = 1,
}

/** The outcome of a spawn: a JoinHandle, or the error and a message naming the pool. */
export class SpawnResult<T> {
  constructor(
    public readonly handle: JoinHandle<T> | null,
    public readonly error: SpawnError,
    public readonly pool: TaskPool,
  ) {}

  get ok(): bool {
    return this.error == SpawnError.None;
  }

  get message(): string {
    if (this.ok) return "spawned into pool '" + this.pool.name + "'";
    const exited = this.pool.exitedButQueued;
    const why = exited == 0 ? "" : "; " + exited.toString() + " of them finished but are still queued: their slots are free once the executor dequeues them";
    return fullPoolMessage(this.pool) + " (capacity " + this.pool.capacity.toString() + why + ")";
  }

  /** The handle, or a panic that names the full pool. */
  unwrap(): JoinHandle<T> {
    if (!this.ok) throw new Error(this.message);
    return this.handle!;
  }
}

/** Spawns tasks onto one executor (Embassy's Spawner). */
export class Spawner {
  constructor(public readonly executor: Executor) {}

  /** Spawn `future` as a task in a slot of `pool`; never panics, never allocates a header. */
  spawn<T>(pool: TaskPool, future: Future<T>): SpawnResult<T> {
    const task = this.start(pool, future);
    if (task === null) return new SpawnResult<T>(null, SpawnError.Busy, pool);
    return new SpawnResult<T>(new JoinHandle<T>(task, future), SpawnError.None, pool);
  }

  /**
   * Spawn, or panic with the pool's name if it is full. Like Embassy's `must_spawn` it
   * returns nothing (firmware that never joins carries no JoinHandle code); to join a task,
   * `spawn(...).unwrap()` gives its handle.
   */
  mustSpawn<T>(pool: TaskPool, future: Future<T>): void {
    // No SpawnResult on the way: spawning thousands of tasks in main leaves less garbage.
    if (this.start(pool, future) === null) throw new Error(fullPoolMessage(pool));
  }

  /** Claim a slot of `pool` for `future` and queue the new task; null (recorded) if the pool is full. */
  private start(pool: TaskPool, future: AnyFuture): TaskHeader | null {
    const task = pool.claim(future);
    if (task === null) {
      emit(TraceEvent.SpawnError, 0, strRef(pool.name), <u32>pool.capacity, 0);
      return null;
    }
    task.id = allocateTaskId();
    task.spawn();
    task.executor = this.executor;
    emit(TraceEvent.TaskNew, task.id, strRef(pool.name), this.executor.id, 0);
    wakeTask(task);
    return task;
  }
}

/**
 * What a full pool says. `mustSpawn`'s panic leaves the capacity out (it is in the
 * SpawnError trace record): number formatting would then ship in every firmware.
 */
function fullPoolMessage(pool: TaskPool): string {
  return "spawn failed: task pool '" + pool.name + "' is full";
}

/** The thread-mode executor: the one `main` spawns onto and the host polls. */
export const THREAD_EXECUTOR = new Executor(0, -1);
