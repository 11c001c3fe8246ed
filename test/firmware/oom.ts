// oom: a task that keeps allocating 16 KiB buffers, 1 ms apart, until the heap cannot grow
import { Context, Future, Poll, Spawner, TaskPool, Timer, Unit, entry } from "../../assembly/index";

const hoard = new Array<Uint8Array>();

class Hoarder extends Future<Unit> {
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    while (true) {
      if (this.timer === null) this.timer = Timer.afterMillis(1);
      if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
      this.timer = null;
      hoard.push(new Uint8Array(16 * 1024));
    }
  }
}

const HOARDER = new TaskPool("hoarder", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(HOARDER, new Hoarder());
}

entry(main);
export * from "../../assembly/boot";
