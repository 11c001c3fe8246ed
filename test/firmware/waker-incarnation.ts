// waker-incarnation: wakers cloned by one task of a pool slot, then dropped, replaced or woken after the slot was respawned
//
// Each pool has one slot, so its second task reuses the first one's header. A driver task
// steps through the scenario, one step per millisecond:
//   1. first tasks: registered registers in REG and finishes; keeper keeps two clones
//      (KEPT, SHARED) and finishes; woken keeps STALE and finishes; cycler keeps ANCIENT
//      and finishes.
//   2. second tasks in the same slots: registered registers in REG again (REG still holds
//      the first task's waker); keeper refreshes SHARED with Waker.cloneFrom and keeps it;
//      woken returns Pending without a waker; cycler's slot gets the first of five tasks
//      that clone, drop and finish (steps 2..6), then (step 7) one that keeps its waker.
//   8. the driver drops KEPT and ANCIENT and wakes STALE (a waker of woken's first task,
//      whose slot now holds the second).
import { Context, Future, Poll, Spawner, TaskPool, Unit, Waker, WakerRegistration, entry } from "../../assembly/index";
import { CloneDropFinish, KeepOwn, Stepper } from "./lib/waker-steps";

let spawner: Spawner | null = null;

const REG = new WakerRegistration();
let KEPT: Waker | null = null;
let SHARED: Waker | null = null;
let STALE: Waker | null = null;
let ANCIENT: Waker | null = null;

const REGISTERED = new TaskPool("registered", 1);
const KEEPER = new TaskPool("keeper", 1);
const WOKEN = new TaskPool("woken", 1);
const CYCLER = new TaskPool("cycler", 1);
const DRIVER = new TaskPool("driver", 1);

/** Registers in REG and finishes: REG keeps a waker of a finished task. */
class RegisterThenFinish extends Future<Unit> {
  poll(cx: Context): Poll {
    REG.register(cx.waker);
    return Poll.Ready;
  }
}

/** Registers in REG and waits for ever (nothing rings REG). */
class RegisterAndWait extends Future<Unit> {
  poll(cx: Context): Poll {
    REG.register(cx.waker);
    return Poll.Pending;
  }
}

class KeepTwoThenFinish extends Future<Unit> {
  poll(cx: Context): Poll {
    KEPT = cx.waker.clone();
    SHARED = cx.waker.clone();
    return Poll.Ready;
  }
}

/** Refreshes SHARED with its own waker (the Mutex pattern) and waits for ever. */
class RefreshShared extends Future<Unit> {
  poll(cx: Context): Poll {
    SHARED = Waker.cloneFrom(SHARED, cx.waker);
    return Poll.Pending;
  }
}

class StashThenFinish extends Future<Unit> {
  poll(cx: Context): Poll {
    STALE = cx.waker.clone();
    return Poll.Ready;
  }
}

/** Pending without a waker on its first poll; Ready when polled again (by the stale wake). */
class ReadyOnSecondPoll extends Future<Unit> {
  polls: i32 = 0;
  poll(cx: Context): Poll {
    return ++this.polls == 2 ? Poll.Ready : Poll.Pending;
  }
}

class AncientThenFinish extends Future<Unit> {
  poll(cx: Context): Poll {
    ANCIENT = cx.waker.clone();
    return Poll.Ready;
  }
}

class Driver extends Stepper {
  act(step: i32): bool {
    const s = spawner!;
    if (step == 1) {
      s.mustSpawn<Unit>(REGISTERED, new RegisterThenFinish());
      s.mustSpawn<Unit>(KEEPER, new KeepTwoThenFinish());
      s.mustSpawn<Unit>(WOKEN, new StashThenFinish());
      s.mustSpawn<Unit>(CYCLER, new AncientThenFinish());
      return true;
    }
    if (step == 2) {
      s.mustSpawn<Unit>(REGISTERED, new RegisterAndWait());
      s.mustSpawn<Unit>(KEEPER, new RefreshShared());
      s.mustSpawn<Unit>(WOKEN, new ReadyOnSecondPoll());
    }
    if (step <= 6) {
      s.mustSpawn<Unit>(CYCLER, new CloneDropFinish());
      return true;
    }
    if (step == 7) {
      s.mustSpawn<Unit>(CYCLER, new KeepOwn());
      return true;
    }
    KEPT!.drop();
    ANCIENT!.drop();
    STALE!.wake();
    return false;
  }
}

function main(s: Spawner): void {
  spawner = s;
  s.mustSpawn<Unit>(DRIVER, new Driver());
}

entry(main);
export * from "../../assembly/boot";
