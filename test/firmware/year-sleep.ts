// year-sleep: one task sleeps 365 days, then prints (64-bit time far past 2^32 µs)
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry, nowTicks, println } from "../../assembly/index";

class Sleeper extends Future<Unit> {
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    if (this.timer === null) this.timer = Timer.afterSecs(365 * 24 * 3600);
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    println("woke at " + nowTicks().toString() + " us");
    return Poll.Ready;
  }
}

const SLEEPER = new TaskPool("sleeper", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(SLEEPER, new Sleeper());
}

entry(main);
export * from "../../assembly/boot";
