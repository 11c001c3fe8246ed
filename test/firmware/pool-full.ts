// pool-full: main must-spawns two tasks into a pool of one
import { Context, Future, Poll, Spawner, TaskPool, Unit, entry } from "../../assembly/index";

class Idle extends Future<Unit> {
  poll(cx: Context): Poll {
    return Poll.Ready;
  }
}

const SOLO = new TaskPool("solo", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(SOLO, new Idle());
  spawner.mustSpawn<Unit>(SOLO, new Idle());
}

entry(main);
export * from "../../assembly/boot";
