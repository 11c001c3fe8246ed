// The wire format of a task program, shared verbatim by the model (TypeScript) and the
// firmware that interprets programs on the chip (test/firmware/model-interpreter.ts, which
// AssemblyScript compiles): plain numeric enums only, like the SDK's abi files.
//
// A program reaches the chip over the UART, little endian:
//   header  u16 body length, u32 start tick (when the loader spawns the root tasks)
//   body    u8 tasks, u8 roots, u8 target task of each of the four SWI lines (255: none,
//           254: the line runs an InterruptExecutor), u8 NVIC priority of each of them, then
//           per task: i32 value, u8 executor (the SWI line 0..3 of its InterruptExecutor,
//           255: thread mode), u8 steps, the steps
//   step    u8 Op, then its operands: SleepFor/SleepUntil u32 ticks, Spawn/Wake/Await/WaitOn u8 task,
//           Select/Join two leaf steps (Ready, Yield, Wait, SleepFor, SleepUntil), Timeout a
//           leaf step and u32 ticks

export enum Op {
  /** A future that is Ready on its first poll. */
  Ready = 0,
  /** yieldNow(): wake_by_ref, Pending, then Ready. */
  Yield = 1,
  /** Pending, the task's waker in its own slot, until the slot is notified. */
  Wait = 2,
  /** Timer.after(ticks), the deadline taken when the step begins. */
  SleepFor = 3,
  /** Timer.at(start + ticks). */
  SleepUntil = 4,
  /** Spawn a task (a later one in the program); Busy if its slot is taken. */
  Spawn = 5,
  /** wake_by_ref on the task's own waker, and go on in the same poll. */
  WakeSelf = 6,
  /** Notify a task's slot: wake the waker it left there. */
  Wake = 7,
  Select = 8,
  Join = 9,
  /** withTimeout(leaf, ticks). */
  Timeout = 10,
  /** Await the JoinHandle of the task's last successful spawn of a task (Ready at once if none). */
  Await = 11,
  /**
   * Pending until another task's slot is notified, its waker registered there on its first
   * poll only (so a waiter it displaced, or one that displaces it, is woken once, never in a loop).
   */
  WaitOn = 12,
}

export enum Wire {
  HeaderBytes = 6,
  /** The four software interrupt lines a program's interrupts use (Swi0..Swi3). */
  Lines = 4,
  NoTarget = 255,
  /** A line's target byte: the line runs an InterruptExecutor at the line's priority. */
  Executor = 254,
  /** A task's executor byte: thread mode. */
  ThreadMode = 255,
  /** Most tasks in a program (one pool of capacity 1 each). */
  MaxTasks = 16,
}
