// Per-task and per-chip statistics, kept up to date record by record as the trace is
// read (so they survive the log dropping old records), by the trace engine (engine/engine.ts,
// where the rules are); this module reads them back. The vocabulary is tokio-console's:
// polls, busy, scheduled (woken → polled), idle, wakes, self-wakes, live wakers, first and
// last poll, a histogram of poll durations. The lints (lints.ts) read these fields only, so
// they keep working however long the run and however small the log.
//
// A task's life splits into three kinds of time that add up to its age:
//   busy       inside a poll
//   scheduled  woken and waiting in the run queue (from the wake, or from the end of the
//              poll during which it was woken, to the start of the next poll)
//   idle       waiting for a wake
import { OutputKind, ReservedId, type WakeSource } from "../../abi/trace-events.js";
import { NvicReg } from "../../abi/memory-map.js";
import type { TraceLog } from "./log.js";
import type { TraceEngine } from "./engine/host.js";
import { HeaderSlot, TaskOrigin, TaskSlot, TaskStateCode } from "./engine/layout.js";

/** block_on's pseudo-tasks run on no executor. */
export const BLOCK_ON_EXECUTOR: number = ReservedId.BlockOnExecutor;

export type TaskState = "scheduled" | "running" | "idle" | "done";

/**
 * Poll durations in CPU cycles, in power-of-two buckets (an HdrHistogram with one
 * significant bit): bucket 0 counts 0-cycle polls, bucket k ≥ 1 counts polls of
 * [2^(k-1), 2^k) cycles. Exact count, sum, min and max ride along.
 */
export interface PollHistogram {
  count: number;
  totalCycles: number;
  minCycles: number;
  maxCycles: number;
  buckets: number[];
}

/** Where a wake that could not land went, when it hints at a stale waker (see lints.ts). */
export interface StaleWakeEvidence {
  /** When the wasted wake happened. */
  at: number;
  /** The finished task that the kept waker still pointed at. */
  wokenTask: number;
  /** Who called the stale waker (a WakeSource and its id). */
  source: WakeSource;
  sourceId: number;
}

export interface TaskStats {
  id: number;
  /** The pool's name ("block_on" for block_on's pseudo-tasks; "?" when its spawn record was lost and nothing else tells). */
  name: string;
  /**
   * Its TaskNew record was lost (the firmware ring lapped before the host read it): the task
   * is listed from its later records, and what happened before them is not counted.
   */
  spawnLost: boolean;
  /** Executor id (0: thread mode), or BLOCK_ON_EXECUTOR; NaN while unknown (its spawn record lost, not yet polled). */
  executor: number;
  state: TaskState;
  /** Name of the root future's state after its last poll (while running: the state it began in). */
  futureState: string;
  spawnedAt: number;
  endedAt: number | null;
  polls: number;
  /** Polls that returned Pending. */
  pendingPolls: number;
  wakes: number;
  /** Wakes by the task itself during its own poll (busy-polling shows here). */
  selfWakes: number;
  /** Wakes that found the task already queued (collapsed into one poll). */
  collapsedWakes: number;
  /** Virtual ticks spent inside polls (closed polls only; see TraceStats.taskTimes). */
  busyTicks: number;
  /** Virtual ticks spent woken but waiting to be polled (closed intervals). */
  scheduledTicks: number;
  /** Virtual ticks spent waiting for a wake (closed intervals). */
  idleTicks: number;
  firstPollAt: number | null;
  lastPollAt: number | null;
  /** When the last poll returned. */
  lastPollEndAt: number | null;
  lastWakeAt: number | null;
  wakerClones: number;
  /** Drops of this task's clones (a drop that matches no live clone, e.g. a double drop, is logged but not counted). */
  wakerDrops: number;
  /** Times a waker of this task was put in a registration slot. */
  wakerRegistrations: number;
  /** When a waker of this task was last cloned or registered. */
  lastWakerCloneAt: number | null;
  /** The deadline the task waits for in the timer queue, or null. */
  timerDeadline: number | null;
  /** The task's output once done (number, boolean or string), undefined otherwise. */
  result: number | boolean | string | undefined;
  /** Poll durations in CPU cycles. */
  pollCycles: PollHistogram;
  /** The longest single poll: its cycles, its virtual ticks, when it began, the state it began in. */
  longestPollCycles: number;
  longestPollTicks: number;
  longestPollAt: number | null;
  longestPollState: string;
  /**
   * Polls that returned Pending and left nothing that could wake the task: it did not wake
   * itself, holds no live waker and waits for no timer.
   */
  pendingWithoutWaker: number;
  /** The first such poll: when it ended, and the state it ended in. */
  firstPendingWithoutWakerAt: number | null;
  firstPendingWithoutWakerState: string;
  /** Since when nothing can wake the task (null: it can be woken, or it is done). */
  unreachableSince: number | null;
  /** A wake wasted on a finished task while this one could not be woken (a stale waker). */
  staleWake: StaleWakeEvidence | null;
}

/** Wakers of the task that are alive: clones minus drops (tokio-console's definition). */
export function liveWakers(t: TaskStats): number {
  return t.wakerClones - t.wakerDrops;
}

/** The bucket a poll of `cycles` falls in (see PollHistogram). */
export function histogramBucket(cycles: number): number {
  if (cycles < 1) return 0;
  // For a whole count below 2^32, floor(log2) + 1 is the bit length: no logarithm needed.
  if (cycles < 4294967296 && cycles === Math.floor(cycles)) return 32 - Math.clz32(cycles);
  let k = Math.floor(Math.log2(cycles)) + 1;
  // log2 rounds: a value just below a power of two can come out as that power.
  if (2 ** (k - 1) > cycles) k--;
  else if (2 ** k <= cycles) k++;
  return k;
}

/** The smallest cycle count that is above every poll in bucket `k`. */
export function bucketUpperBound(k: number): number {
  return k === 0 ? 1 : 2 ** k;
}

/** An upper bound of the q-quantile (0..1) of a histogram, or null if it is empty. */
export function histogramQuantile(h: PollHistogram, q: number): number | null {
  if (h.count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * h.count));
  let seen = 0;
  for (let k = 0; k < h.buckets.length; k++) {
    seen += h.buckets[k] ?? 0;
    if (seen >= rank) return Math.min(h.maxCycles, bucketUpperBound(k) - 1);
  }
  return h.maxCycles;
}

/** Busy, scheduled and idle time of one task up to some instant (open intervals included). */
export interface TaskTimes {
  busy: number;
  scheduled: number;
  idle: number;
}

/** The chip's time up to some instant: awake (polling, in handlers, busy-waiting) vs asleep in WFI. */
export interface ChipTimes {
  busy: number;
  asleep: number;
}

/** The engine's "not now" for ReadyAt and IdleSince. */
const NONE = -1;

/** TaskSlot.State codes, as TaskStats names them. */
const STATE_NAMES: TaskState[] = [];
STATE_NAMES[TaskStateCode.Scheduled] = "scheduled";
STATE_NAMES[TaskStateCode.Running] = "running";
STATE_NAMES[TaskStateCode.Idle] = "idle";
STATE_NAMES[TaskStateCode.Done] = "done";

/** The engine's "none" (NaN) as TaskStats' null. */
function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/**
 * The statistics, read back from the trace engine (engine/engine.ts), which folds every
 * record into them as the log takes it. Task records are copied into plain TaskStats objects
 * when asked for (only those that changed since), so a TaskStats keeps its identity and can
 * be kept, spread or serialized like any object.
 */
export class TraceStats {
  private readonly engine: TraceEngine;
  private readonly byId: (TaskStats | undefined)[] = [];
  private readonly list: TaskStats[] = [];

  constructor(private readonly log: TraceLog) {
    this.engine = log.engine;
  }

  /** Every task spawned so far, in spawn order (block_on's pseudo-tasks included). */
  get tasks(): TaskStats[] {
    this.sync();
    return this.list;
  }

  task(id: number): TaskStats | undefined {
    this.sync();
    return this.byId[id];
  }

  /** Tasks that are not done (block_on's excluded). */
  pendingTasks(): TaskStats[] {
    return this.tasks.filter((t) => t.state !== "done" && t.executor !== BLOCK_ON_EXECUTOR);
  }

  get polls(): number {
    return this.value(HeaderSlot.Polls);
  }
  get wakes(): number {
    return this.value(HeaderSlot.Wakes);
  }
  get spawnErrors(): number {
    return this.value(HeaderSlot.SpawnErrors);
  }
  /** The task whose poll started last. */
  get lastPolled(): number {
    return this.value(HeaderSlot.LastPolled);
  }
  /** Interrupts taken, per line. */
  get interrupts(): number[] {
    this.log.flush();
    return this.engine.slots(HeaderSlot.Interrupts, NvicReg.Lines);
  }
  /** Virtual ticks spent in each line's handler. */
  get interruptTicks(): number[] {
    this.log.flush();
    return this.engine.slots(HeaderSlot.InterruptTicks, NvicReg.Lines);
  }
  /** Ticks the CPU spent asleep in WFI (closed sleeps; see chipTimes). */
  get asleepTicks(): number {
    return this.value(HeaderSlot.AsleepTicks);
  }
  /** Times the CPU executed WFI. */
  get sleeps(): number {
    return this.value(HeaderSlot.Sleeps);
  }
  /** When the current sleep began, or null while awake. */
  get sleepingSince(): number | null {
    return orNull(this.value(HeaderSlot.SleepingSince));
  }
  /** Records the firmware wrote that the host never saw (its ring lapped). */
  get lostRecords(): number {
    return this.value(HeaderSlot.LostRecords);
  }
  get faults(): number {
    return this.value(HeaderSlot.Faults);
  }

  /** A task's busy, scheduled and idle time up to `now`, counting the interval it is in. */
  taskTimes(t: TaskStats, now: number): TaskTimes {
    this.sync();
    const times = { busy: t.busyTicks, scheduled: t.scheduledTicks, idle: t.idleTicks };
    if (t.state === "done") return times;
    const at = this.recordSlot(t.id);
    const f64 = this.engine.f64;
    const readyAt = f64[at + TaskSlot.ReadyAt];
    const idleSince = f64[at + TaskSlot.IdleSince];
    if (t.state === "running") times.busy += Math.max(0, now - f64[at + TaskSlot.PollStartAt]);
    else if (t.state === "scheduled" && readyAt !== NONE) times.scheduled += Math.max(0, now - readyAt);
    else if (t.state === "idle" && idleSince !== NONE) times.idle += Math.max(0, now - idleSince);
    return times;
  }

  /** Since when `t` has waited in its run queue (null unless it is queued now): its first wake since its last poll. */
  queuedSince(t: TaskStats): number | null {
    if (t.state !== "scheduled") return null;
    this.sync();
    const readyAt = this.engine.f64[this.recordSlot(t.id) + TaskSlot.ReadyAt];
    return readyAt === NONE ? null : readyAt;
  }

  /** The CPU's awake and asleep time from reset to `now`. */
  chipTimes(now: number): ChipTimes {
    const since = this.sleepingSince;
    const asleep = this.asleepTicks + (since === null ? 0 : Math.max(0, now - since));
    return { busy: now - asleep, asleep };
  }

  /** A header slot, once the host's waiting records are in. */
  private value(slot: HeaderSlot): number {
    this.log.flush();
    return this.engine.get(slot);
  }

  /** f64 index of task `id`'s record in the engine's memory. */
  private recordSlot(id: number): number {
    return (this.value(HeaderSlot.Tasks) + id * TaskSlot.Size) / 8;
  }

  /** Copy the task records the engine changed since the last time into their TaskStats objects. */
  sync(): void {
    const engine = this.engine;
    const n = this.value(HeaderSlot.DirtyCount);
    if (n === 0) return;
    const dirty = engine.get(HeaderSlot.Dirty) >>> 2;
    const u32 = engine.u32;
    for (let i = 0; i < n; i++) {
      const id = u32[dirty + i];
      let t = this.byId[id];
      if (t === undefined) {
        t = newTaskStats(id);
        this.byId[id] = t;
        this.list.push(t);
      }
      this.read(t);
    }
    engine.exports.clearDirty();
  }

  private read(t: TaskStats): void {
    const at = this.recordSlot(t.id);
    const f = this.engine.f64;
    const str = (slot: TaskSlot) => this.log.string(f[at + slot]);
    t.executor = f[at + TaskSlot.Executor];
    t.spawnLost = f[at + TaskSlot.Exists] === TaskOrigin.SpawnLost;
    t.name = !t.spawnLost ? str(TaskSlot.Name) : t.executor === BLOCK_ON_EXECUTOR ? "block_on" : "?";
    t.state = STATE_NAMES[f[at + TaskSlot.State]];
    t.futureState = str(TaskSlot.FutureState);
    t.spawnedAt = f[at + TaskSlot.SpawnedAt];
    t.endedAt = orNull(f[at + TaskSlot.EndedAt]);
    t.polls = f[at + TaskSlot.Polls];
    t.pendingPolls = f[at + TaskSlot.PendingPolls];
    t.wakes = f[at + TaskSlot.Wakes];
    t.selfWakes = f[at + TaskSlot.SelfWakes];
    t.collapsedWakes = f[at + TaskSlot.CollapsedWakes];
    t.busyTicks = f[at + TaskSlot.BusyTicks];
    t.scheduledTicks = f[at + TaskSlot.ScheduledTicks];
    t.idleTicks = f[at + TaskSlot.IdleTicks];
    t.firstPollAt = orNull(f[at + TaskSlot.FirstPollAt]);
    t.lastPollAt = orNull(f[at + TaskSlot.LastPollAt]);
    t.lastPollEndAt = orNull(f[at + TaskSlot.LastPollEndAt]);
    t.lastWakeAt = orNull(f[at + TaskSlot.LastWakeAt]);
    t.wakerClones = f[at + TaskSlot.WakerClones];
    t.wakerDrops = f[at + TaskSlot.WakerDrops];
    t.wakerRegistrations = f[at + TaskSlot.WakerRegistrations];
    t.lastWakerCloneAt = orNull(f[at + TaskSlot.LastWakerCloneAt]);
    t.timerDeadline = orNull(f[at + TaskSlot.TimerDeadline]);
    const resultKind = f[at + TaskSlot.ResultKind];
    const resultValue = f[at + TaskSlot.ResultValue];
    if (resultKind === OutputKind.Int || resultKind === OutputKind.Float) t.result = resultValue;
    else if (resultKind === OutputKind.Bool) t.result = resultValue !== 0;
    else if (resultKind === OutputKind.String) t.result = this.log.string(resultValue);
    else t.result = undefined;
    const h = t.pollCycles;
    h.count = f[at + TaskSlot.HistogramCount];
    h.totalCycles = f[at + TaskSlot.HistogramTotal];
    h.minCycles = f[at + TaskSlot.HistogramMin];
    h.maxCycles = f[at + TaskSlot.HistogramMax];
    const buckets = this.engine.u32;
    const first = at * 2 + TaskSlot.BucketsOffset / 4;
    h.buckets = Array.from(buckets.subarray(first, first + f[at + TaskSlot.HistogramTop] + 1));
    t.longestPollCycles = f[at + TaskSlot.LongestPollCycles];
    t.longestPollTicks = f[at + TaskSlot.LongestPollTicks];
    t.longestPollAt = orNull(f[at + TaskSlot.LongestPollAt]);
    t.longestPollState = str(TaskSlot.LongestPollState);
    t.pendingWithoutWaker = f[at + TaskSlot.PendingWithoutWaker];
    t.firstPendingWithoutWakerAt = orNull(f[at + TaskSlot.FirstPendingWithoutWakerAt]);
    t.firstPendingWithoutWakerState = str(TaskSlot.FirstPendingWithoutWakerState);
    t.unreachableSince = orNull(f[at + TaskSlot.UnreachableSince]);
    const staleAt = f[at + TaskSlot.StaleAt];
    t.staleWake = Number.isNaN(staleAt)
      ? null
      : { at: staleAt, wokenTask: f[at + TaskSlot.StaleWokenTask], source: f[at + TaskSlot.StaleSource], sourceId: f[at + TaskSlot.StaleSourceId] };
  }
}

/** A TaskStats before its first read from the engine. */
function newTaskStats(id: number): TaskStats {
  return {
    id,
    name: "",
    spawnLost: false,
    executor: 0,
    state: "scheduled",
    futureState: "",
    spawnedAt: 0,
    endedAt: null,
    polls: 0,
    pendingPolls: 0,
    wakes: 0,
    selfWakes: 0,
    collapsedWakes: 0,
    busyTicks: 0,
    scheduledTicks: 0,
    idleTicks: 0,
    firstPollAt: null,
    lastPollAt: null,
    lastPollEndAt: null,
    lastWakeAt: null,
    wakerClones: 0,
    wakerDrops: 0,
    wakerRegistrations: 0,
    lastWakerCloneAt: null,
    timerDeadline: null,
    result: undefined,
    pollCycles: { count: 0, totalCycles: 0, minCycles: Infinity, maxCycles: 0, buckets: [] },
    longestPollCycles: 0,
    longestPollTicks: 0,
    longestPollAt: null,
    longestPollState: "",
    pendingWithoutWaker: 0,
    firstPendingWithoutWakerAt: null,
    firstPendingWithoutWakerState: "",
    unreachableSince: null,
    staleWake: null,
  };
}
