// trap: a task that executes `unreachable` 1 ms after reset (a WebAssembly trap)
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry } from "../../assembly/index";

class Trapper extends Future<Unit> {
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    if (this.timer === null) this.timer = Timer.afterMillis(1);
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    unreachable();
    return Poll.Ready;
  }
}

const TRAPPER = new TaskPool("trapper", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(TRAPPER, new Trapper());
}

entry(main);
export * from "../../assembly/boot";
