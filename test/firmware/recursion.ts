// recursion: a task whose poll recurses without end (a stack overflow)
import { Context, Future, Poll, Spawner, TaskPool, Unit, entry } from "../../assembly/index";

function depth(n: i32): i32 {
  return n == -1 ? 0 : depth(n + 1) + 1;
}

class Deep extends Future<Unit> {
  poll(cx: Context): Poll {
    depth(0);
    return Poll.Ready;
  }
}

const DEEP = new TaskPool("deep", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(DEEP, new Deep());
}

entry(main);
export * from "../../assembly/boot";
