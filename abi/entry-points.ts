// The chip's entry points: what every firmware exports (assembly/boot.ts) and the host calls
// (src/chip/call-protocol.ts), with what they take and return. Shared verbatim by the
// firmware SDK and the host (plain numeric enums).

/**
 * Each entry point, by name, and how many parameters it takes (a same-named export of
 * another shape was built against another SDK):
 *   reset()              run main once (it spawns tasks); the time driver is set up first
 *   run(budget)          poll up to `budget` ready tasks: a ready count or a RunStatus
 *   interrupt(call, budget)
 *                        take the interrupt (an InterruptCall), then thread mode as on
 *                        exception return, up to `budget` polls: a ready count or a RunStatus
 *   control_block()      the control block's address (ControlBlock, then the ClockBlock)
 *   collect()            run the garbage collector (only between calls)
 */
export enum EntryPoint {
  reset = 0,
  run = 1,
  interrupt = 2,
  control_block = 0,
  collect = 0,
}

/** What `run` and `interrupt` return besides a count of ready tasks (≥ 0). */
export enum RunStatus {
  /** Nothing to poll: the executor is idle and the CPU may execute WFI. */
  Idle = -1,
  /**
   * Polled, emptied the queue and found nothing due (no interrupt to take, no event): idle
   * too, ExecutorIdle already recorded, without a second call to find out.
   */
  RanThenIdle = -2,
  /**
   * From `interrupt(line, budget)`: the handler ran, and thread mode was not entered (budget
   * 0, or the host has something more urgent: another interrupt, a due event, the end of the run).
   */
  HandlerOnly = -3,
  /**
   * From `interrupt(line, budget)`: the handler (an interrupt executor's) stopped between two
   * polls because something more urgent is due (another interrupt, an event, the end of the
   * run or of a step). Its line stays active, as a preempted handler's does; the host calls
   * `interrupt(line, …)` again to resume it once nothing more urgent is left.
   */
  Preempted = -4,
}

/** The first argument of `interrupt(call, budget)`: a line, and whether the call resumes its preempted handler. */
export enum InterruptCall {
  LineMask = 0xff,
  /** The host resumes the handler of the line, which returned Preempted (no second IrqEnter). */
  Resume = 0x100,
}
