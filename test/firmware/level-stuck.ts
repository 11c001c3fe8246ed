// level-stuck: an alarm handler that leaves its level-triggered line asserted twice, so the controller takes it again at once
//
// Alarm 1 fires 1 ms after reset. Its handler wakes the task, and clears the alarm's status
// only on its third entry: on exception return the line is still asserted the first two
// times, and the CPU must take it again before thread mode polls anything.
import { Context, Future, Irq, Poll, Spawner, TaskPool, Unit, Waker, bindInterrupt, enableInterrupt, entry } from "../../assembly/index";
import { read32, write32 } from "../../assembly/hal/mmio";
import { Peripheral, SysTimerReg } from "../../abi/memory-map";

const ALARM1: u32 = <u32>Peripheral.SysTimer + <u32>SysTimerReg.AlarmBase + <u32>SysTimerReg.AlarmStride;
let entries = 0;
let waiter: Waker | null = null;

function onAlarm1(line: i32): void {
  entries++;
  if (entries == 3) write32(ALARM1 + <u32>SysTimerReg.AlarmStatus, 1);
  if (waiter !== null) waiter!.wakeByRef();
}

/** Waits for the handler's first wake, then is done. */
class Waiter extends Future<Unit> {
  poll(cx: Context): Poll {
    if (entries > 0) return Poll.Ready;
    waiter = cx.waker.clone();
    return Poll.Pending;
  }
}

const WAITER = new TaskPool("waiter", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(WAITER, new Waiter());
  bindInterrupt(Irq.Alarm1, onAlarm1);
  enableInterrupt(Irq.Alarm1);
  const now = read32(<u32>Peripheral.SysTimer + <u32>SysTimerReg.NowLo);
  write32(ALARM1 + <u32>SysTimerReg.AlarmTargetHi, 0);
  write32(ALARM1 + <u32>SysTimerReg.AlarmTargetLo, now + 1000);
}

entry(main);
export * from "../../assembly/boot";
