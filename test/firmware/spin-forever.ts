// spin-forever: block_on a future that is never Ready (the watchdog must end it)
import { Context, Future, Poll, Spawner, TaskPool, Unit, blockOn, entry } from "../../assembly/index";

class Never extends Future<Unit> {
  poll(cx: Context): Poll {
    return Poll.Pending;
  }
}

/** A task whose first poll spins inside block_on. */
class Spinner extends Future<Unit> {
  poll(cx: Context): Poll {
    blockOn<Unit>(new Never());
    return Poll.Ready;
  }
}

const SPINNER = new TaskPool("spinner", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(SPINNER, new Spinner());
}

entry(main);
export * from "../../assembly/boot";
