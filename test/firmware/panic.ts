// panic: a task that panics 5 ms after reset, and a software interrupt whose handler panics (fault reporting)
import { Context, Future, Irq, Poll, Spawner, TaskPool, Timer, Unit, bindInterrupt, enableInterrupt, entry } from "../../assembly/index";

class Doomed extends Future<Unit> {
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    if (this.timer === null) this.timer = Timer.afterMillis(5);
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    throw new Error("sensor calibration failed");
    return Poll.Ready;
  }
}

const DOOMED = new TaskPool("doomed", 1);

function badReading(line: i32): void {
  throw new Error("sensor reading out of range");
}

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(DOOMED, new Doomed());
  bindInterrupt(Irq.Swi1, badReading);
  enableInterrupt(Irq.Swi1);
}

entry(main);
export * from "../../assembly/boot";
