// executor-semantics: tasks that probe the executor's wake and batch rules (see test/executor.test.ts)
import {
  Context, Future, Irq, Poll, Spawner, TaskPool, Timer, Unit, Waker, WakerRegistration,
  bindInterrupt, enableInterrupt, entry, yieldNow, YieldNow,
} from "../../assembly/index";

// 1. Duplicate wakes before a poll give one poll.
let targetWaker: Waker | null = null;

/** Pending on its first poll (leaving a waker clone behind), Ready on the next. */
class Target extends Future<Unit> {
  polls: i32 = 0;
  poll(cx: Context): Poll {
    if (this.polls++ == 0) {
      targetWaker = cx.waker.clone();
      return Poll.Pending;
    }
    return Poll.Ready;
  }
}

/** Wakes the target three times within one poll. */
class TripleWaker extends Future<Unit> {
  poll(cx: Context): Poll {
    const w = targetWaker!;
    w.wakeByRef();
    w.wakeByRef();
    w.wake();
    return Poll.Ready;
  }
}

// 2. A task woken during a batch runs in the next batch.
class Yielder extends Future<Unit> {
  step: i32 = 0;
  inner: YieldNow = yieldNow();
  poll(cx: Context): Poll {
    while (this.step < 2) {
      if (this.inner.poll(cx) == Poll.Pending) return Poll.Pending;
      this.step++;
      this.inner = yieldNow();
    }
    return Poll.Ready;
  }
}

// 3. A wake to a finished task is harmless.
let finishedWaker: Waker | null = null;

class Finisher extends Future<Unit> {
  poll(cx: Context): Poll {
    finishedWaker = cx.waker.clone();
    return Poll.Ready;
  }
}

/** Sleeps 1 ms, then wakes the long-finished Finisher. */
class LateWaker extends Future<Unit> {
  timer: Timer | null = null;
  poll(cx: Context): Poll {
    if (this.timer === null) this.timer = Timer.afterMillis(1);
    if (this.timer!.poll(cx) == Poll.Pending) return Poll.Pending;
    finishedWaker!.wake();
    return Poll.Ready;
  }
}

// 4. A wake from an interrupt right when the queue runs empty is not lost.
let swiFired = false;
const SWI_WAITER = new WakerRegistration();

function onSwi(line: i32): void {
  swiFired = true;
  SWI_WAITER.wake();
}

class IrqWaiter extends Future<Unit> {
  poll(cx: Context): Poll {
    if (swiFired) return Poll.Ready;
    SWI_WAITER.register(cx.waker);
    return Poll.Pending;
  }
}

const TARGET = new TaskPool("target", 1);
const TRIPLE = new TaskPool("triple-waker", 1);
const YIELDER = new TaskPool("yielder", 1);
const FINISHER = new TaskPool("finisher", 1);
const LATE = new TaskPool("late-waker", 1);
const IRQ_WAITER = new TaskPool("irq-waiter", 1);

function main(spawner: Spawner): void {
  bindInterrupt(Irq.Swi0, onSwi);
  enableInterrupt(Irq.Swi0);
  spawner.mustSpawn<Unit>(TARGET, new Target());
  spawner.mustSpawn<Unit>(TRIPLE, new TripleWaker());
  spawner.mustSpawn<Unit>(YIELDER, new Yielder());
  spawner.mustSpawn<Unit>(FINISHER, new Finisher());
  spawner.mustSpawn<Unit>(LATE, new LateWaker());
  spawner.mustSpawn<Unit>(IRQ_WAITER, new IrqWaiter());
}

entry(main);
export * from "../../assembly/boot";
