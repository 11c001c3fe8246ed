// panic: a task that panics 5 ms after reset (fault reporting)
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry } from "../../assembly/index";

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

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(DOOMED, new Doomed());
}

entry(main);
export * from "../../assembly/boot";
