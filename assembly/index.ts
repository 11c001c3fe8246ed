// Despertador firmware SDK: everything a firmware imports.
export { Poll, AnyFuture, Future, Unit } from "./future";
export { Waker, Context, WakerRegistration } from "./waker";
export { entry, MainFunction } from "./entry";
export { Executor, Spawner, SpawnError, SpawnResult, THREAD_EXECUTOR } from "./executor/executor";
export { TaskPool } from "./executor/task";
export { JoinHandle } from "./executor/join-handle";
export { blockOn } from "./executor/block-on";
export { yieldNow, YieldNow } from "./executor/yield-now";
export { Duration, Instant, TICK_HZ } from "./time/duration";
export { Timer } from "./time/timer";
export { scheduleWake, timerQueueLength } from "./time/driver";
export { Join, join, join3, join4, join5, joinArray } from "./futures/join";
export { print, println } from "./hal/console";
export { blockFor, burnCycles, cpuHz } from "./hal/cpu";
export {
  InterruptHandler,
  bindInterrupt,
  enableInterrupt,
  disableInterrupt,
  pendInterrupt,
  clearPending,
  isPending,
  setPriority,
  setInterruptsMasked,
} from "./hal/interrupts";
export { Irq, Peripheral } from "./hal/memory-map";
export { read32, write32 } from "./hal/mmio";
