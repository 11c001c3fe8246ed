// timer-loop: one task that sleeps 1 ms with Timer.after, forever: every wakeup takes the chip's whole interrupt path
//
// Alarm fires → interrupt controller → alarm handler (timer queue releases the task, wakes
// it) → executor polls the task → the task arms a new timer → no task is ready: WFI → the
// host jumps virtual time to the next alarm. The bench counts interrupts per wall second.
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry } from "../../assembly/index";

class Ticker extends Future<Unit> {
  timer: Timer = Timer.afterMillis(1);

  poll(cx: Context): Poll {
    while (this.timer.poll(cx) == Poll.Ready) this.timer = Timer.afterMillis(1);
    return Poll.Pending;
  }
}

const TICKER = new TaskPool("ticker", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(TICKER, new Ticker());
}

entry(main);
export * from "../../assembly/boot";
