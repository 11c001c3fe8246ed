// The chip's entry points: what the host calls (abi/entry-points.ts says what each does).
// Every firmware re-exports them:
//
//   export * from "../assembly/boot";
//
// A handler that yields to something more urgent returns Preempted; the host calls again
// with the line | InterruptCall.Resume to resume it.
import { Spawner, THREAD_EXECUTOR } from "./executor/executor";
import { dispatchInterrupt } from "./hal/interrupts";
import { yieldRequested } from "./hal/control";
import { InterruptCall, RunStatus } from "../abi/entry-points";
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
