// join-unit: a task awaits the JoinHandle<Unit> of another (regression: a Unit output used to be null)
import { Context, Future, JoinHandle, Poll, Spawner, TaskPool, Timer, Unit, entry, println } from "../../assembly/index";

/** Sleeps 1 ms, then is done. */
class Sleeper extends Future<Unit> {
  timer: Timer = Timer.afterMillis(1);
  poll(cx: Context): Poll {
    return this.timer.poll(cx);
  }
}

/** Awaits the sleeper's handle, then says so. */
class Joiner extends Future<Unit> {
  constructor(private readonly handle: JoinHandle<Unit>) {
    super();
  }
  poll(cx: Context): Poll {
    if (this.handle.poll(cx) == Poll.Pending) return Poll.Pending;
    println("joined a Unit task");
    return Poll.Ready;
  }
}

const SLEEPER = new TaskPool("sleeper", 1);
const JOINER = new TaskPool("joiner", 1);

function main(spawner: Spawner): void {
  const handle = spawner.spawn<Unit>(SLEEPER, new Sleeper()).unwrap();
  spawner.mustSpawn<Unit>(JOINER, new Joiner(handle));
}

entry(main);
export * from "../../assembly/boot";
