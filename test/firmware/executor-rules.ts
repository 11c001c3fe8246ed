// executor-rules: masking, handlers that only wake, and a Timer woken early (see test/executor.test.ts)
//
// 1. "masker" masks interrupts (PRIMASK) in its first poll and burns 1 ms, yields, and
//    unmasks in its second poll. The test raises SWI0 at 0.5 ms: it is taken only after
//    the unmask, between two polls.
// 2. SWI0's handler only wakes "waiter" (through its registration): the waiter is polled
//    after the exception return, in thread mode, never inside the handler.
// 3. "sleeper" awaits a 5 ms Timer; "poker" wakes it at 1 ms through a clone of its waker.
//    The early poll finds the deadline ahead and registers the wake again (a Timer always
//    does), so the sleeper still ends at 5 ms.
import {
  Context, Duration, Future, Irq, Poll, Spawner, TaskPool, Timer, Unit, Waker, WakerRegistration, YieldNow,
  bindInterrupt, blockFor, enableInterrupt, entry, println, setInterruptsMasked, yieldNow, nowTicks,
} from "../../assembly/index";

class Masker extends Future<Unit> {
  yielding: YieldNow | null = null;
  poll(cx: Context): Poll {
    if (this.yielding === null) {
      setInterruptsMasked(true);
      println("masked");
      blockFor(Duration.fromMillis(1));
      this.yielding = yieldNow();
    }
    if (this.yielding!.poll(cx) == Poll.Pending) return Poll.Pending;
    println("unmasking");
    setInterruptsMasked(false);
    return Poll.Ready;
  }
}

const SWI = new WakerRegistration();
let swiAt: u64 = 0;

function onSwi(line: i32): void {
  swiAt = nowTicks();
  SWI.wake();
}

class Waiter extends Future<Unit> {
  poll(cx: Context): Poll {
    if (swiAt != 0) {
      println("waiter woken by the handler at " + swiAt.toString());
      return Poll.Ready;
    }
    SWI.register(cx.waker);
    return Poll.Pending;
  }
}

let sleeperWaker: Waker | null = null;

class Sleeper extends Future<Unit> {
  timer: Timer = Timer.afterMillis(5);
  poll(cx: Context): Poll {
    if (sleeperWaker === null) sleeperWaker = cx.waker.clone();
    if (this.timer.poll(cx) == Poll.Pending) return Poll.Pending;
    println("sleeper done");
    return Poll.Ready;
  }
}

class Poker extends Future<Unit> {
  timer: Timer = Timer.afterMillis(1);
  poll(cx: Context): Poll {
    if (this.timer.poll(cx) == Poll.Pending) return Poll.Pending;
    sleeperWaker!.wake();
    return Poll.Ready;
  }
}

const MASKER = new TaskPool("masker", 1);
const WAITER = new TaskPool("waiter", 1);
const SLEEPER = new TaskPool("sleeper", 1);
const POKER = new TaskPool("poker", 1);

function main(spawner: Spawner): void {
  bindInterrupt(Irq.Swi0, onSwi);
  enableInterrupt(Irq.Swi0);
  spawner.mustSpawn<Unit>(MASKER, new Masker());
  spawner.mustSpawn<Unit>(WAITER, new Waiter());
  spawner.mustSpawn<Unit>(SLEEPER, new Sleeper());
  spawner.mustSpawn<Unit>(POKER, new Poker());
}

entry(main);
export * from "../../assembly/boot";
