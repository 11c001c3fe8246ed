// gc-irq-yield: a busy yieldNow loop on an interrupt executor, a fresh YieldNow per yield: the handler never lets the CPU sleep
import { Context, Future, InterruptExecutor, Irq, Poll, Spawner, TaskPool, Unit, YieldNow, entry, yieldNow } from "../../assembly/index";

class Spin extends Future<Unit> {
  yielding: YieldNow = yieldNow();
  poll(cx: Context): Poll {
    while (this.yielding.poll(cx) == Poll.Ready) this.yielding = yieldNow();
    return Poll.Pending;
  }
}

const SPIN = new TaskPool("spin", 1);

function main(spawner: Spawner): void {
  new InterruptExecutor(Irq.Swi1, 1).start().mustSpawn<Unit>(SPIN, new Spin());
}

entry(main);
export * from "../../assembly/boot";
