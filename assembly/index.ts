// Despertador firmware SDK: everything a firmware imports.
export { Poll, AnyFuture, Future, Unit } from "./future";
export { Waker, Context, WakerRegistration } from "./waker";
export { entry, MainFunction } from "./entry";
export { Executor, Spawner, SpawnError, SpawnResult, THREAD_EXECUTOR } from "./executor/executor";
export { InterruptExecutor } from "./executor/interrupt-executor";
export { TaskPool } from "./executor/task";
export { JoinHandle } from "./executor/join-handle";
export { blockOn } from "./executor/block-on";
export { yieldNow, YieldNow } from "./executor/yield-now";
export { Duration, Instant, TICK_HZ, nowTicks } from "./time/duration";
export { Timer } from "./time/timer";
export { Ticker, TickerNext } from "./time/ticker";
export { scheduleWake, timerQueueLength } from "./time/driver";
export { Join, join, join3, join4, join5, joinArray } from "./futures/join";
export { Select, select, select3, select4, selectArray } from "./futures/select";
export { WithTimeout, withTimeout, withDeadline, tryWithTimeout } from "./futures/timeout";
export { Signal, SignalWait } from "./sync/signal";
export { Channel, ChannelSend, ChannelReceive, TryReceive, TryReceiveError } from "./sync/channel";
export { Mutex, MutexLock } from "./sync/mutex";
export { Watch, WatchReceiver, WatchChanged } from "./sync/watch";
export { Output, Input, Pull, PinWait, WaitFor } from "./hal/gpio";
export { Uart, UartError, UartRead, UartWrite, UartFlush } from "./hal/uart";
export { Adc, AdcRead } from "./hal/adc";
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
// The register map, for firmware that drives a peripheral itself (a PAC's names).
export {
  Irq, Peripheral, SysTimerReg, NvicReg, SysCtlReg, GpioReg, UartReg, UartStatus, UartCtrl, AdcReg, AdcStatus,
} from "../abi/memory-map";
export { read32, write32 } from "./hal/mmio";
