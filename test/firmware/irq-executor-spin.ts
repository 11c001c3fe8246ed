// irq-executor-spin: a task that wakes itself forever on an interrupt executor starves thread mode, not time or more urgent interrupts
//
// From 5 ms, "spinner" (InterruptExecutor on SWI1, priority 2) yields in a loop: every batch
// wakes it again, so its line is pended again at every exception return. "urgent" ticks
// every millisecond on a more urgent InterruptExecutor (SWI2, priority 1) and prints its
// worst lateness; from its 10th tick it also wakes "thread" (which finds it queued already).
// "thread" ticks every millisecond in thread mode and starves from 5 ms.
import {
  Context, Duration, Future, InterruptExecutor, Irq, Poll, Spawner, TaskPool, Ticker, TickerNext, Timer, Unit, Waker, YieldNow,
  entry, nowTicks, println, yieldNow,
} from "../../assembly/index";

/**   Sleeping ──5 ms──▶ Spinning ──yield──▶ Spinning ... (for ever) */
class Spinner extends Future<Unit> {
  timer: Timer = Timer.afterMillis(5);
  slept: bool = false;
  yielding: YieldNow = yieldNow();
  get stateName(): string {
    return this.slept ? "Spinning" : "Sleeping";
  }
  poll(cx: Context): Poll {
    if (!this.slept) {
      if (this.timer.poll(cx) == Poll.Pending) return Poll.Pending;
      this.slept = true;
    }
    while (this.yielding.poll(cx) == Poll.Ready) this.yielding = yieldNow();
    return Poll.Pending;
  }
}

/** The thread task's waker, which the urgent task wakes from its 10th tick. */
let threadWaker: Waker | null = null;

/**   Waiting ──tick: note the lateness; after `ticks`, print it──▶ Done */
class Ticking extends Future<Unit> {
  ticker: Ticker = Ticker.every(Duration.fromMillis(1));
  next: TickerNext | null = null;
  ticks: i32 = 0;
  worst: u64 = 0;
  constructor(readonly label: string, readonly total: i32) {
    super();
  }
  poll(cx: Context): Poll {
    if (this.next === null) {
      this.next = this.ticker.next();
      if (this.label == "thread") threadWaker = cx.waker.clone();
    }
    while (this.next!.poll(cx) == Poll.Ready) {
      const late = nowTicks() - (this.ticker.nextAt - this.ticker.period);
      if (late > this.worst) this.worst = late;
      if (this.label == "urgent" && this.ticks >= 10) threadWaker!.wakeByRef();
      if (++this.ticks == this.total) {
        println(this.label + ": " + this.ticks.toString() + " ticks, worst lateness " + this.worst.toString() + " us");
        return Poll.Ready;
      }
      this.next = this.ticker.next();
    }
    return Poll.Pending;
  }
}

const SPINNER = new TaskPool("spinner", 1);
const URGENT = new TaskPool("urgent", 1);
const THREAD = new TaskPool("thread", 1);

function main(spawner: Spawner): void {
  new InterruptExecutor(Irq.Swi1, 2).start().mustSpawn<Unit>(SPINNER, new Spinner());
  new InterruptExecutor(Irq.Swi2, 1).start().mustSpawn<Unit>(URGENT, new Ticking("urgent", 40));
  spawner.mustSpawn<Unit>(THREAD, new Ticking("thread", 40));
}

entry(main);
export * from "../../assembly/boot";
