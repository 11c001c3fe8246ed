// hostile-preempt: an interrupt entry that lies: SWI0 says Preempted without doing anything, SWI1 returns without its exception return
import { Context, Future, Irq, Poll, Spawner, TaskPool, Unit, Timer, entry, enableInterrupt } from "../../assembly/index";
import { RunStatus } from "../../abi/entry-points";
export { reset, run, control_block, collect } from "../../assembly/boot";

export function interrupt(line: i32, budget: i32): i32 {
  return line == <i32>Irq.Swi0 ? RunStatus.Preempted : RunStatus.HandlerOnly;
}

/** Thread mode: sleeps 1 ms, twice. */
class Napper extends Future<Unit> {
  naps: i32 = 0;
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    while (this.naps < 2) {
      if (this.timer === null) this.timer = Timer.afterMillis(1);
      if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
      this.timer = null;
      this.naps++;
    }
    return Poll.Ready;
  }
}

const NAPPER = new TaskPool("napper", 1);

function main(spawner: Spawner): void {
  enableInterrupt(Irq.Swi0);
  enableInterrupt(Irq.Swi1);
  spawner.mustSpawn<Unit>(NAPPER, new Napper());
}

entry(main);
export { Irq };
