// InterruptExecutor: an executor that runs in an interrupt handler (Embassy's). Its pender
// raises a spare interrupt line; the line's handler polls the executor's ready tasks. With
// a more urgent priority than thread mode, its tasks run ahead of thread-mode tasks: at
// the next poll boundary, however long thread mode's queue is.
//
// As Embassy's `on_interrupt`, one interrupt polls one batch: tasks woken during it (a task
// that wakes itself too) pend the line again, so it is taken again after the exception
// return, and anything more urgent that became pending meanwhile goes first. A more urgent
// interrupt preempts the handler between two of its polls (a poll is atomic).
//
//   line taken ──poll the batch──▶ exception return (line pended again if tasks were woken)
//                └─ something more urgent is due, between polls: Preempted ──resumed──┘
import { Executor, Spawner } from "./executor";
import { bindInterrupt, enableInterrupt, setPriority, yieldToPreemption } from "../hal/interrupts";

// @ts-ignore: decorator (made on first use: firmware without interrupt executors carries none)
@lazy const EXECUTORS = new StaticArray<Executor | null>(32);
let nextExecutorId: u32 = 1;

function onExecutorInterrupt(line: i32): void {
  const executor = unchecked(EXECUTORS[line])!;
  executor.run(i32.MAX_VALUE, true, true);
  if (executor.batchLeft) yieldToPreemption();
}

export class InterruptExecutor {
  readonly executor: Executor;

  /** An executor on software interrupt `line` (e.g. Irq.Swi1) at `priority` (0 most urgent). */
  constructor(public readonly line: i32, public readonly priority: u8) {
    if (line < 0 || line >= 32 || EXECUTORS[line] !== null) throw new Error("interrupt executor line " + line.toString() + " is taken or does not exist");
    this.executor = new Executor(nextExecutorId++, line);
    EXECUTORS[line] = this.executor;
  }

  /** Bind the handler, set the priority, enable the line; spawn onto the returned Spawner. */
  start(): Spawner {
    bindInterrupt(this.line, onExecutorInterrupt);
    setPriority(this.line, this.priority);
    enableInterrupt(this.line);
    return new Spawner(this.executor);
  }
}
