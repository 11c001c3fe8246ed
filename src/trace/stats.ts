// Per-task and per-chip statistics, kept up to date record by record as the trace is
// read (so they survive the log dropping old records). The vocabulary is tokio-console's:
// polls, busy, scheduled (woken → polled), idle, wakes, self-wakes, live wakers.
import { OutputKind, TraceEvent, WakeOutcome, WakeSource } from "../../assembly/trace/events.js";
import type { TraceLog } from "./log.js";
import type { RecordSink } from "./ring-reader.js";

/** block_on's pseudo-tasks run on no executor. */
export const BLOCK_ON_EXECUTOR = 0xffffffff;

export type TaskState = "scheduled" | "running" | "idle" | "done";

export interface TaskStats {
  id: number;
  name: string;
  /** Executor id (0: thread mode), or BLOCK_ON_EXECUTOR. */
  executor: number;
  state: TaskState;
  /** Name of the root future's state after its last poll. */
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
  /** Virtual ticks spent inside polls. */
  busyTicks: number;
  /** Virtual ticks spent woken but waiting to be polled. */
  scheduledTicks: number;
  firstPollAt: number | null;
  lastPollAt: number | null;
  lastWakeAt: number | null;
  wakerClones: number;
  wakerDrops: number;
  /** The deadline the task waits for in the timer queue, or null. */
  timerDeadline: number | null;
  /** The task's output once done (number, boolean or string), undefined otherwise. */
  result: number | boolean | string | undefined;
}

/** Wakers of the task that are alive: clones minus drops (tokio-console's definition). */
export function liveWakers(t: TaskStats): number {
  return t.wakerClones - t.wakerDrops;
}

export class TraceStats implements RecordSink {
  private readonly byId: (TaskStats | undefined)[] = [];
  readonly tasks: TaskStats[] = [];
  polls = 0;
  wakes = 0;
  spawnErrors = 0;
  /** The task whose poll started last. */
  lastPolled = 0;
  readonly interrupts: number[] = new Array(32).fill(0);
  private readyAt: number[] = [];
  private pollStart = 0;
  private f64: Float64Array | null = null;

  constructor(private readonly log: TraceLog) {}

  task(id: number): TaskStats | undefined {
    return this.byId[id];
  }

  /** Tasks that are not done (block_on's excluded). */
  pendingTasks(): TaskStats[] {
    return this.tasks.filter((t) => t.state !== "done" && t.executor !== BLOCK_ON_EXECUTOR);
  }

  onRecord(w: Uint32Array, at: number): void {
    if (this.f64 === null || this.f64.buffer !== w.buffer) this.f64 = new Float64Array(w.buffer);
    const time = this.f64[at >>> 1];
    const kind = w[at + 2];
    const id = w[at + 3];
    const a = w[at + 4];
    const b = w[at + 5];
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
          firstPollAt: null,
          lastPollAt: null,
          lastWakeAt: null,
          wakerClones: 0,
          wakerDrops: 0,
          timerDeadline: null,
          result: undefined,
        };
        this.byId[id] = t;
        this.tasks.push(t);
        this.readyAt[id] = time;
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
        if (this.readyAt[id] !== undefined) t.scheduledTicks += time - this.readyAt[id];
        this.pollStart = time;
        return;
      }
      case TraceEvent.TaskExecEnd: {
        const t = this.byId[id];
        if (!t) return;
        t.busyTicks += time - this.pollStart;
        t.futureState = this.log.string(b);
        if (a === 0) t.pendingPolls++;
        // Unless a wake during the poll queued it again, the task now waits.
        if (t.state === "running") t.state = "idle";
        return;
      }
      case TraceEvent.TaskReady: {
        const t = this.byId[id];
        if (!t) return;
        this.wakes++;
        t.wakes++;
        t.lastWakeAt = time;
        const outcome = this.f64[(at >>> 1) + 3];
        if (a === WakeSource.Task && b === id) t.selfWakes++;
        if (outcome === WakeOutcome.AlreadyQueued) t.collapsedWakes++;
        if (outcome === WakeOutcome.Enqueued) {
          this.readyAt[id] = time;
          t.state = "scheduled";
        }
        return;
      }
      case TraceEvent.TaskEnd: {
        const t = this.byId[id];
        if (!t) return;
        t.state = "done";
        t.endedAt = time;
        t.timerDeadline = null;
        const number = this.f64[(at >>> 1) + 3];
        if (a === OutputKind.Int || a === OutputKind.Float) t.result = number;
        else if (a === OutputKind.Bool) t.result = number !== 0;
        else if (a === OutputKind.String) t.result = this.log.string(b);
        return;
      }
      case TraceEvent.WakerClone: {
        const t = this.byId[id];
        if (t) t.wakerClones++;
        return;
      }
      case TraceEvent.WakerDrop: {
        const t = this.byId[id];
        if (t) t.wakerDrops++;
        return;
      }
      case TraceEvent.TimerArmed: {
        const t = this.byId[id];
        if (t) t.timerDeadline = this.f64[(at >>> 1) + 3];
        return;
      }
      case TraceEvent.TimerFired: {
        const t = this.byId[id];
        if (t) t.timerDeadline = null;
        return;
      }
      case TraceEvent.IrqEnter:
        this.interrupts[a]++;
        return;
      case TraceEvent.SpawnError:
        this.spawnErrors++;
        return;
    }
  }
}
