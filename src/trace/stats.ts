// Per-task and per-chip statistics, kept up to date record by record as the trace is
// read (so they survive the log dropping old records). The vocabulary is tokio-console's:
// polls, busy, scheduled (woken → polled), idle, wakes, self-wakes, live wakers, first and
// last poll, a histogram of poll durations. The lints (lints.ts) read these fields only, so
// they keep working however long the run and however small the log.
//
// A task's life splits into three kinds of time that add up to its age:
//   busy       inside a poll
//   scheduled  woken and waiting in the run queue (from the wake, or from the end of the
//              poll during which it was woken, to the start of the next poll)
//   idle       waiting for a wake
import { OutputKind, TraceEvent, WakeOutcome, WakeSource } from "../../assembly/trace/events.js";
import { NvicReg } from "../../assembly/hal/memory-map.js";
import type { RecordSink, TraceLog } from "./log.js";

/** block_on's pseudo-tasks run on no executor. */
export const BLOCK_ON_EXECUTOR = 0xffffffff;

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
  name: string;
  /** Executor id (0: thread mode), or BLOCK_ON_EXECUTOR. */
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

const NONE = -1;

export class TraceStats implements RecordSink {
  private readonly byId: (TaskStats | undefined)[] = [];
  readonly tasks: TaskStats[] = [];
  polls = 0;
  wakes = 0;
  spawnErrors = 0;
  /** The task whose poll started last. */
  lastPolled = 0;
  /** Interrupts taken, per line. */
  readonly interrupts: number[] = new Array(NvicReg.Lines).fill(0);
  /** Virtual ticks spent in each line's handler. */
  readonly interruptTicks: number[] = new Array(NvicReg.Lines).fill(0);
  /** Ticks the CPU spent asleep in WFI (closed sleeps; see chipTimes). */
  asleepTicks = 0;
  /** Times the CPU executed WFI. */
  sleeps = 0;
  /** When the current sleep began, or null while awake. */
  sleepingSince: number | null = null;
  /** Records the firmware wrote that the host never saw (its ring lapped). */
  lostRecords = 0;
  faults = 0;
  /** Records seen so far (orders events that share a tick). */
  private seen = 0;
  /** When each task was last made ready (NONE once polled). */
  private readyAt: number[] = [];
  /** When each task's current poll began. */
  private pollStartAt: number[] = [];
  /** When each task went idle (NONE while not idle). */
  private idleSince: number[] = [];
  /** Record index at which a task became unreachable / its waker was last cloned. */
  private unreachableSeq: number[] = [];
  private cloneSeq: number[] = [];
  private irqEnterAt: number[] = new Array(NvicReg.Lines).fill(0);

  constructor(private readonly log: TraceLog) {
    log.follow(this);
  }

  task(id: number): TaskStats | undefined {
    return this.byId[id];
  }

  /** Tasks that are not done (block_on's excluded). */
  pendingTasks(): TaskStats[] {
    return this.tasks.filter((t) => t.state !== "done" && t.executor !== BLOCK_ON_EXECUTOR);
  }

  /** A task's busy, scheduled and idle time up to `now`, counting the interval it is in. */
  taskTimes(t: TaskStats, now: number): TaskTimes {
    const times = { busy: t.busyTicks, scheduled: t.scheduledTicks, idle: t.idleTicks };
    if (t.state === "done") return times;
    if (t.state === "running") times.busy += Math.max(0, now - this.pollStartAt[t.id]);
    else if (t.state === "scheduled" && this.readyAt[t.id] !== NONE) times.scheduled += Math.max(0, now - this.readyAt[t.id]);
    else if (t.state === "idle" && this.idleSince[t.id] !== NONE) times.idle += Math.max(0, now - this.idleSince[t.id]);
    return times;
  }

  /** The CPU's awake and asleep time from reset to `now`. */
  chipTimes(now: number): ChipTimes {
    const asleep = this.asleepTicks + (this.sleepingSince === null ? 0 : Math.max(0, now - this.sleepingSince));
    return { busy: now - asleep, asleep };
  }

  onRecord(time: number, kind: number, id: number, a: number, b: number, c: number): void {
    const seq = this.seen++;
    switch (kind) {
      case TraceEvent.TaskNew: {
        const t: TaskStats = {
          id,
          name: this.log.string(a),
          executor: b,
          state: "scheduled",
          futureState: "",
          spawnedAt: time,
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
        this.byId[id] = t;
        this.tasks.push(t);
        this.readyAt[id] = time;
        this.idleSince[id] = NONE;
        this.pollStartAt[id] = time;
        this.unreachableSeq[id] = NONE;
        this.cloneSeq[id] = NONE;
        return;
      }
      case TraceEvent.TaskExecBegin: {
        const t = this.byId[id];
        if (!t) return;
        this.polls++;
        this.lastPolled = id;
        t.polls++;
        t.state = "running";
        t.firstPollAt ??= time;
        t.lastPollAt = time;
        t.futureState = this.log.string(a);
        if (this.readyAt[id] !== NONE) t.scheduledTicks += time - this.readyAt[id];
        if (this.idleSince[id] !== NONE) t.idleTicks += time - this.idleSince[id]; // block_on polls unwoken
        this.readyAt[id] = NONE;
        this.idleSince[id] = NONE;
        this.pollStartAt[id] = time;
        t.unreachableSince = null;
        this.unreachableSeq[id] = NONE;
        return;
      }
      case TraceEvent.TaskExecEnd: {
        const t = this.byId[id];
        if (!t) return;
        const ticks = time - this.pollStartAt[id];
        t.busyTicks += ticks;
        t.lastPollEndAt = time;
        if (c >= 0) this.recordPollCycles(t, c, ticks, t.futureState);
        t.futureState = this.log.string(b);
        if (a === 0) t.pendingPolls++;
        if (t.state === "running") {
          // Not woken during the poll: the task now waits for a wake.
          t.state = "idle";
          this.idleSince[id] = time;
          if (a === 0 && t.executor !== BLOCK_ON_EXECUTOR && liveWakers(t) <= 0 && t.timerDeadline === null) {
            this.notePendingWithoutWaker(t, time, seq);
          }
        } else if (t.state === "scheduled") {
          // Woken during its own poll: it waits in the queue from now on, not from the wake.
          this.readyAt[id] = Math.max(this.readyAt[id], time);
        }
        return;
      }
      case TraceEvent.TaskReady: {
        const t = this.byId[id];
        if (!t) return;
        this.wakes++;
        t.wakes++;
        t.lastWakeAt = time;
        if (a === WakeSource.Task && b === id) t.selfWakes++;
        if (c === WakeOutcome.AlreadyQueued) t.collapsedWakes++;
        if (c === WakeOutcome.Enqueued) {
          if (t.state === "idle" && this.idleSince[id] !== NONE) t.idleTicks += time - this.idleSince[id];
          this.idleSince[id] = NONE;
          this.readyAt[id] = time;
          t.state = "scheduled";
          t.unreachableSince = null;
          this.unreachableSeq[id] = NONE;
        }
        if (c === WakeOutcome.Finished) this.noteWastedWake(t, time, a, b);
        return;
      }
      case TraceEvent.TaskEnd: {
        const t = this.byId[id];
        if (!t) return;
        if (this.idleSince[id] !== NONE) t.idleTicks += time - this.idleSince[id];
        this.idleSince[id] = NONE;
        this.readyAt[id] = NONE;
        t.state = "done";
        t.endedAt = time;
        t.timerDeadline = null;
        t.unreachableSince = null;
        this.unreachableSeq[id] = NONE;
        if (a === OutputKind.Int || a === OutputKind.Float) t.result = c;
        else if (a === OutputKind.Bool) t.result = c !== 0;
        else if (a === OutputKind.String) t.result = this.log.string(b);
        return;
      }
      case TraceEvent.WakerClone: {
        const t = this.byId[id];
        if (!t) return;
        t.wakerClones++;
        this.noteWakerTaken(t, time, seq);
        return;
      }
      case TraceEvent.WakerRegister: {
        const t = this.byId[id];
        if (!t) return;
        t.wakerRegistrations++;
        this.noteWakerTaken(t, time, seq);
        return;
      }
      case TraceEvent.WakerDrop: {
        const t = this.byId[id];
        if (t) t.wakerDrops++;
        return;
      }
      case TraceEvent.TimerArmed: {
        const t = this.byId[id];
        if (!t) return;
        t.timerDeadline = c;
        t.unreachableSince = null;
        this.unreachableSeq[id] = NONE;
        return;
      }
      case TraceEvent.TimerFired: {
        const t = this.byId[id];
        if (t) t.timerDeadline = null;
        return;
      }
      case TraceEvent.IrqEnter:
        if (a < NvicReg.Lines) {
          this.interrupts[a]++;
          this.irqEnterAt[a] = time;
        }
        return;
      case TraceEvent.IrqExit:
        if (a < NvicReg.Lines) this.interruptTicks[a] += time - this.irqEnterAt[a];
        return;
      case TraceEvent.SpawnError:
        this.spawnErrors++;
        return;
      case TraceEvent.WfiEnter:
        this.sleeps++;
        this.sleepingSince = time;
        return;
      case TraceEvent.WfiExit:
        if (this.sleepingSince !== null) this.asleepTicks += time - this.sleepingSince;
        this.sleepingSince = null;
        return;
      case TraceEvent.Fault:
        this.faults++;
        return;
      case TraceEvent.TraceLost:
        this.lostRecords += a;
        return;
    }
  }

  private recordPollCycles(t: TaskStats, cycles: number, ticks: number, stateBefore: string): void {
    const h = t.pollCycles;
    h.count++;
    h.totalCycles += cycles;
    if (cycles < h.minCycles) h.minCycles = cycles;
    if (cycles > h.maxCycles) h.maxCycles = cycles;
    const k = histogramBucket(cycles);
    while (h.buckets.length <= k) h.buckets.push(0);
    h.buckets[k]++;
    if (cycles > t.longestPollCycles || t.longestPollAt === null) {
      t.longestPollCycles = cycles;
      t.longestPollTicks = ticks;
      t.longestPollAt = this.pollStartAt[t.id];
      t.longestPollState = stateBefore;
    }
  }

  private noteWakerTaken(t: TaskStats, time: number, seq: number): void {
    t.lastWakerCloneAt = time;
    this.cloneSeq[t.id] = seq;
    t.unreachableSince = null;
    this.unreachableSeq[t.id] = NONE;
  }

  private notePendingWithoutWaker(t: TaskStats, time: number, seq: number): void {
    t.pendingWithoutWaker++;
    if (t.firstPendingWithoutWakerAt === null) {
      t.firstPendingWithoutWakerAt = time;
      t.firstPendingWithoutWakerState = t.futureState;
    }
    t.unreachableSince = time;
    this.unreachableSeq[t.id] = seq;
  }

  /**
   * A wake reached `finished`, which had already returned Ready: a waker outlived its task.
   * Harmless alone; but a task that since returned Pending with no way to be woken, after
   * that waker was taken, is most likely waiting on it: its future kept the old waker
   * instead of the one its own polls brought.
   */
  private noteWastedWake(finished: TaskStats, time: number, source: WakeSource, sourceId: number): void {
    const takenAt = this.cloneSeq[finished.id];
    for (const t of this.tasks) {
      if (t === finished || t.unreachableSince === null || t.staleWake !== null) continue;
      if (this.unreachableSeq[t.id] < takenAt) continue;
      t.staleWake = { at: time, wokenTask: finished.id, source, sourceId };
    }
  }
}
