// The time driver: the timer queue on top of the system timer's alarm channel 0.
//
// `scheduleWake(at, waker)` puts the waker's task in the queue and keeps the hardware alarm
// on the earliest deadline. The alarm interrupt releases every expired task (the wakes are
// recorded as coming from the timer queue) and re-arms for the next deadline. Arming a
// deadline that has already passed makes the hardware fire at once, so a deadline can
// never be missed between "check" and "arm".
//
// A TimerArmed record carries its deadline exactly in a (high word) and b (low word), and as
// a double in c, which is exact up to 2^53 − 1 ticks (where the host's virtual time ends) and
// rounded past it (such a deadline can never fire). A TimerFired deadline has been reached,
// so it is at most the time now: c alone holds it exactly.
import { write32 } from "../hal/mmio";
import { Irq, Peripheral, SysTimerReg } from "../../abi/memory-map";
import { bindInterrupt, enableInterrupt } from "../hal/interrupts";
import { Waker, taskOf } from "../waker";
import { TaskHeader } from "../executor/task";
import { TimerQueue } from "./queue";
import { nowTicks } from "./duration";
import { emit, tracing } from "../trace/ring";
import { TraceEvent, WakeSource } from "../../abi/trace-events";
import { enterSource, leaveSource } from "../executor/source";

const ALARM: u32 = Peripheral.SysTimer + SysTimerReg.AlarmBase; // channel 0
const QUEUE = new TimerQueue();
/** The deadline the hardware alarm is armed for (u64.MAX: disarmed). */
let armedAt: u64 = u64.MAX_VALUE;
/** What the alarm's TARGET_HI register holds (0 after reset). */
let targetHi: u32 = 0;

/** Tasks waiting in the timer queue. */
export function timerQueueLength(): i32 {
  return QUEUE.length;
}

/** Wake `waker` at `at` (or at once if `at` has passed). The no-op waker is ignored. */
export function scheduleWake(at: u64, waker: Waker): void {
  const task = taskOf(waker); // a clone carries its incarnation in the pointer (waker.ts)
  if (task.id == 0) return; // the no-op waker
  if (!task.spawned) return;
  if (QUEUE.schedule(task, at)) {
    if (tracing()) emit(TraceEvent.TimerArmed, task.id, <u32>(at >> 32), <u32>at, <f64>at);
    rearm();
  }
}

/** Forget `task`'s deadline (it finished). */
export function cancelWake(task: TaskHeader): void {
  if (task.timerIndex < 0) return;
  QUEUE.remove(task);
  rearm();
}

/** Keep the hardware alarm on the queue's earliest deadline. */
function rearm(): void {
  const next = QUEUE.nextExpiration();
  if (next == armedAt) return;
  armedAt = next;
  if (next == u64.MAX_VALUE) {
    write32(ALARM + SysTimerReg.AlarmCtrl, 0);
    return;
  }
  // The high word changes every 71 minutes: skip rewriting the value the register holds.
  const hi = <u32>(next >> 32);
  if (hi != targetHi) {
    write32(ALARM + SysTimerReg.AlarmTargetHi, hi);
    targetHi = hi;
  }
  // Writing the low word arms the channel: one bus write per deadline.
  write32(ALARM + SysTimerReg.AlarmTargetLo, <u32>next);
}

function onAlarm(line: i32): void {
  write32(ALARM + SysTimerReg.AlarmStatus, 1);
  armedAt = u64.MAX_VALUE; // the channel disarms itself when it fires
  const now = nowTicks();
  const prev = enterSource(WakeSource.TimerQueue, 0);
  let task = QUEUE.popExpired(now);
  while (task !== null) {
    if (tracing()) emit(TraceEvent.TimerFired, task.id, 0, 0, <f64>QUEUE.lastDeadline);
    task.wakeByRef();
    task = QUEUE.popExpired(now);
  }
  leaveSource(prev);
  rearm();
}

/** Bind and enable the alarm interrupt (done by `reset` before `main`). */
export function initTimeDriver(): void {
  bindInterrupt(Irq.Alarm0, onAlarm);
  enableInterrupt(Irq.Alarm0);
}
