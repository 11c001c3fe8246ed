// waker-wraparound: a waker kept across seven and eight respawns of its one-slot pool (its tag comes round), and a double drop
//
// A clone's tag is the slot's generation, 1..7, so a pool's 8th task has the 1st one's tag
// and its 9th the 2nd one's. A driver steps through the scenario, one step per millisecond:
//    1. eighth's and ninth's first tasks keep a clone (OLD_EIGHTH, OLD_NINTH) and finish;
//       double clones its waker, drops that clone twice (a bug) and waits with no waker.
//  2–7. eighth's and ninth's slots get tasks that clone, drop and finish.
//    8. eighth's 8th task keeps one clone of its waker and waits; ninth's 8th task clones,
//       drops and finishes.
//    9. ninth's 9th task keeps one clone of its waker and waits.
//   10. the driver drops OLD_EIGHTH (same tag as the slot's task now, which holds a live
//       clone) and OLD_NINTH (the tag of the slot's previous task), and finishes.
import { Context, Future, Poll, Spawner, TaskPool, Unit, Waker, entry } from "../../assembly/index";
import { CloneDropFinish, KeepOwn, Stepper } from "./lib/waker-steps";

let spawner: Spawner | null = null;

let OLD_EIGHTH: Waker | null = null;
let OLD_NINTH: Waker | null = null;

const EIGHTH = new TaskPool("eighth", 1);
const NINTH = new TaskPool("ninth", 1);
const DOUBLE = new TaskPool("double", 1);
const DRIVER = new TaskPool("driver", 1);

class KeepForEighth extends Future<Unit> {
  poll(cx: Context): Poll {
    OLD_EIGHTH = cx.waker.clone();
    return Poll.Ready;
  }
}

class KeepForNinth extends Future<Unit> {
  poll(cx: Context): Poll {
    OLD_NINTH = cx.waker.clone();
    return Poll.Ready;
  }
}

/** Drops its only clone twice, then waits with no waker: a lost waker, and one drop too many. */
class DropTwice extends Future<Unit> {
  poll(cx: Context): Poll {
    const w = cx.waker.clone();
    w.drop();
    w.drop();
    return Poll.Pending;
  }
}

class Driver extends Stepper {
  act(step: i32): bool {
    const s = spawner!;
    if (step == 1) {
      s.mustSpawn<Unit>(EIGHTH, new KeepForEighth());
      s.mustSpawn<Unit>(NINTH, new KeepForNinth());
      s.mustSpawn<Unit>(DOUBLE, new DropTwice());
      return true;
    }
    if (step <= 7) {
      s.mustSpawn<Unit>(EIGHTH, new CloneDropFinish());
      s.mustSpawn<Unit>(NINTH, new CloneDropFinish());
      return true;
    }
    if (step == 8) {
      s.mustSpawn<Unit>(EIGHTH, new KeepOwn());
      s.mustSpawn<Unit>(NINTH, new CloneDropFinish());
      return true;
    }
    if (step == 9) {
      s.mustSpawn<Unit>(NINTH, new KeepOwn());
      return true;
    }
    OLD_EIGHTH!.drop();
    OLD_NINTH!.drop();
    return false;
  }
}

function main(s: Spawner): void {
  spawner = s;
  s.mustSpawn<Unit>(DRIVER, new Driver());
}

entry(main);
export * from "../../assembly/boot";
