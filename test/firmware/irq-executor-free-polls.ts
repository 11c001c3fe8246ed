// irq-executor-free-polls: an interrupt executor's first task raises a more urgent line; run with polls that cost no cycles, the preemption spends none
import { Context, Future, InterruptExecutor, Irq, Poll, Spawner, TaskPool, Unit, bindInterrupt, enableInterrupt, entry, pendInterrupt, println, setPriority } from "../../assembly/index";

class Raiser extends Future<Unit> {
  poll(cx: Context): Poll {
    pendInterrupt(Irq.Swi0);
    return Poll.Ready;
  }
}

class Quiet extends Future<Unit> {
  poll(cx: Context): Poll {
    println("quiet task polled");
    return Poll.Ready;
  }
}

function onUrgent(line: i32): void {
  println("urgent handler");
}

const RAISER = new TaskPool("raiser", 1);
const QUIET = new TaskPool("quiet", 2);

function main(spawner: Spawner): void {
  bindInterrupt(Irq.Swi0, onUrgent);
  setPriority(Irq.Swi0, 0);
  enableInterrupt(Irq.Swi0);
  const low = new InterruptExecutor(Irq.Swi3, 3).start();
  low.mustSpawn<Unit>(RAISER, new Raiser());
  low.mustSpawn<Unit>(QUIET, new Quiet());
  low.mustSpawn<Unit>(QUIET, new Quiet());
}

entry(main);
export * from "../../assembly/boot";
