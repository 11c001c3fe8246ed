// web-spin: a task that wakes itself on every poll, forever: the densest trace the page can be asked to draw
//
// The browser tests measure the page's frame time with it: every poll writes its records,
// so the host log is always full and the timeline always has the most to read.
import { Context, Future, Poll, Spawner, TaskPool, Unit, entry } from "../../assembly/index";

/**   Spinning ──wake_by_ref, Pending──▶ Spinning ...   (never Ready) */
class Spin extends Future<Unit> {
  polls: u64 = 0;

  get stateName(): string {
    return "Spinning";
  }

  poll(cx: Context): Poll {
    this.polls++;
    cx.waker.wakeByRef();
    return Poll.Pending;
  }
}

const SPIN = new TaskPool("spin", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(SPIN, new Spin());
}

entry(main);
export * from "../../assembly/boot";
