// The chip's entry points: what the host calls. Every firmware re-exports them:
//
//   export * from "../assembly/boot";
//
//   reset()          run main once (it spawns tasks); the time driver is set up first
//   run(budget)      poll up to `budget` ready tasks; -1 means idle (the CPU executes WFI)
//   interrupt(line, budget)
//                    the host's interrupt controller dispatches `line` through the vector
//                    table; then, as the CPU returns from the exception, thread mode polls
//                    up to `budget` tasks unless something more urgent is due (one call
//                    for a whole wakeup: handler, then the task it woke). A handler that
//                    yields to something more urgent returns Preempted; the host calls
//                    again with the line | InterruptCall.Resume to resume it
//   control_block()  address of the control block (trace ring, cycle counter)
//   collect()        run the garbage collector (the host calls it between calls; see
//                    hal/control.ts for when the firmware asks for one)
import { Spawner, THREAD_EXECUTOR } from "./executor/executor";
import { dispatchInterrupt } from "./hal/interrupts";
import { yieldRequested } from "./hal/control";
import { InterruptCall, RunStatus } from "../abi/run-status";
import { initTimeDriver } from "./time/driver";
import { controlBlock } from "./trace/ring";
import { mainFunction } from "./entry";

let didReset = false;

export function reset(): void {
  if (didReset) throw new Error("reset twice: load the firmware again");
  didReset = true;
  initTimeDriver();
  mainFunction()(new Spawner(THREAD_EXECUTOR));
}

export function run(budget: i32): i32 {
  return THREAD_EXECUTOR.run(budget, true);
}

export function interrupt(call: i32, budget: i32): i32 {
  if (dispatchInterrupt(call & InterruptCall.LineMask, (call & InterruptCall.Resume) != 0)) return RunStatus.Preempted;
  // The exception return told the host; it asks for control back if anything is due (and
  // gives no budget while another handler waits to be resumed).
  if (budget == 0 || yieldRequested()) return RunStatus.HandlerOnly;
  return THREAD_EXECUTOR.run(budget, true);
}

export function control_block(): usize {
  return controlBlock();
}

export function collect(): void {
  __collect();
}
