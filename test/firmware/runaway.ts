// runaway: at t = 2 ms a task's poll loops forever without touching the hardware
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry, println } from "../../assembly/index";

let spins: u64 = 0;

class Runaway extends Future<Unit> {
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    if (this.timer === null) this.timer = Timer.afterMillis(2);
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    println("runaway: spinning now");
    while (spins != u64.MAX_VALUE - 1) spins = spins * 3 + 1;
    return Poll.Ready;
  }
}

const RUNAWAY = new TaskPool("runaway", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(RUNAWAY, new Runaway());
}

entry(main);
export * from "../../assembly/boot";
