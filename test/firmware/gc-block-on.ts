// gc-block-on: 100 block_on calls per 1 ms tick, each on a fresh future: garbage at every tick, the CPU asleep between ticks
import { Context, Duration, Future, Poll, Spawner, TaskPool, Ticker, TickerNext, Unit, blockOn, entry } from "../../assembly/index";

/** Pending once, then Ready with a value (a fresh object each time: garbage after it). */
class Twice extends Future<i32> {
  polls: i32 = 0;
  constructor(readonly value: i32) {
    super();
  }
  poll(cx: Context): Poll {
    if (this.polls++ == 0) return Poll.Pending;
    this.output = this.value;
    return Poll.Ready;
  }
}

class Burst extends Future<Unit> {
  ticker: Ticker = Ticker.every(Duration.fromMillis(1));
  next: TickerNext | null = null;
  sum: i64 = 0;
  poll(cx: Context): Poll {
    if (this.next === null) this.next = this.ticker.next();
    while (this.next!.poll(cx) == Poll.Ready) {
      for (let i = 0; i < 100; i++) this.sum += blockOn<i32>(new Twice(i));
      this.next = this.ticker.next();
    }
    return Poll.Pending;
  }
}

const BURST = new TaskPool("burst", 1);

function main(spawner: Spawner): void {
  spawner.mustSpawn<Unit>(BURST, new Burst());
}

entry(main);
export * from "../../assembly/boot";
