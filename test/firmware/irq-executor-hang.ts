// irq-executor-hang: a poll that never returns inside an interrupt executor's handler (the virtual watchdog must end it)
import { Context, Future, InterruptExecutor, Irq, Poll, Spawner, TaskPool, Unit, burnCycles, entry } from "../../assembly/index";

class Forever extends Future<Unit> {
  poll(cx: Context): Poll {
    while (true) burnCycles(1000);
    return Poll.Ready;
  }
}

const FOREVER = new TaskPool("forever", 1);

function main(spawner: Spawner): void {
  new InterruptExecutor(Irq.Swi1, 1).start().mustSpawn<Unit>(FOREVER, new Forever());
}

entry(main);
export * from "../../assembly/boot";
