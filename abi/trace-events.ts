// The trace vocabulary, shared verbatim by the firmware (which writes records) and the
// host (which reads them). Plain numeric enums only: this file is compiled by both
// AssemblyScript and TypeScript.
//
// Names follow Embassy's trace hooks (task_new, poll_start, task_exec_begin/end,
// task_ready_begin, executor_idle, task_end) plus the waker, timer, interrupt and CPU
// events tokio-console and a logic analyzer would want.
//
// Record layout (32 bytes, little endian), the same in the firmware ring and the host log:
//   +0  f64 time   in the firmware ring: CPU cycles since the host's call began;
//                  in the host log: virtual time in ticks (1 µs)
//   +8  u32 kind   TraceEvent
//   +12 u32 task   task id (0: none / the executor)
//   +16 u32 a      kind-specific
//   +20 u32 b      kind-specific
//   +24 f64 c      kind-specific (64-bit values such as deadlines, results)

export enum TraceEvent {
  /** A task was spawned. a = pointer to the pool's name, b = executor id. */
  TaskNew = 1,
  /** A task's future returned Ready. a = OutputKind, b = string pointer, c = number. */
  TaskEnd = 2,
  /** The executor took its run queue as a new batch. a = executor id, b = tasks in the batch. */
  ExecutorPollStart = 3,
  /** A task is about to be polled. a = pointer to the root future's state name, b = executor id. */
  TaskExecBegin = 4,
  /**
   * The poll returned. a = Poll (0 Pending, 1 Ready), b = pointer to the state name after it.
   * c: 0 in the firmware ring; in the host log, the poll's cost in CPU cycles (filled in by
   * the host from the begin and end stamps; -1 if the begin record was lost).
   */
  TaskExecEnd = 5,
  /** A task was woken. a = WakeSource, b = source id (task id or line), c = WakeOutcome. */
  TaskReady = 6,
  /** The executor found nothing to poll and let the CPU sleep. a = executor id. */
  ExecutorIdle = 7,
  /**
   * A waker of `task` was cloned. In the firmware ring: `task` is the task in the waker's pool
   * slot now, a = the slot's state word (its generation now: see WakerTag), b = the waker's
   * pointer (tagged with the generation it belongs to). In the host log: `task` is the task
   * the waker belongs to (the engine finds it), a = 1 if that is an earlier task of its slot,
   * and then b = the slot's task now (else 0).
   */
  WakerClone = 8,
  /** A waker of `task` was dropped (fields as WakerClone's). */
  WakerDrop = 9,
  /** A waker of `task` was stored in a registration slot. a = 1 if it replaced another task's waker. */
  WakerRegister = 10,
  /**
   * `task` is waiting in the timer queue. a, b = the deadline's high and low 32 bits (exact:
   * a u64 deadline may pass 2^53); c = the deadline as a double (exact up to 2^53 − 1 ticks,
   * where the host's time ends).
   */
  TimerArmed = 11,
  /** The timer queue released `task`. c = its deadline. */
  TimerFired = 12,
  /** An interrupt handler started. a = line. */
  IrqEnter = 13,
  /** An interrupt handler returned. a = line. */
  IrqExit = 14,
  /** The CPU executed WFI (host event). */
  WfiEnter = 15,
  /** An event woke the CPU (host event). c = ticks slept. */
  WfiExit = 16,
  /** A spawn found its pool full. a = pool name pointer, b = pool capacity. */
  SpawnError = 17,
  /** The chip halted on a fault (host event). a = FaultKind. */
  Fault = 18,
  /** The CPU busy-waited. a = cycles. */
  BusyWait = 19,
  /** The firmware ring lapped the host before it could read the records (host event). a = records lost. */
  TraceLost = 20,
}

/**
 * How a waker tells which task of its pool slot it belongs to (slots are reused by later
 * spawns; see assembly/waker.ts): the slot's generation, 1..7, advanced when a task of the
 * slot finishes, sits in the header's state word at GENERATION_SHIFT, and a cloned waker's
 * pointer carries its generation in its low bits (MASK; 0: the header's own pointer, which
 * means the current generation).
 */
export enum WakerTag {
  Mask = 7,
  GenerationShift = 3,
}

/** Who called wake: the "who woke whom" edge of every TaskReady. */
export enum WakeSource {
  /** Thread mode outside any poll (main, during reset). */
  Reset = 0,
  /** A task, while it was being polled (the woken task itself: a self-wake). id = task id. */
  Task = 1,
  /** An interrupt handler. id = line. */
  Interrupt = 2,
  /** The timer queue, releasing an expired deadline. */
  TimerQueue = 3,
}

/** Ids that no task or executor takes. */
export enum ReservedId {
  /** The executor of block_on's pseudo-tasks (they belong to none): TaskNew's and TaskExecBegin's b. */
  BlockOnExecutor = 0xffffffff,
}

/** What a wake did. */
export enum WakeOutcome {
  /** The task was idle: it is now in the run queue. */
  Enqueued = 0,
  /** The task was already queued: the wake collapsed into the pending one. */
  AlreadyQueued = 1,
  /** The task had finished: the wake was ignored. */
  Finished = 2,
}

/** How a finished task's output is carried in its TaskEnd record. */
export enum OutputKind {
  None = 0,
  Int = 1,
  Float = 2,
  Bool = 3,
  String = 4,
  Other = 5,
}

/**
 * Layout of the control block the firmware exports (byte offsets): the trace ring's
 * bookkeeping and the CPU's cycle counter, shared by firmware and host without calls.
 *
 * The firmware counts the cycles it spends during one call from the host (each poll costs
 * CYCLES_PER_POLL) in CYCLES, and stamps trace records with that count; the host converts
 * it to virtual time when it reads the records, and whenever the firmware touches the bus.
 * Thread mode stops polling once CYCLES reaches YIELD_AT (the next event, or the end of the
 * run) or the host sets YIELD_REQUEST (an interrupt became pending).
 */
export enum ControlBlock {
  Magic = 0,
  Capacity = 4,
  /** Records written during the current call (the host zeroes it before each call, so a call's records start at the ring's first slot; record n is at slot n % CAPACITY). */
  Written = 8,
  RingPtr = 12,
  /** f64: CPU cycles spent since the host's current call began (the host zeroes it). */
  Cycles = 16,
  /** f64: cycle count at which thread mode must return to the host (may be Infinity). */
  YieldAt = 24,
  /** u32: cycles one poll costs (the host writes it at load). */
  CyclesPerPoll = 32,
  /** u32: 1 while recording (the host may turn it off). */
  Enabled = 36,
  /** u32: the host sets it when an interrupt became pending during the call. */
  YieldRequest = 40,
  /** u32: end of static data: strings below it are literals and never move. */
  HeapBase = 44,
  /** u32: id of the task being polled (0: none), so a fault can name it even if the ring lapped. */
  CurrentTask = 48,
  /** u32: the host sets it to hear of every change of CurrentTask (a wall-clock watchdog needs it; off by default: no cost). */
  AnnounceTasks = 52,
  /**
   * u32: the WRITTEN count at which the SDK's `emit` asks the host to drain the ring in the
   * middle of the call (SysCtl TRACE_DRAIN) before it writes on; the host sets it, leaving
   * room for the records the executor writes without asking (see assembly/trace/ring.ts).
   */
  DrainAt = 56,
  /** (8-aligned: the clock block follows.) */
  Size = 64,
  /** "DSPR" */
  MagicValue = 0x52505344,
  RecordSize = 32,
}
