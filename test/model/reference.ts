// The reference model: the executor semantics of DESIGN.md ("Executor semantics", "Time",
// and Embassy's answers where it has one) as a small interpreter of task programs
// (program.ts). The property in test/model.test.ts runs the same program on the chip and
// compares what both say happened. It starts where the chip's loader leaves off: asleep,
// the loader waiting in the timer queue for the start tick, when its poll spawns the roots.
//
// A task slot (a pool of capacity 1 per program task; the slot is the task's waker):
//
//         spawn                wake                poll: Pending          poll: Ready
//   Free ───────▶ Queued ◀─────────────── Idle ◀───────────────── Queued ──────────────▶ Free
//                  ▲  spawned, queued      spawned                    │
//                  │                                                  │ poll: woke itself, then Ready
//                  └── a wake while queued changes nothing            ▼
//                                          Exited, queued ──dequeued, not polled──▶ Free
//
// The rules it keeps:
//   - a wake sets `queued` and enqueues only if it was clear; a wake to a finished task does
//     nothing; spawning into a slot that is not Free is refused (Busy);
//   - the run queue is FIFO; the executor takes it whole as a batch, and tasks woken during
//     the batch wait for the next one; a finished task leaves the queue without a poll;
//   - each poll costs cyclesPerPoll cycles at cpuHz (the host's own conversion, ticksAfter);
//     during a poll, the time read is the time the poll began;
//   - interrupts are taken between polls, most urgent first (the lowest priority value, then
//     the lowest line), each after cyclesPerInterrupt cycles, and only if strictly more urgent
//     than every active handler; handlers only wake, except an InterruptExecutor's;
//   - an InterruptExecutor (a task's executor: its pool spawns onto it) pends its line when its
//     run queue goes from empty to non-empty; taking the line polls one batch (the queue as it
//     was), tasks woken meanwhile pend it again. Between two of its polls, if a line is
//     deliverable (pending, more urgent than every active handler) or an event is due, it
//     stops: its line stays active, and it is resumed (no cyclesPerInterrupt) before anything
//     less urgent; thread mode runs only when no handler is active;
//   - with nothing to poll the CPU sleeps (WFI) until the next event, landing on its tick;
//     events due at the same time fire in the order they were scheduled;
//   - the timer queue keeps one entry per task, its earliest deadline; the alarm is armed at
//     the earliest of them (at once if that has passed), and its handler wakes every task
//     whose deadline has passed, earliest first (ties: the task spawned first); a finished
//     task's entry goes with it; a Timer is Pending on its first poll, whatever the time;
//   - a task's wait slot is a WakerRegistration: registering the waker it holds changes
//     nothing, registering another wakes the one it replaces, a notify takes the waker and
//     wakes it;
//   - a JoinHandle has one waiter: a new one wakes the one it replaces, and the task's end
//     wakes it; select is biased (children in order), join polls its unfinished children,
//     withTimeout polls the inner future before its timer.
import { ticksAfter } from "../../src/chip/clock.js";
import { TICKS_PER_SECOND } from "../../src/duration.js";
import { Wire } from "./ops.js";
import { AWAIT_NO_HANDLE, fold, SELECT_WON, SPAWN_BUSY, SPAWN_OK, TIMEOUT_COMPLETED, TIMEOUT_EXPIRED, type ChipOptions, type Leaf, type Program, type Step } from "./program.js";

/** One poll of a program task. */
export interface PollRecord {
  /** Virtual time when it began and when it returned (ticks). */
  begin: number;
  end: number;
  /** Spawn order of the task among the program's tasks (0: the first spawned). */
  spawn: number;
  /** The program task it runs. */
  task: number;
  ready: boolean;
}

/** An executor took its run queue as a batch (the loader's and finished tasks' entries count). */
export interface BatchRecord {
  time: number;
  size: number;
  /** Whose: the SWI line (0..3) of an InterruptExecutor, -1 thread mode. */
  executor: number;
}

/** What became of one spawned task. */
export interface TaskOutcome {
  spawn: number;
  task: number;
  /** Its output, or null if it never finished. */
  value: number | null;
  endedAt: number | null;
}

export interface Outcome {
  polls: PollRecord[];
  batches: BatchRecord[];
  tasks: TaskOutcome[];
  /** Virtual time when nothing could happen any more. */
  endTime: number;
  reason: "all-tasks-done" | "stuck";
  /** How often the run met the cases the property is after (to check the generator reaches them). */
  coverage: Coverage;
}

export interface Coverage {
  /** Tasks that finished in the poll that queued them again (dequeued without a poll). */
  exitedQueued: number;
  busySpawns: number;
  /** Spawns refused because the slot's task had finished but was still queued. */
  busyWhileExited: number;
  /** Wakes that enqueued a task, by where they came from. */
  wakesByInterrupt: number;
  wakesByTimer: number;
  /** Wakes that found the task already queued, or finished. */
  collapsedWakes: number;
  wakesToFinished: number;
  /** Tasks woken by the end of a task whose JoinHandle they awaited. */
  joinWakes: number;
  timeoutsExpired: number;
  /** Wakers a registration replaced (and woke). */
  displacedWakers: number;
  /** Polls on an InterruptExecutor. */
  interruptExecutorPolls: number;
  /** InterruptExecutor batches stopped between two polls (Preempted), and those stopped while another was too. */
  preemptions: number;
  nestedPreemptions: number;
  /** An InterruptExecutor's line taken while another's handler was preempted (run inside it). */
  nestedExecutors: number;
  /** An InterruptExecutor's line pended while its handler was active (taken again after the exception return). */
  repended: number;
  /** Preempted handlers resumed while thread mode had tasks ready (they wait for it). */
  resumedBeforeThread: number;
}

/** The lines a program's interrupts use, and the alarm's (the chip's Irq numbers). */
const ALARM_LINE = 0;
const SWI0_LINE = 8;

type Poll = "pending" | "ready";

/** An executor: its run queue (the next batch) and the batch being polled. */
interface Executor {
  /** The SWI line index (0..3) of an InterruptExecutor, -1 thread mode. */
  line: number;
  queue: number[];
  batch: number[];
}

/** A step's future, as the SDK's of that name; `folded` is what its output adds to the task's. */
interface StepFuture {
  poll(): Poll;
  folded?: () => number;
}

/** A spawned task: its program, where it is in it, and its output so far. */
interface Instance {
  spawn: number;
  task: number;
  step: number;
  current: StepFuture | null;
  acc: number;
  /** The JoinHandle of its last successful spawn of each task. */
  handles: Map<number, Instance>;
  value: number | null;
  endedAt: number | null;
}

/** A task slot (the pool of one program task; the loader's is the last). */
interface Slot {
  instance: Instance | null;
  spawned: boolean;
  queued: boolean;
}

interface Event {
  time: number;
  seq: number;
  fire: () => void;
}

export class ReferenceModel {
  private ticks = 0;
  /** The fraction of a tick the CPU has spent beyond `ticks`, scaled by cpuHz (exact). */
  private remainder = 0;
  private readonly slots: Slot[];
  private readonly thread: Executor = { line: -1, queue: [], batch: [] };
  /** Per SWI line, its InterruptExecutor (null: a notifying handler). */
  private readonly executors: (Executor | null)[];
  private pending = 0;
  /** Lines whose handler is active: an InterruptExecutor's that stopped between two polls. */
  private active = 0;
  private asleep = true;
  private readonly events: Event[] = [];
  private eventSeq = 0;
  /** Timer queue: slot → earliest deadline. */
  private readonly deadlines = new Map<number, number>();
  private armedAt = Infinity;
  private alarm: Event | null = null;
  /** Per task's slot: the registered waker (the task slot it wakes, null: empty), and how often it was notified. */
  private readonly registered: (number | null)[];
  private readonly notified: number[];
  private readonly instances: Instance[] = [];
  /** Who awaits a task's JoinHandle (one waiter per task: a new one wakes the one it replaces). */
  private readonly joinWaiter = new Map<Instance, number>();
  private readonly polls: PollRecord[] = [];
  private readonly batches: BatchRecord[] = [];
  /** The slot being polled (-1: none); `ticks` stays at the poll's start until it returns. */
  private current = -1;
  private readonly loader: number;
  private readonly coverage: Coverage = {
    exitedQueued: 0, busySpawns: 0, busyWhileExited: 0, wakesByInterrupt: 0, wakesByTimer: 0, collapsedWakes: 0, wakesToFinished: 0, joinWakes: 0,
    timeoutsExpired: 0, displacedWakers: 0, interruptExecutorPolls: 0, preemptions: 0, nestedPreemptions: 0, nestedExecutors: 0, repended: 0, resumedBeforeThread: 0,
  };
  /** Where wakes come from now: a task's poll, an SWI handler or the alarm's. */
  private source: "task" | "interrupt" | "timer" = "task";

  constructor(
    private readonly program: Program,
    private readonly start: number,
    private readonly chip: ChipOptions,
  ) {
    const n = program.tasks.length;
    this.loader = n;
    this.slots = Array.from({ length: n + 1 }, () => ({ instance: null, spawned: false, queued: false }));
    this.registered = new Array<number | null>(n).fill(null);
    this.notified = new Array<number>(n).fill(0);
    this.executors = Array.from({ length: Wire.Lines }, (_, l) => (program.lineExecutors?.[l] ? { line: l, queue: [], batch: [] } : null));
    for (const [i, t] of program.tasks.entries()) {
      if (t.executor !== undefined && !this.executors[t.executor]) throw new Error(`task ${i} names swi${t.executor}, which runs no InterruptExecutor`);
    }
    for (const irq of program.interrupts) this.schedule(start + irq.at, () => this.raise(SWI0_LINE + irq.line));
    // The starting state: the loader has read the program and sleeps until `start`; when its
    // timer fires, its poll spawns the roots and ends.
    this.slots[this.loader].spawned = true;
    this.scheduleWake(start, this.loader);
  }

  /** Run until nothing can happen any more. */
  run(): Outcome {
    for (let guard = 0; ; guard++) {
      if (guard > 1_000_000) throw new Error("the model ran a million cycles: a program that never ends?");
      this.fireDueEvents();
      if (this.asleep) {
        if (this.pending !== 0) this.asleep = false;
        else {
          const next = this.events.length ? this.events[0].time : Infinity;
          if (next === Infinity) break;
          if (next > this.ticks) {
            this.ticks = next;
            this.remainder = 0;
          }
          continue;
        }
      }
      const line = this.deliverable();
      if (line >= 0) this.takeInterrupt(line);
      else if (this.active !== 0) {
        // A preempted handler, resumed: nothing more urgent is left, and thread mode waits.
        if (this.thread.queue.length + this.thread.batch.length > 0) this.coverage.resumedBeforeThread++;
        this.runExecutor(this.executors[this.mostUrgent(this.active) - SWI0_LINE]!);
      } else if (!this.pollNext(this.thread)) this.asleep = true;
    }
    const alive = this.instances.some((i) => i.value === null);
    return {
      polls: this.polls,
      batches: this.batches,
      tasks: this.instances.map((i) => ({ spawn: i.spawn, task: i.task, value: i.value, endedAt: i.endedAt })),
      endTime: this.ticks,
      reason: alive ? "stuck" : "all-tasks-done",
      coverage: this.coverage,
    };
  }

  // ---- time and events ---------------------------------------------------------------

  private spend(cycles: number): void {
    const { cpuHz } = this.chip;
    const next = ticksAfter(this.ticks, this.remainder, cycles, cpuHz);
    this.remainder += cycles * TICKS_PER_SECOND - (next - this.ticks) * cpuHz;
    this.ticks = next;
  }

  private schedule(time: number, fire: () => void): Event {
    const ev = { time, seq: this.eventSeq++, fire };
    this.events.push(ev);
    this.events.sort((a, b) => a.time - b.time || a.seq - b.seq);
    return ev;
  }

  private cancel(ev: Event): void {
    this.events.splice(this.events.indexOf(ev), 1);
  }

  private fireDueEvents(): void {
    while (this.events.length && this.events[0].time <= this.ticks) this.events.shift()!.fire();
  }

  private raise(line: number): void {
    if (this.active & (1 << line)) this.coverage.repended++;
    this.pending |= 1 << line;
  }

  /** The most urgent of `lines` (non-zero): the lowest priority value, then the lowest line. */
  private mostUrgent(lines: number): number {
    let line = -1;
    for (let l = 0; l < 32; l++) if (lines & (1 << l) && (line < 0 || this.priority(l) < this.priority(line))) line = l;
    return line;
  }

  /** The line the CPU takes next: the most urgent pending one, if more urgent than every active handler; else -1. */
  private deliverable(): number {
    if (this.pending === 0) return -1;
    const best = this.mostUrgent(this.pending);
    return this.active === 0 || this.priority(best) < this.priority(this.mostUrgent(this.active)) ? best : -1;
  }

  private takeInterrupt(line: number): void {
    this.pending &= ~(1 << line);
    this.spend(this.chip.cyclesPerInterrupt);
    const executor = line >= SWI0_LINE ? this.executors[line - SWI0_LINE] : null;
    if (executor) {
      if (this.active !== 0) this.coverage.nestedExecutors++;
      this.active |= 1 << line;
      this.runExecutor(executor);
    } else if (line === ALARM_LINE) {
      this.source = "timer";
      this.onAlarm();
    } else {
      this.source = "interrupt";
      const target = this.program.lineTargets[line - SWI0_LINE];
      if (target !== null && target !== undefined) this.notify(target);
    }
    this.source = "task";
  }

  private priority(line: number): number {
    return line >= SWI0_LINE ? (this.program.linePriorities?.[line - SWI0_LINE] ?? 0) : 0;
  }

  // ---- the timer queue ---------------------------------------------------------------

  private scheduleWake(deadline: number, slot: number): void {
    if (!this.slots[slot].spawned) return;
    const old = this.deadlines.get(slot);
    if (old !== undefined && deadline >= old) return;
    this.deadlines.set(slot, deadline);
    this.rearm();
  }

  /** Keep the alarm on the earliest deadline (a deadline that has passed fires at once). */
  private rearm(): void {
    let next = Infinity;
    for (const d of this.deadlines.values()) next = Math.min(next, d);
    if (next === this.armedAt) return;
    this.armedAt = next;
    if (this.alarm) this.cancel(this.alarm);
    this.alarm = next === Infinity ? null : this.schedule(Math.max(next, this.ticks), () => this.alarmFired());
  }

  private alarmFired(): void {
    this.alarm = null;
    this.raise(ALARM_LINE);
  }

  private onAlarm(): void {
    this.armedAt = Infinity;
    for (;;) {
      let first = -1;
      for (const [slot, d] of this.deadlines) {
        if (d > this.ticks) continue;
        if (first < 0 || d < this.deadlines.get(first)! || (d === this.deadlines.get(first)! && this.spawnOrder(slot) < this.spawnOrder(first))) first = slot;
      }
      if (first < 0) break;
      this.deadlines.delete(first);
      this.wake(first);
    }
    this.rearm();
  }

  /** The loader was spawned before every program task. */
  private spawnOrder(slot: number): number {
    return slot === this.loader ? -1 : this.slots[slot].instance!.spawn;
  }

  // ---- the executor ------------------------------------------------------------------

  /**
   * A wake to a finished task does nothing, as in Embassy up to 0.6 and in the SDK. (Embassy
   * since December 2024 enqueues it anyway, to be dequeued without a poll, and refuses a
   * spawn into its slot until then: a difference this model does not follow.)
   */
  private wake(slot: number): void {
    const s = this.slots[slot];
    if (!s.spawned) this.coverage.wakesToFinished++;
    else if (s.queued) this.coverage.collapsedWakes++;
    if (!s.spawned || s.queued) return;
    s.queued = true;
    const executor = this.executorOf(slot);
    // The pender: an InterruptExecutor's line is pended when its queue goes from empty to non-empty.
    if (executor.line >= 0 && executor.queue.length === 0) this.raise(SWI0_LINE + executor.line);
    executor.queue.push(slot);
    if (this.source === "interrupt") this.coverage.wakesByInterrupt++;
    if (this.source === "timer") this.coverage.wakesByTimer++;
  }

  /** The new task (its JoinHandle), or null if its slot is taken (Busy). */
  private spawn(task: number): Instance | null {
    const s = this.slots[task];
    if (s.spawned || s.queued) {
      this.coverage.busySpawns++;
      if (!s.spawned) this.coverage.busyWhileExited++;
      return null;
    }
    const instance: Instance = { spawn: this.instances.length, task, step: 0, current: null, acc: this.program.tasks[task].value, handles: new Map(), value: null, endedAt: null };
    this.instances.push(instance);
    s.instance = instance;
    s.spawned = true;
    this.wake(task);
    return instance;
  }

  /** The executor a slot's task runs on (the loader: thread mode). */
  private executorOf(slot: number): Executor {
    const line = slot === this.loader ? undefined : this.program.tasks[slot].executor;
    return line === undefined ? this.thread : this.executors[line]!;
  }

  /**
   * The handler of an InterruptExecutor's line, taken (its batch empty: it takes the queue as
   * it is now, if any) or resumed (the rest of its batch). It polls to the end of the batch, or
   * stops between two polls when a line is deliverable or an event is due: then its line stays
   * active. Otherwise the exception return: the line is no longer active.
   */
  private runExecutor(executor: Executor): void {
    const bit = 1 << (SWI0_LINE + executor.line);
    this.source = "task";
    if (executor.batch.length === 0) this.takeBatch(executor); // taken, not resumed
    for (;;) {
      // A finished task (woken in the poll that ended it) leaves the batch without a poll.
      if (!this.pollNext(executor, true) || executor.batch.length === 0) break;
      if (this.deliverable() >= 0 || (this.events.length > 0 && this.events[0].time <= this.ticks)) {
        this.coverage.preemptions++;
        if (this.active & ~bit) this.coverage.nestedPreemptions++;
        return;
      }
    }
    this.active &= ~bit;
  }

  /** The executor takes its queue, as it is now, as its batch (none if it is empty). */
  private takeBatch(executor: Executor): void {
    if (executor.queue.length === 0) return;
    executor.batch = executor.queue;
    executor.queue = [];
    this.batches.push({ time: this.ticks, size: executor.batch.length, executor: executor.line });
  }

  /**
   * Poll the executor's next queued task; false if there is none (thread mode: the CPU may
   * sleep). `batchOnly`: poll from the current batch only, never take a new one.
   */
  private pollNext(executor: Executor, batchOnly = false): boolean {
    for (;;) {
      if (executor.batch.length === 0) {
        if (executor.queue.length === 0 || batchOnly) return false;
        this.takeBatch(executor);
      }
      const slot = executor.batch.shift()!;
      const s = this.slots[slot];
      s.queued = false;
      if (!s.spawned) {
        this.coverage.exitedQueued++; // finished in the poll that queued it: leaves without a poll
        continue;
      }
      if (executor.line >= 0) this.coverage.interruptExecutorPolls++;
      const begin = this.ticks;
      this.current = slot;
      const result = slot === this.loader ? this.pollLoader() : this.pollTask(s.instance!);
      this.current = -1;
      this.spend(this.chip.cyclesPerPoll);
      if (slot !== this.loader) this.polls.push({ begin, end: this.ticks, spawn: s.instance!.spawn, task: slot, ready: result === "ready" });
      if (result === "ready") this.finish(slot);
      return true;
    }
  }

  /** The task in `slot` returned Ready: its timer entry goes, then its JoinHandle's waiter is woken. */
  private finish(slot: number): void {
    const s = this.slots[slot];
    s.spawned = false;
    if (this.deadlines.delete(slot)) this.rearm();
    if (!s.instance) return; // the loader
    s.instance.endedAt = this.ticks;
    const waiter = this.joinWaiter.get(s.instance);
    this.joinWaiter.delete(s.instance);
    if (waiter === undefined) return;
    this.coverage.joinWakes++;
    this.wake(waiter);
  }

  private pollLoader(): Poll {
    for (let r = 0; r < this.program.roots; r++) this.spawn(r);
    return "ready";
  }

  private pollTask(inst: Instance): Poll {
    const steps = this.program.tasks[inst.task].steps;
    while (inst.step < steps.length) {
      const step = steps[inst.step];
      switch (step.op) {
        case "spawn": {
          const spawned = this.spawn(step.task);
          if (spawned) inst.handles.set(step.task, spawned);
          inst.acc = fold(inst.acc, spawned ? SPAWN_OK : SPAWN_BUSY);
          break;
        }
        case "wakeSelf":
          this.wake(inst.task);
          break;
        case "wake":
          this.notify(step.task);
          break;
        default: {
          inst.current ??= this.future(step, inst);
          if (inst.current.poll() === "pending") return "pending";
          if (inst.current.folded) inst.acc = fold(inst.acc, inst.current.folded());
          inst.current = null;
        }
      }
      inst.step++;
    }
    inst.value = inst.acc;
    return "ready";
  }

  // ---- the futures -------------------------------------------------------------------

  private future(step: Extract<Step, Leaf | { a: Leaf } | { inner: Leaf } | { op: "await" | "waitOn" }>, inst: Instance): StepFuture {
    const task = inst.task;
    switch (step.op) {
      case "select": {
        const children = [this.leaf(step.a, task), this.leaf(step.b, task)];
        let winner = -1;
        // Biased: children in order; the losers are dropped (none of these leaves undoes anything).
        return { poll: () => ((winner = children.findIndex((c) => c.poll() === "ready")) >= 0 ? "ready" : "pending"), folded: () => SELECT_WON + winner };
      }
      case "join": {
        const children = [this.leaf(step.a, task), this.leaf(step.b, task)];
        const done = [false, false];
        return {
          poll: () => {
            children.forEach((c, i) => {
              if (!done[i] && c.poll() === "ready") done[i] = true;
            });
            return done.every(Boolean) ? "ready" : "pending";
          },
        };
      }
      case "timeout": {
        // The inner future first, so one that is Ready at the deadline still counts as done.
        const inner = this.leaf(step.inner, task);
        const timer = this.leaf({ op: "sleepFor", ticks: step.ticks }, task);
        let completed = false;
        return {
          poll: () => {
            if (inner.poll() === "ready") completed = true;
            else if (timer.poll() === "pending") return "pending";
            return "ready";
          },
          folded: () => {
            if (!completed) this.coverage.timeoutsExpired++;
            return completed ? TIMEOUT_COMPLETED : TIMEOUT_EXPIRED;
          },
        };
      }
      case "await": {
        const handle = inst.handles.get(step.task);
        if (!handle) return { poll: () => "ready", folded: () => AWAIT_NO_HANDLE };
        return {
          poll: () => {
            if (handle.value !== null) return "ready";
            const old = this.joinWaiter.get(handle);
            if (old !== task) {
              this.joinWaiter.set(handle, task);
              if (old !== undefined) this.wake(old);
            }
            return "pending";
          },
          folded: () => handle.value!,
        };
      }
      case "waitOn": {
        let seen = -1;
        return {
          poll: () => {
            if (seen >= 0) return this.notified[step.task] !== seen ? "ready" : "pending";
            seen = this.notified[step.task];
            this.register(step.task, task);
            return "pending";
          },
        };
      }
      default:
        return this.leaf(step, task);
    }
  }

  /** Put `waker` in `task`'s slot; the waker it replaces (another task's) is woken. */
  private register(task: number, waker: number): void {
    const old = this.registered[task];
    if (old === waker) return;
    this.registered[task] = waker;
    if (old !== null) {
      this.coverage.displacedWakers++;
      this.wake(old);
    }
  }

  private leaf(leaf: Leaf, task: number): StepFuture {
    switch (leaf.op) {
      case "ready":
        return { poll: () => "ready" };
      case "yield": {
        let yielded = false;
        return {
          poll: () => {
            if (yielded) return "ready";
            yielded = true;
            this.wake(task);
            return "pending";
          },
        };
      }
      case "wait": {
        let seen = -1;
        return {
          poll: () => {
            if (seen >= 0 && this.notified[task] !== seen) return "ready";
            if (seen < 0) seen = this.notified[task];
            this.register(task, task);
            return "pending";
          },
        };
      }
      case "sleepFor":
      case "sleepUntil": {
        const deadline = leaf.op === "sleepFor" ? this.ticks + leaf.ticks : this.start + leaf.at;
        let polled = false;
        return {
          poll: () => {
            if (polled && this.ticks >= deadline) return "ready";
            polled = true;
            this.scheduleWake(deadline, this.current);
            return "pending";
          },
        };
      }
    }
  }

  /** Notify `task`'s slot: count it, and wake (and forget) the waker registered there. */
  private notify(task: number): void {
    this.notified[task]++;
    const waker = this.registered[task];
    this.registered[task] = null;
    if (waker !== null) this.wake(waker);
  }
}

/** Run `program` on the model: the program starts (the loader's timer fires) at `start`. */
export function runModel(program: Program, start: number, chip: ChipOptions): Outcome {
  return new ReferenceModel(program, start, chip).run();
}
